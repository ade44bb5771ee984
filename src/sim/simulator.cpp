#include "gridlane/sim/simulator.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "gridlane/core/time.hpp"

namespace gridlane::sim {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string iso_now() { return core::format_iso8601(core::SystemClock{}.now()); }

struct Shared {
  SimOptions opt;
  std::string host, port, path;
  Clock::time_point deadline;
  std::atomic<std::uint64_t> connects{0}, connect_failures{0}, boots_accepted{0}, calls_sent{0}, call_errors{0},
      commands_answered{0}, sessions_started{0}, sessions_stopped{0}, meter_values{0};
  std::mutex latency_mutex;
  std::vector<double> latencies_ms;
  void latency(double ms) {
    std::lock_guard lock{latency_mutex};
    latencies_ms.push_back(ms);
  }
};

struct Connector {
  bool charging = false;
  bool stop_requested = false;
  std::optional<std::string> start_tag;      // a remote start to carry out
  std::optional<std::int64_t> remote_start_id;
  std::string tx_id;                         // 1.6: the CSMS's number; 2.x: ours
  std::int64_t seq = 0;
  double register_wh = 0;
  double limit_w = 0;                        // 0: no charging profile
  Clock::time_point next_meter, stop_at, next_arrival;
  std::string stop_reason = "Local";
};

class Station : public std::enable_shared_from_this<Station> {
public:
  Station(asio::io_context& ioc, Shared& shared, int index)
      : strand_(asio::make_strand(ioc)), shared_(shared), index_(index), call_timer_(strand_), wake_(strand_),
        rng_(shared.opt.seed * 7919 + static_cast<std::uint64_t>(index)) {
    char id[64];
    std::snprintf(id, sizeof id, "%s%05d", shared.opt.prefix.c_str(), index);
    id_ = id;
    v16_ = std::uniform_real_distribution<double>(0, 1)(rng_) < shared.opt.share_16;
    connectors_.resize(static_cast<std::size_t>(std::max(1, shared.opt.connectors)));
    for (auto& c : connectors_) c.register_wh = std::uniform_real_distribution<double>(0, 5e6)(rng_);
  }

  void start() { asio::co_spawn(strand_, run(shared_from_this()), asio::detached); }

private:
  // ---- connection lifecycle ---------------------------------------------------------------

  static asio::awaitable<void> run(std::shared_ptr<Station> self) {
    int attempt = 0;
    std::string reason = "PowerUp";
    while (Clock::now() < self->shared_.deadline) {
      bool ok = co_await self->connect();
      if (ok) {
        attempt = 0;
        self->shared_.connects++;
        asio::co_spawn(self->strand_, reader(self), asio::detached);
        co_await self->behave(reason);
        reason = self->reset_requested_ ? "RemoteReset" : "PowerUp";
        self->close();
      } else {
        self->shared_.connect_failures++;
      }
      if (Clock::now() >= self->shared_.deadline) break;
      // Back off with jitter, so a fleet does not reconnect in lockstep after an outage.
      auto base = std::chrono::milliseconds(std::min(30000, 500 << std::min(attempt++, 6)));
      auto jitter = std::uniform_real_distribution<double>(0.5, 1.5)(self->rng_);
      self->wake_.expires_after(std::chrono::milliseconds(static_cast<long>(base.count() * jitter)));
      co_await self->wake_.async_wait(use_tuple);
    }
    self->close();
  }

  asio::awaitable<bool> connect() {
    ws_ = std::make_unique<websocket::stream<beast::tcp_stream>>(strand_);
    connected_ = false;
    reset_requested_ = false;
    tcp::resolver resolver(strand_);
    auto [rec, results] = co_await resolver.async_resolve(shared_.host, shared_.port, use_tuple);
    if (rec) co_return false;
    auto& stream = beast::get_lowest_layer(*ws_);
    stream.expires_after(std::chrono::seconds(10));
    const auto& sources = shared_.opt.source_addresses;
    if (!sources.empty()) {
      boost::system::error_code ec;
      auto addr = asio::ip::make_address(sources[static_cast<std::size_t>(index_) % sources.size()], ec);
      if (!ec) {
        stream.socket().open(addr.is_v4() ? tcp::v4() : tcp::v6(), ec);
        if (!ec) stream.socket().bind(tcp::endpoint(addr, 0), ec);
      }
    }
    auto [cec, ep] = co_await stream.async_connect(results, use_tuple);
    if (cec) co_return false;
    stream.expires_never();
    websocket::stream_base::timeout t = websocket::stream_base::timeout::suggested(beast::role_type::client);
    ws_->set_option(t);
    const char* protocol = v16_ ? "ocpp1.6" : "ocpp2.0.1";
    ws_->set_option(websocket::stream_base::decorator(
        [protocol](websocket::request_type& req) { req.set(beast::http::field::sec_websocket_protocol, protocol); }));
    std::string host = shared_.host + ":" + shared_.port;
    std::string target = shared_.path + "/" + id_;
    auto [hec] = co_await ws_->async_handshake(host, target, use_tuple);
    if (hec) co_return false;
    connected_ = true;
    co_return true;
  }

  void close() {
    if (!ws_ || !connected_) return;
    connected_ = false;
    beast::get_lowest_layer(*ws_).close();
    call_timer_.cancel();
    wake_.cancel();
  }

  // ---- frames -----------------------------------------------------------------------------

  void send(std::string frame) {
    if (!connected_) return;
    outbox_.push_back(std::move(frame));
    if (!writing_) {
      writing_ = true;
      asio::co_spawn(strand_, writer(shared_from_this()), asio::detached);
    }
  }

  static asio::awaitable<void> writer(std::shared_ptr<Station> self) {
    while (!self->outbox_.empty() && self->connected_) {
      auto& ws = *self->ws_;
      auto [ec, n] = co_await ws.async_write(asio::buffer(self->outbox_.front()), use_tuple);
      if (ec) {
        self->close();
        break;
      }
      self->outbox_.pop_front();
    }
    self->outbox_.clear();
    self->writing_ = false;
  }

  static asio::awaitable<void> reader(std::shared_ptr<Station> self) {
    beast::flat_buffer buffer;
    auto* ws = self->ws_.get();
    while (self->connected_ && ws == self->ws_.get()) {
      auto [ec, n] = co_await ws->async_read(buffer, use_tuple);
      if (ec) break;
      boost::system::error_code pec;
      auto frame = json::parse(beast::buffers_to_string(buffer.cdata()), pec);
      buffer.consume(buffer.size());
      if (pec || !frame.is_array() || frame.as_array().size() < 3) continue;
      auto& a = frame.as_array();
      auto type = a[0].to_number<int>();
      std::string id(a[1].is_string() ? a[1].get_string() : "");
      if ((type == 3 || type == 4) && id == self->pending_id_) {
        self->pending_result_ = type == 3 ? std::optional<json::value>(a[2]) : std::optional<json::value>(nullptr);
        self->call_timer_.cancel();
      } else if (type == 2 && a.size() == 4) {
        self->answer(id, std::string(a[2].as_string()), a[3]);
      }
    }
    if (ws == self->ws_.get()) self->close();
  }

  //! Sends a CALL and waits for its answer: the result, null for a CALLERROR, nullopt when the
  //! connection dropped or 30 s passed.
  // Coroutine parameters are string_views of literals and named values only: GCC 12
  // mishandles array arguments and temporaries in co_await expressions.
  asio::awaitable<std::optional<json::value>> call(std::string_view action, json::object payload) {
    if (!connected_) co_return std::nullopt;
    pending_id_ = std::to_string(++next_id_);
    pending_result_.reset();
    auto started = Clock::now();
    send(json::serialize(json::array{2, pending_id_, action, payload}));
    shared_.calls_sent++;
    call_timer_.expires_after(std::chrono::seconds(30));
    co_await call_timer_.async_wait(use_tuple);
    pending_id_.clear();
    if (!pending_result_) co_return std::nullopt;
    shared_.latency(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
    if (pending_result_->is_null()) shared_.call_errors++;
    co_return pending_result_;
  }

  // ---- what the CSMS asks -----------------------------------------------------------------

  Connector* connector_by_tx(std::string_view tx) {
    for (auto& c : connectors_) {
      if (c.charging && c.tx_id == tx) return &c;
    }
    return nullptr;
  }
  Connector* free_connector(std::optional<std::int64_t> wanted) {
    if (wanted && *wanted >= 1 && static_cast<std::size_t>(*wanted) <= connectors_.size()) {
      auto& c = connectors_[static_cast<std::size_t>(*wanted - 1)];
      return c.charging || c.start_tag ? nullptr : &c;
    }
    for (auto& c : connectors_) {
      if (!c.charging && !c.start_tag) return &c;
    }
    return nullptr;
  }

  static double profile_limit_w(const json::value& profile, bool v16) {
    const json::value* schedule = profile.as_object().if_contains("chargingSchedule");
    if (!schedule) return 0;
    const json::value& s = v16 ? *schedule : schedule->as_array().at(0);
    const auto& periods = s.at("chargingSchedulePeriod").as_array();
    double limit = periods.at(0).at("limit").to_number<double>();
    bool amps = s.at("chargingRateUnit").as_string() == "A";
    return amps ? limit * 230.0 * 3.0 : limit;
  }

  void answer(const std::string& id, const std::string& action, const json::value& p) {
    shared_.commands_answered++;
    json::object res;
    const auto& o = p.as_object();
    auto status = [&](const char* s) { res["status"] = s; };
    if (action == "RemoteStartTransaction" || action == "RequestStartTransaction") {
      std::optional<std::int64_t> wanted;
      if (const auto* c = o.if_contains(v16_ ? "connectorId" : "evseId")) wanted = c->to_number<std::int64_t>();
      auto* c = free_connector(wanted);
      if (c) {
        c->start_tag = v16_ ? std::string(o.at("idTag").as_string()) : std::string(o.at("idToken").at("idToken").as_string());
        if (!v16_) c->remote_start_id = o.at("remoteStartId").to_number<std::int64_t>();
        wake_.cancel();
      }
      status(c ? "Accepted" : "Rejected");
    } else if (action == "RemoteStopTransaction" || action == "RequestStopTransaction") {
      std::string tx = v16_ ? std::to_string(o.at("transactionId").to_number<std::int64_t>())
                            : std::string(o.at("transactionId").as_string());
      auto* c = connector_by_tx(tx);
      if (c) {
        c->stop_requested = true;
        c->stop_reason = "Remote";
        wake_.cancel();
      }
      status(c ? "Accepted" : "Rejected");
    } else if (action == "Reset") {
      reset_requested_ = true;
      wake_.cancel();
      status("Accepted");
    } else if (action == "ChangeAvailability" || action == "ClearCache" || action == "ChangeConfiguration" ||
               action == "TriggerMessage" || action == "UnlockConnector") {
      status(action == "UnlockConnector" ? "Unlocked" : "Accepted");
    } else if (action == "SetChargingProfile") {
      const auto& profile = o.at(v16_ ? "csChargingProfiles" : "chargingProfile");
      auto target = o.at(v16_ ? "connectorId" : "evseId").to_number<std::int64_t>();
      double limit = profile_limit_w(profile, v16_);
      for (std::size_t i = 0; i < connectors_.size(); ++i) {
        if (target == 0 || static_cast<std::int64_t>(i) + 1 == target) connectors_[i].limit_w = limit;
      }
      status("Accepted");
    } else if (action == "ClearChargingProfile") {
      for (auto& c : connectors_) c.limit_w = 0;
      status("Accepted");
    } else if (action == "GetConfiguration") {
      res["configurationKey"] = json::array{json::object{{"key", "HeartbeatInterval"}, {"readonly", false},
                                                         {"value", std::to_string(shared_.opt.heartbeat_interval.count())}}};
    } else if (action == "GetVariables" || action == "SetVariables") {
      bool get = action == "GetVariables";
      json::array results;
      for (const auto& d : o.at(get ? "getVariableData" : "setVariableData").as_array()) {
        json::object r{{"attributeStatus", "Accepted"}, {"component", d.at("component")}, {"variable", d.at("variable")}};
        if (get) r["attributeValue"] = "0";
        results.push_back(r);
      }
      res[get ? "getVariableResult" : "setVariableResult"] = results;
    } else if (action == "GetBaseReport") {
      status("NotSupported");
    } else {
      send(json::serialize(json::array{4, id, "NotImplemented", action + " is not simulated", json::object{}}));
      return;
    }
    send(json::serialize(json::array{3, id, res}));
  }

  // ---- what the station does --------------------------------------------------------------

  double power(const Connector& c) const {
    return c.limit_w > 0 ? std::min(c.limit_w, shared_.opt.power_w) : shared_.opt.power_w;
  }

  json::array meter(const Connector& c, std::string_view context) const {
    json::array sampled{json::object{{"value", v16_ ? json::value(std::to_string(static_cast<std::int64_t>(c.register_wh)))
                                                    : json::value(static_cast<std::int64_t>(c.register_wh))},
                                     {"context", context},
                                     {"measurand", "Energy.Active.Import.Register"}},
                        json::object{{"value", v16_ ? json::value(std::to_string(static_cast<std::int64_t>(power(c))))
                                                    : json::value(static_cast<std::int64_t>(power(c)))},
                                     {"context", context},
                                     {"measurand", "Power.Active.Import"}}};
    if (v16_) {
      sampled[0].as_object()["unit"] = "Wh";
      sampled[1].as_object()["unit"] = "W";
    } else {
      sampled[0].as_object()["unitOfMeasure"] = json::object{{"unit", "Wh"}};
      sampled[1].as_object()["unitOfMeasure"] = json::object{{"unit", "W"}};
    }
    return json::array{json::object{{"timestamp", iso_now()}, {"sampledValue", sampled}}};
  }

  asio::awaitable<void> status(int connector, std::string_view status16, std::string_view status2) {
    json::object p = v16_ ? json::object{{"connectorId", connector}, {"errorCode", status16 == "Faulted" ? "GroundFailure" : "NoError"},
                                         {"status", status16}, {"timestamp", iso_now()}}
                          : json::object{{"timestamp", iso_now()}, {"connectorStatus", status2}, {"evseId", connector}, {"connectorId", 1}};
    co_await call("StatusNotification", std::move(p));
  }

  asio::awaitable<void> transaction_event(Connector& c, int evse, std::string_view type, std::string_view trigger,
                                          std::string_view context, json::object extra) {
    json::object info{{"transactionId", c.tx_id}};
    if (type == "Ended") info["stoppedReason"] = c.stop_reason;
    else info["chargingState"] = "Charging";
    if (c.remote_start_id && type == "Started") info["remoteStartId"] = *c.remote_start_id;
    json::object p{{"eventType", type},     {"timestamp", iso_now()}, {"triggerReason", trigger},
                   {"seqNo", c.seq++},      {"transactionInfo", info}, {"evse", json::object{{"id", evse}, {"connectorId", 1}}},
                   {"meterValue", meter(c, context)}};
    for (auto& [k, v] : extra) p[k] = v;
    co_await call("TransactionEvent", std::move(p));
  }

  asio::awaitable<void> start_session(Connector& c, int number, std::string tag) {
    auto auth = v16_ ? json::object{{"idTag", tag}} : json::object{{"idToken", json::object{{"idToken", tag}, {"type", "ISO14443"}}}};
    co_await call("Authorize", std::move(auth));
    json::object id_token{{"idToken", json::object{{"idToken", tag}, {"type", "ISO14443"}}}};
    co_await status(number, "Preparing", "Occupied");
    if (v16_) {
      json::object start{{"connectorId", number}, {"idTag", tag}, {"meterStart", static_cast<std::int64_t>(c.register_wh)},
                         {"timestamp", iso_now()}};
      auto res = co_await call("StartTransaction", std::move(start));
      if (!res || !res->is_object()) co_return;
      c.tx_id = std::to_string(res->at("transactionId").to_number<std::int64_t>());
      co_await status(number, "Charging", "Occupied");
    } else {
      char tx[64];
      std::snprintf(tx, sizeof tx, "%s-%d-%llu", id_.c_str(), number, static_cast<unsigned long long>(++tx_counter_));
      c.tx_id = tx;
      c.seq = 0;
      std::string_view trigger = c.remote_start_id ? "RemoteStart" : "Authorized";
      co_await transaction_event(c, number, "Started", trigger, "Transaction.Begin", std::move(id_token));
    }
    c.charging = true;
    c.stop_requested = false;
    c.stop_reason = "Local";
    shared_.sessions_started++;
    auto mean = static_cast<double>(shared_.opt.session_length.count());
    auto length = std::exponential_distribution<double>(1.0 / std::max(1.0, mean))(rng_);
    c.stop_at = Clock::now() + std::chrono::milliseconds(static_cast<long>(length * 1000));
    c.next_meter = Clock::now() + shared_.opt.meter_interval;
  }

  asio::awaitable<void> stop_session(Connector& c, int number) {
    if (v16_) {
      json::object stop{{"transactionId", std::stoll(c.tx_id)}, {"meterStop", static_cast<std::int64_t>(c.register_wh)},
                        {"timestamp", iso_now()}, {"reason", c.stop_reason}};
      co_await call("StopTransaction", std::move(stop));
      co_await status(number, "Finishing", "Occupied");
    } else {
      std::string_view trigger = c.stop_reason == "Remote" ? "RemoteStop" : "StopAuthorized";
      json::object none;
      co_await transaction_event(c, number, "Ended", trigger, "Transaction.End", std::move(none));
    }
    co_await status(number, "Available", "Available");
    c.charging = false;
    c.stop_requested = false;
    c.remote_start_id.reset();
    shared_.sessions_stopped++;
  }

  Clock::time_point next_arrival() {
    double per_second = shared_.opt.sessions_per_hour / 3600.0;
    if (per_second <= 0) return Clock::time_point::max();
    auto wait = std::exponential_distribution<double>(per_second)(rng_);
    return Clock::now() + std::chrono::milliseconds(static_cast<long>(std::min(wait, 1e7) * 1000));
  }

  asio::awaitable<void> behave(std::string reason) {
    auto boot = v16_ ? json::object{{"chargePointVendor", "Gridlane"}, {"chargePointModel", "Simulator"},
                                    {"chargePointSerialNumber", id_}, {"firmwareVersion", "sim-1"}}
                     : json::object{{"reason", reason},
                                    {"chargingStation", json::object{{"model", "Simulator"}, {"vendorName", "Gridlane"},
                                                                     {"serialNumber", id_}, {"firmwareVersion", "sim-1"}}}};
    auto res = co_await call("BootNotification", std::move(boot));
    if (!res || !res->is_object() || res->at("status").as_string() != "Accepted") co_return;
    shared_.boots_accepted++;
    for (std::size_t i = 0; i < connectors_.size(); ++i) {
      // A connection lost mid-session: the session ends (the CSMS is told on reconnect).
      auto& c = connectors_[i];
      if (c.charging) co_await stop_session(c, static_cast<int>(i) + 1);
      c.start_tag.reset();
      c.next_arrival = next_arrival();
      co_await status(static_cast<int>(i) + 1, "Available", "Available");
    }
    auto next_heartbeat = Clock::now() + shared_.opt.heartbeat_interval;
    std::exponential_distribution<double> faults(std::max(1e-9, shared_.opt.fault_per_hour / 3600.0));
    auto next_fault = Clock::now() + std::chrono::milliseconds(static_cast<long>(std::min(faults(rng_), 1e7) * 1000));
    while (connected_ && !reset_requested_ && Clock::now() < shared_.deadline) {
      auto now = Clock::now();
      if (now >= next_heartbeat) {
        json::object empty;
        co_await call("Heartbeat", std::move(empty));
        next_heartbeat = now + shared_.opt.heartbeat_interval;
      }
      if (now >= next_fault) {
        co_await status(1, "Faulted", "Faulted");
        co_await status(1, "Available", "Available");
        next_fault = now + std::chrono::milliseconds(static_cast<long>(std::min(faults(rng_), 1e7) * 1000));
      }
      for (std::size_t i = 0; i < connectors_.size() && connected_; ++i) {
        auto& c = connectors_[i];
        int number = static_cast<int>(i) + 1;
        if (!c.charging && c.start_tag) {
          std::string tag = *c.start_tag;
          c.start_tag.reset();
          co_await start_session(c, number, std::move(tag));
        } else if (!c.charging && now >= c.next_arrival) {
          std::string tag = "SIM-TAG-" + std::to_string(index_ % 1000);
          co_await start_session(c, number, std::move(tag));
          c.next_arrival = next_arrival();
        } else if (c.charging && (c.stop_requested || now >= c.stop_at)) {
          co_await stop_session(c, number);
          c.next_arrival = next_arrival();
        } else if (c.charging && now >= c.next_meter) {
          c.register_wh += power(c) * std::chrono::duration<double>(shared_.opt.meter_interval).count() / 3600.0;
          if (v16_) {
            json::object mv{{"connectorId", number}, {"transactionId", std::stoll(c.tx_id)},
                            {"meterValue", meter(c, "Sample.Periodic")}};
            co_await call("MeterValues", std::move(mv));
          } else {
            json::object none;
            co_await transaction_event(c, number, "Updated", "MeterValuePeriodic", "Sample.Periodic", std::move(none));
          }
          shared_.meter_values++;
          c.next_meter = now + shared_.opt.meter_interval;
        }
      }
      // Sleep until the next thing to do, or until a command wakes us.
      auto until = std::min({next_heartbeat, next_fault, shared_.deadline});
      for (const auto& c : connectors_) {
        until = std::min(until, c.charging ? std::min(c.next_meter, c.stop_at) : c.next_arrival);
        if (c.start_tag || (c.charging && c.stop_requested)) until = Clock::now();
      }
      // Always suspend, even when work is due at once: one station must never starve the
      // others sharing its thread.
      wake_.expires_at(std::max(until, Clock::now()));
      co_await wake_.async_wait(use_tuple);
    }
  }

  asio::strand<asio::io_context::executor_type> strand_;
  Shared& shared_;
  int index_;
  std::string id_;
  bool v16_ = true;
  std::unique_ptr<websocket::stream<beast::tcp_stream>> ws_;
  bool connected_ = false, writing_ = false, reset_requested_ = false;
  std::deque<std::string> outbox_;
  asio::steady_timer call_timer_, wake_;
  std::string pending_id_;
  std::optional<json::value> pending_result_;
  std::uint64_t next_id_ = 0, tx_counter_ = 0;
  std::vector<Connector> connectors_;
  std::mt19937_64 rng_;
};

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace

SimReport run(const SimOptions& options) {
  Shared shared;
  shared.opt = options;
  auto parsed = boost::urls::parse_uri(options.url);
  if (!parsed || (parsed->scheme() != "ws")) throw std::invalid_argument("--url must be ws://HOST:PORT/PATH");
  shared.host = parsed->host();
  shared.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  shared.path = parsed->path();
  while (!shared.path.empty() && shared.path.back() == '/') shared.path.pop_back();
  shared.deadline = Clock::now() + options.duration;
  double cpu_before = cpu_seconds();

  asio::io_context ioc;
  std::vector<std::shared_ptr<Station>> fleet;
  for (int i = 0; i < options.stations; ++i) fleet.push_back(std::make_shared<Station>(ioc, shared, i + 1));
  for (auto& s : fleet) s->start();
  // Stop by ourselves shortly after the deadline (stations close their connections at it),
  // whatever the CSMS does, or when asked to (demo mode stops with its server).
  asio::steady_timer poll(ioc);
  std::function<void()> check = [&] {
    poll.expires_after(std::chrono::milliseconds(100));
    poll.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      if ((options.stop && options.stop->load()) || Clock::now() >= shared.deadline + std::chrono::seconds(1)) ioc.stop();
      else check();
    });
  };
  check();
  std::vector<std::thread> threads;
  for (int i = 1; i < options.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();

  SimReport r;
  r.connects = shared.connects;
  r.connect_failures = shared.connect_failures;
  r.boots_accepted = shared.boots_accepted;
  r.calls_sent = shared.calls_sent;
  r.call_errors = shared.call_errors;
  r.commands_answered = shared.commands_answered;
  r.sessions_started = shared.sessions_started;
  r.sessions_stopped = shared.sessions_stopped;
  r.meter_values = shared.meter_values;
  auto& l = shared.latencies_ms;
  if (!l.empty()) {
    std::sort(l.begin(), l.end());
    auto at = [&](double q) { return l[std::min(l.size() - 1, static_cast<std::size_t>(q * static_cast<double>(l.size())))]; };
    r.p50_ms = at(0.5);
    r.p99_ms = at(0.99);
    r.max_ms = l.back();
  }
  r.cpu_seconds = cpu_seconds() - cpu_before;
  return r;
}

std::string to_text(const SimReport& r) {
  std::ostringstream o;
  o << "connects " << r.connects << " (failed " << r.connect_failures << "), boots accepted " << r.boots_accepted << "\n"
    << "calls " << r.calls_sent << " (errors " << r.call_errors << "), commands answered " << r.commands_answered << "\n"
    << "sessions started " << r.sessions_started << ", stopped " << r.sessions_stopped << ", meter values "
    << r.meter_values << "\n"
    << "call round trip p50 " << r.p50_ms << " ms, p99 " << r.p99_ms << " ms, max " << r.max_ms << " ms\n"
    << "simulator cpu " << r.cpu_seconds << " s\n";
  return o.str();
}

} // namespace gridlane::sim
