#include "gridlane/ocpp/message_metrics.hpp"

#include <set>

#include "gridlane/ocpp/v16/messages.hpp"
#include "gridlane/ocpp/v201/messages.hpp"
#include "gridlane/ocpp/v21/messages.hpp"

namespace gridlane::ocpp {
namespace metrics = core::metrics;

namespace {

//! A series registered on first use: the registry hands back the same one to every thread that
//! races here, so the slot may be written twice with the same pointer.
template <class T> class Lazy {
public:
  template <class Make> T &get(Make make) {
    T *p = slot_.load(std::memory_order_acquire);
    if (!p) {
      p = &make();
      slot_.store(p, std::memory_order_release);
    }
    return *p;
  }

private:
  std::atomic<T *> slot_{nullptr};
};

constexpr std::array<std::string_view, 3> inbound_names = {"accepted", "rejected", "callerror"};
constexpr std::array<std::string_view, 5> outbound_names = {"result", "callerror", "timeout", "closed", "not_sent"};

constexpr std::string_view messages_help =
    "OCPP messages by version, direction (in: CALLs from stations; out: CALLs to stations), action and result";
constexpr std::string_view latency_help =
    "OCPP message handling time in seconds: in, from a CALL's arrival to its answer being sent; out, the round trip";

std::size_t index(core::ProtocolVersion v) {
  return static_cast<std::size_t>(v);
}

//! The version's actions: its schemas' names without "Request" / "Response" (as the catalogue
//! reads them), each one that the catalogue knows.
std::set<std::string> actions_of(const MessageCatalog &catalog) {
  std::set<std::string> out;
  auto take = [&](auto schemas) {
    for (const auto &schema : schemas) {
      std::string_view name = schema.name;
      for (std::string_view suffix : {std::string_view("Request"), std::string_view("Response")})
        if (name.ends_with(suffix)) name.remove_suffix(suffix.size());
      if (catalog.knows(name)) out.emplace(name);
    }
  };
  switch (catalog.version()) {
  case core::ProtocolVersion::Ocpp16: take(v16::schemas()); break;
  case core::ProtocolVersion::Ocpp201: take(v201::schemas()); break;
  case core::ProtocolVersion::Ocpp21: take(v21::schemas()); break;
  }
  return out;
}

double seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

} // namespace

class MessageMetrics::Action {
public:
  Action(std::string version, std::string name) : version_(std::move(version)), name_(std::move(name)) {}

  metrics::Counter &in(metrics::Registry &r, InboundResult result) {
    auto i = static_cast<std::size_t>(result);
    return in_[i].get([&]() -> metrics::Counter & {
      return r.counter(
          "gridlane_ocpp_messages_total", messages_help,
          {{"version", version_}, {"direction", "in"}, {"action", name_}, {"result", std::string(inbound_names[i])}});
    });
  }
  metrics::Counter &out(metrics::Registry &r, OutboundResult result) {
    auto i = static_cast<std::size_t>(result);
    return out_[i].get([&]() -> metrics::Counter & {
      return r.counter(
          "gridlane_ocpp_messages_total", messages_help,
          {{"version", version_}, {"direction", "out"}, {"action", name_}, {"result", std::string(outbound_names[i])}});
    });
  }
  metrics::Histogram &latency(metrics::Registry &r, bool inbound) {
    return latency_[inbound ? 0 : 1].get([&]() -> metrics::Histogram & {
      return r.histogram("gridlane_ocpp_handling_seconds", latency_help, metrics::latency_buckets(),
                         {{"direction", inbound ? "in" : "out"}, {"action", name_}});
    });
  }

private:
  std::string version_;
  std::string name_;
  std::array<Lazy<metrics::Counter>, inbound_names.size()> in_;
  std::array<Lazy<metrics::Counter>, outbound_names.size()> out_;
  std::array<Lazy<metrics::Histogram>, 2> latency_;
};

MessageMetrics::MessageMetrics(metrics::Registry &registry, const MessageCatalog &catalog16,
                               const MessageCatalog &catalog201, const MessageCatalog &catalog21)
    : registry_(registry) {
  for (const MessageCatalog *catalog : {&catalog16, &catalog201, &catalog21}) {
    auto &v = versions_.at(index(catalog->version()));
    std::string label(core::to_string(catalog->version()));
    for (const auto &name : actions_of(*catalog))
      v.actions.emplace(name, std::make_unique<Action>(label, name));
    v.other = std::make_unique<Action>(label, "other");
    // Shown from the start (a scrape sees 0, not nothing, before the first station).
    v.connections = &registry_.gauge("gridlane_ocpp_connections", "Open OCPP connections by protocol version",
                                     {{"version", label}});
    v.bad_frames = &registry_.counter("gridlane_ocpp_bad_frames_total",
                                      "Inbound frames that were not OCPP-J messages (answered with a CALLERROR when "
                                      "they carried an id)",
                                      {{"version", label}});
  }
}

MessageMetrics::~MessageMetrics() = default;

MessageMetrics::Action &MessageMetrics::action(core::ProtocolVersion version, std::string_view name) {
  auto &v = versions_.at(index(version));
  auto it = v.actions.find(name);
  return it == v.actions.end() ? *v.other : *it->second;
}

void MessageMetrics::inbound(Action &a, InboundResult result, std::chrono::steady_clock::duration took) {
  a.in(registry_, result).inc();
  if (result != InboundResult::Rejected) a.latency(registry_, true).observe(seconds(took));
}

void MessageMetrics::outbound(Action &a, OutboundResult result, std::chrono::steady_clock::duration took) {
  a.out(registry_, result).inc();
  if (result == OutboundResult::Result || result == OutboundResult::CallError)
    a.latency(registry_, false).observe(seconds(took));
}

void MessageMetrics::bad_frame(core::ProtocolVersion version) {
  versions_.at(index(version)).bad_frames->inc();
}

metrics::Gauge &MessageMetrics::connections(core::ProtocolVersion version) {
  return *versions_.at(index(version)).connections;
}

} // namespace gridlane::ocpp
