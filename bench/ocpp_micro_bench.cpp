// Per-message cost of the OCPP-J engine: parse + validate + decode, and the whole inbound path
// through ocpp::Connection (parse, validate, dispatch, encode and validate the answer, frame it).
// Storage is not included: see docs/performance.md.
#include <benchmark/benchmark.h>

#include <boost/asio.hpp>
#include <boost/json.hpp>

#include "gridlane/ocpp/connection.hpp"
#include "gridlane/ocpp/message_metrics.hpp"
#include "gridlane/ocpp/v16/messages.hpp"

using namespace gridlane;
using namespace gridlane::ocpp;
namespace json = boost::json;

namespace {

const MessageCatalog &catalog() {
  static const MessageCatalog c{core::ProtocolVersion::Ocpp16};
  return c;
}

const std::string heartbeat = R"([2,"19223201","Heartbeat",{}])";
const std::string status_notification =
    R"([2,"19223202","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2026-05-01T10:00:00.000Z","info":"ok","vendorId":"Acme"}])";

std::string meter_values_10() {
  json::array sampled;
  const char *measurands[] = {"Energy.Active.Import.Register",
                              "Power.Active.Import",
                              "Current.Import",
                              "Current.Import",
                              "Current.Import",
                              "Voltage",
                              "Voltage",
                              "Voltage",
                              "SoC",
                              "Temperature"};
  const char *units[] = {"Wh", "W", "A", "A", "A", "V", "V", "V", "Percent", "Celsius"};
  const char *phases[] = {nullptr, nullptr, "L1", "L2", "L3", "L1-N", "L2-N", "L3-N", nullptr, nullptr};
  for (int i = 0; i < 10; ++i) {
    json::object sv{{"value", std::to_string(1000 + i * 7)},
                    {"context", "Sample.Periodic"},
                    {"measurand", measurands[i]},
                    {"unit", units[i]},
                    {"location", "Outlet"}};
    if (phases[i]) sv["phase"] = phases[i];
    sampled.push_back(sv);
  }
  json::object payload{
      {"connectorId", 1},
      {"transactionId", 4711},
      {"meterValue", json::array{json::object{{"timestamp", "2026-05-01T10:15:00.000Z"}, {"sampledValue", sampled}}}}};
  return json::serialize(json::array{2, "19223203", "MeterValues", payload});
}

template <class Msg> void parse_validate_decode(benchmark::State &state, const std::string &frame_text) {
  const auto *schema = catalog().request(Msg::action);
  for (auto _ : state) {
    auto parsed = parse_frame(frame_text, core::ProtocolVersion::Ocpp16);
    auto &frame = std::get<Frame>(parsed);
    if (schema->validate(frame.payload)) state.SkipWithError("invalid");
    typename Msg::Request req;
    decode(frame.payload, req);
    benchmark::DoNotOptimize(req);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(frame_text.size()));
}

void BM_Decode_Heartbeat(benchmark::State &s) {
  parse_validate_decode<v16::Heartbeat>(s, heartbeat);
}
void BM_Decode_StatusNotification(benchmark::State &s) {
  parse_validate_decode<v16::StatusNotification>(s, status_notification);
}
void BM_Decode_MeterValues10(benchmark::State &s) {
  parse_validate_decode<v16::MeterValues>(s, meter_values_10());
}

// The whole inbound path, with a dispatcher that answers at once (no storage).
struct NullTransport : Transport {
  std::size_t bytes = 0;
  void send(std::string frame) override { bytes += frame.size(); }
  void close(std::uint16_t, std::string) override {}
};

struct EchoDispatcher : CallDispatcher {
  bool supports(std::string_view) const override { return true; }
  void on_call(const std::string &action, const json::value &payload, Responder r) override {
    if (action == "Heartbeat") {
      r.result(v16::encode(v16::HeartbeatResponse{core::SystemClock{}.now()}));
    } else if (action == "MeterValues") {
      v16::MeterValuesRequest req;
      v16::decode(payload, req);
      benchmark::DoNotOptimize(req);
      r.result(json::object{});
    } else {
      v16::StatusNotificationRequest req;
      v16::decode(payload, req);
      benchmark::DoNotOptimize(req);
      r.result(json::object{});
    }
  }
};

// `measured`: with the message metrics ([metrics] enabled, the default): counted and timed.
void full_path(benchmark::State &state, const std::string &frame_text, bool measured = false) {
  boost::asio::io_context ioc;
  auto strand = boost::asio::make_strand(ioc);
  NullTransport transport;
  static const MessageCatalog catalog201{core::ProtocolVersion::Ocpp201};
  static const MessageCatalog catalog21{core::ProtocolVersion::Ocpp21};
  core::metrics::Registry registry;
  MessageMetrics metrics{registry, catalog(), catalog201, catalog21};
  auto conn = std::make_shared<Connection>(strand, core::StationId::unchecked("BENCH"), catalog(), transport,
                                           ConnectionOptions{});
  conn->set_dispatcher(std::make_unique<EchoDispatcher>());
  if (measured) conn->set_metrics(&metrics);
  for (auto _ : state) {
    conn->on_text(frame_text);
    ioc.poll(); // runs the answer posted by the responder
    ioc.restart();
  }
  state.SetItemsProcessed(state.iterations());
  if (transport.bytes == 0) state.SkipWithError("no answers sent");
  conn->on_closed();
}

void BM_Dispatch_Heartbeat(benchmark::State &s) {
  full_path(s, heartbeat);
}
void BM_Dispatch_StatusNotification(benchmark::State &s) {
  full_path(s, status_notification);
}
void BM_Dispatch_MeterValues10(benchmark::State &s) {
  full_path(s, meter_values_10());
}
void BM_Dispatch_Heartbeat_Metrics(benchmark::State &s) {
  full_path(s, heartbeat, true);
}
void BM_Dispatch_MeterValues10_Metrics(benchmark::State &s) {
  full_path(s, meter_values_10(), true);
}

} // namespace

BENCHMARK(BM_Decode_Heartbeat);
BENCHMARK(BM_Decode_StatusNotification);
BENCHMARK(BM_Decode_MeterValues10);
BENCHMARK(BM_Dispatch_Heartbeat);
BENCHMARK(BM_Dispatch_StatusNotification);
BENCHMARK(BM_Dispatch_MeterValues10);
BENCHMARK(BM_Dispatch_Heartbeat_Metrics);
BENCHMARK(BM_Dispatch_MeterValues10_Metrics);
BENCHMARK_MAIN();
