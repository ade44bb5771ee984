#include "gridlane/sim/simulator.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <deque>
#include <fstream>
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
  std::vector<double> latencies_ms;      // CALL round trips; guarded by latency_mutex
  std::vector<double> load_latencies_ms; // from the intended send time; guarded by latency_mutex
  void record(std::vector<double>& series, double ms) {
    std::lock_guard lock{latency_mutex};
    series.push_back(ms);
  }

  void progress(const std::string& line) const {
    if (opt.progress) opt.progress(line);
  }
  static std::int64_t ns(Clock::time_point t) { return t.time_since_epoch().count(); }

  // Open-loop load.
  Clock::time_point start, load_start, load_end;
  std::atomic<std::uint64_t> load_sent{0}, load_answered{0}, load_failed{0};

  // First boots and the reconnect storm.
  std::atomic<int> booted_once{0};
  std::atomic<std::int64_t> all_up_ns{0};
  std::atomic<bool> storm_fired{false};
  std::atomic<std::int64_t> storm_start_ns{0}, storm_last_ns{0};
  std::atomic<std::uint64_t> storm_stations{0}, storm_recovered{0};
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

  //! The reconnect storm: drop the connection now (as a power or network cut would). Any thread.
  void drop() {
    asio::post(strand_, [self = shared_from_this()] {
      if (!self->connected_) return;
      self->storm_pending_ = true;
      self->shared_.storm_stations++;
      self->close();
    });
  }

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
        if (self->storm_pending_) continue; // the storm: everyone reconnects at once, no back-off
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
    std::string text = json::serialize(payload);
    co_return co_await call_text(action, std::move(text));
  }

  //! The same with the payload already serialised (the load generator's hot path).
  asio::awaitable<std::optional<json::value>> call_text(std::string_view action, std::string payload) {
    if (!connected_) co_return std::nullopt;
    pending_id_ = std::to_string(++next_id_);
    pending_result_.reset();
    auto started = Clock::now();
    std::string frame;
    frame.reserve(payload.size() + action.size() + pending_id_.size() + 12);
    frame.append("[2,\"").append(pending_id_).append("\",\"").append(action).append("\",").append(payload).append("]");
    send(std::move(frame));
    shared_.calls_sent++;
    call_timer_.expires_after(std::chrono::seconds(30));
    co_await call_timer_.async_wait(use_tuple);
    pending_id_.clear();
    if (!pending_result_) co_return std::nullopt;
    shared_.record(shared_.latencies_ms, std::chrono::duration<double, std::milli>(Clock::now() - started).count());
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

  //! These two return the CSMS's answer as call() does.
  asio::awaitable<std::optional<json::value>> status(int connector, std::string_view status16, std::string_view status2) {
    json::object p = v16_ ? json::object{{"connectorId", connector}, {"errorCode", status16 == "Faulted" ? "GroundFailure" : "NoError"},
                                         {"status", status16}, {"timestamp", iso_now()}}
                          : json::object{{"timestamp", iso_now()}, {"connectorStatus", status2}, {"evseId", connector}, {"connectorId", 1}};
    co_return co_await call("StatusNotification", std::move(p));
  }

  asio::awaitable<std::optional<json::value>> transaction_event(Connector& c, int evse, std::string_view type,
                                                                std::string_view trigger, std::string_view context,
                                                                json::object extra) {
    json::object info{{"transactionId", c.tx_id}};
    if (type == "Ended") info["stoppedReason"] = c.stop_reason;
    else info["chargingState"] = "Charging";
    if (c.remote_start_id && type == "Started") info["remoteStartId"] = *c.remote_start_id;
    json::object p{{"eventType", type},     {"timestamp", iso_now()}, {"triggerReason", trigger},
                   {"seqNo", c.seq++},      {"transactionInfo", info}, {"evse", json::object{{"id", evse}, {"connectorId", 1}}},
                   {"meterValue", meter(c, context)}};
    for (auto& [k, v] : extra) p[k] = v;
    co_return co_await call("TransactionEvent", std::move(p));
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

  // ---- open-loop load ----------------------------------------------------------------------

  //! A periodic sample the size real AC stations send (~600 bytes): energy, power, three
  //! currents, voltage and state of charge, written directly as JSON text: the generator spends
  //! its CPU on sending, not on building JSON trees (the values need no escaping).
  std::string big_meter_text(const Connector& c) const {
    double amps = power(c) / 230.0 / 3.0;
    std::string out = "[{\"timestamp\":\"" + iso_now() + "\",\"sampledValue\":[";
    char buf[256];
    bool first = true;
    auto add = [&](double value, const char* measurand, const char* unit, const char* phase, const char* location) {
      int n = v16_ ? std::snprintf(buf, sizeof buf, "%s{\"value\":\"%lld\",\"context\":\"Sample.Periodic\",\"measurand\":\"%s\","
                                                    "\"location\":\"%s\"%s%s%s,\"unit\":\"%s\"}",
                                   first ? "" : ",", static_cast<long long>(value), measurand, location,
                                   *phase ? ",\"phase\":\"" : "", phase, *phase ? "\"" : "", unit)
                   : std::snprintf(buf, sizeof buf, "%s{\"value\":%.1f,\"context\":\"Sample.Periodic\",\"measurand\":\"%s\","
                                                    "\"location\":\"%s\"%s%s%s,\"unitOfMeasure\":{\"unit\":\"%s\"}}",
                                   first ? "" : ",", value, measurand, location, *phase ? ",\"phase\":\"" : "", phase,
                                   *phase ? "\"" : "", unit);
      out.append(buf, static_cast<std::size_t>(n));
      first = false;
    };
    add(c.register_wh, "Energy.Active.Import.Register", "Wh", "", "Outlet");
    add(power(c), "Power.Active.Import", "W", "", "Outlet");
    add(amps, "Current.Import", "A", "L1", "Outlet");
    add(amps, "Current.Import", "A", "L2", "Outlet");
    add(amps, "Current.Import", "A", "L3", "Outlet");
    add(230, "Voltage", "V", "L1-N", "Outlet");
    add(55, "SoC", "Percent", "", "EV");
    out += "]}]";
    return out;
  }

  //! One message of the mix; true when the CSMS answered it with a CALLRESULT.
  asio::awaitable<bool> load_message(Connector& c) {
    double r = std::uniform_real_distribution<double>(0, 1)(rng_);
    std::optional<json::value> res;
    if (r < 0.85) {
      c.register_wh += power(c) * 10 / 3600.0;
      std::string text;
      std::string_view action = "MeterValues";
      if (v16_) {
        text = "{\"connectorId\":1,";
        if (c.charging) text += "\"transactionId\":" + c.tx_id + ",";
        text += "\"meterValue\":" + big_meter_text(c) + "}";
      } else if (c.charging) {
        action = "TransactionEvent";
        text = "{\"eventType\":\"Updated\",\"timestamp\":\"" + iso_now() +
               "\",\"triggerReason\":\"MeterValuePeriodic\",\"seqNo\":" + std::to_string(c.seq++) +
               ",\"transactionInfo\":{\"transactionId\":\"" + c.tx_id + "\",\"chargingState\":\"Charging\"},\"meterValue\":" +
               big_meter_text(c) + "}";
      } else {
        text = "{\"evseId\":1,\"meterValue\":" + big_meter_text(c) + "}";
      }
      res = co_await call_text(action, std::move(text));
      shared_.meter_values++;
    } else if (r < 0.92) {
      json::object empty;
      res = co_await call("Heartbeat", std::move(empty));
    } else if (r < 0.97) {
      std::string_view status16 = c.charging ? "Charging" : "Available";
      std::string_view status2 = c.charging ? "Occupied" : "Available";
      res = co_await status(1, status16, status2);
    } else if (c.charging) {
      c.stop_reason = "Local";
      if (v16_) {
        json::object stop{{"transactionId", std::stoll(c.tx_id)}, {"meterStop", static_cast<std::int64_t>(c.register_wh)},
                          {"timestamp", iso_now()}, {"reason", "Local"}};
        res = co_await call("StopTransaction", std::move(stop));
      } else {
        json::object none;
        res = co_await transaction_event(c, 1, "Ended", "StopAuthorized", "Transaction.End", std::move(none));
      }
      c.charging = false;
      shared_.sessions_stopped++;
    } else {
      std::string tag = "SIM-TAG-" + std::to_string(index_ % 1000);
      if (v16_) {
        json::object start{{"connectorId", 1}, {"idTag", tag}, {"meterStart", static_cast<std::int64_t>(c.register_wh)},
                           {"timestamp", iso_now()}};
        res = co_await call("StartTransaction", std::move(start));
        if (res && res->is_object()) c.tx_id = std::to_string(res->at("transactionId").to_number<std::int64_t>());
      } else {
        char tx[64];
        std::snprintf(tx, sizeof tx, "%s-1-%llu", id_.c_str(), static_cast<unsigned long long>(++tx_counter_));
        c.tx_id = tx;
        c.seq = 0;
        json::object id_token{{"idToken", json::object{{"idToken", tag}, {"type", "ISO14443"}}}};
        res = co_await transaction_event(c, 1, "Started", "Authorized", "Transaction.Begin", std::move(id_token));
      }
      c.charging = res && res->is_object();
      if (c.charging) shared_.sessions_started++;
    }
    co_return res && res->is_object();
  }

  //! The warm-up opens a transaction; then messages go out at this station's share of the
  //! rate, at fixed intended times, whether or not the CSMS has kept up.
  asio::awaitable<void> load() {
    auto& c = connectors_[0];
    if (!c.charging) {
      std::string tag = "SIM-TAG-" + std::to_string(index_ % 1000);
      co_await start_session(c, 1, std::move(tag));
    }
    const double per_station = shared_.opt.rate / shared_.opt.stations;
    const auto interval = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / per_station));
    auto next = shared_.load_start + std::chrono::nanoseconds(static_cast<std::int64_t>(
                                         std::uniform_real_distribution<double>(0, 1)(rng_) * static_cast<double>(interval.count())));
    while (next < Clock::now()) next += interval; // back after a drop: the schedule goes on from now
    while (connected_ && next < shared_.load_end) {
      while (connected_ && Clock::now() < next) {
        wake_.expires_at(next);
        co_await wake_.async_wait(use_tuple);
      }
      if (!connected_) break;
      auto intended = next;
      next += interval;
      shared_.load_sent++;
      bool ok = co_await load_message(c);
      auto now = Clock::now();
      if (!ok) {
        shared_.load_failed++;
        continue;
      }
      if (now < shared_.load_end) shared_.load_answered++;
      shared_.record(shared_.load_latencies_ms, std::chrono::duration<double, std::milli>(now - intended).count());
    }
    // After the window: stay connected and quiet until the end of the run.
    while (connected_ && Clock::now() < shared_.deadline) {
      wake_.expires_at(shared_.deadline);
      co_await wake_.async_wait(use_tuple);
    }
  }

  // ---- behaviour at human pace --------------------------------------------------------------

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
    if (!connected_) co_return;
    auto now = Clock::now();
    if (!booted_once_) {
      booted_once_ = true;
      if (++shared_.booted_once == shared_.opt.stations) {
        shared_.all_up_ns = Shared::ns(now);
        shared_.progress("all " + std::to_string(shared_.opt.stations) + " stations up after " +
                         std::to_string(std::chrono::duration<double>(now - shared_.start).count()) + " s");
      }
    }
    if (storm_pending_) {
      storm_pending_ = false;
      auto last = shared_.storm_last_ns.load();
      while (last < Shared::ns(now) && !shared_.storm_last_ns.compare_exchange_weak(last, Shared::ns(now))) {
      }
      if (++shared_.storm_recovered == shared_.storm_stations) {
        auto took = std::chrono::duration<double>(now.time_since_epoch()).count() -
                    std::chrono::duration<double>(std::chrono::nanoseconds(shared_.storm_start_ns.load())).count();
        shared_.progress("storm: all " + std::to_string(shared_.storm_stations.load()) +
                         " stations back and reporting after " + std::to_string(took) + " s");
      }
    }
    if (shared_.opt.rate > 0) {
      co_await load();
      co_return;
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
  bool booted_once_ = false, storm_pending_ = false;
  std::deque<std::string> outbox_;
  asio::steady_timer call_timer_, wake_;
  std::string pending_id_;
  std::optional<json::value> pending_result_;
  std::uint64_t next_id_ = 0, tx_counter_ = 0;
  std::vector<Connector> connectors_;
  std::mt19937_64 rng_;
};

//! user + system CPU seconds of another process (the CSMS under test), from /proc; -1 if unknown.
double process_cpu_seconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto paren = text.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) { // field 3 is the state; utime and stime are 14 and 15
    if (i == 14) utime = std::stod(field);
    if (i == 15) {
      stime = std::stod(field);
      return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
  }
  return -1;
}

//! Sorts the samples and returns the q-quantiles asked for (0 for none).
template <std::size_t N> std::array<double, N> quantiles(std::vector<double>& samples, const double (&qs)[N]) {
  std::array<double, N> out{};
  if (samples.empty()) return out;
  std::sort(samples.begin(), samples.end());
  for (std::size_t i = 0; i < N; ++i)
    out[i] = samples[std::min(samples.size() - 1, static_cast<std::size_t>(qs[i] * static_cast<double>(samples.size())))];
  return out;
}

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
  shared.start = Clock::now();
  shared.deadline = shared.start + options.duration;
  shared.load_start = shared.start + options.warmup;
  shared.load_end = options.load_length.count() > 0 ? std::min(shared.deadline, shared.load_start + options.load_length)
                                                    : shared.deadline;
  if (options.rate > 0 && shared.load_end <= shared.load_start)
    throw std::invalid_argument("the run must last longer than the warm-up");
  double cpu_before = cpu_seconds();

  asio::io_context ioc;
  std::vector<std::shared_ptr<Station>> fleet;
  for (int i = 0; i < options.stations; ++i) fleet.push_back(std::make_shared<Station>(ioc, shared, i + 1));
  for (auto& s : fleet) s->start();

  // The measured window: CPU of the simulator and of the CSMS sampled at its edges.
  SimReport r;
  double window_cpu = 0, target_cpu = 0;
  asio::steady_timer window_open(ioc), window_close(ioc);
  if (options.rate > 0) {
    window_open.expires_at(shared.load_start);
    window_open.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      window_cpu = cpu_seconds();
      if (options.cpu_of_pid > 0) target_cpu = process_cpu_seconds(options.cpu_of_pid);
      shared.progress("load window open: " + std::to_string(options.rate) + " messages/s offered");
    });
    window_close.expires_at(shared.load_end);
    window_close.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      r.window_cpu_s = cpu_seconds() - window_cpu;
      if (options.cpu_of_pid > 0) r.target_cpu_s = process_cpu_seconds(options.cpu_of_pid) - target_cpu;
      shared.progress("load window closed");
    });
  }

  // Stop by ourselves shortly after the deadline (stations close their connections at it),
  // whatever the CSMS does, or when asked to (demo mode stops with its server). The storm
  // starts from here too.
  asio::steady_timer poll(ioc);
  std::function<void()> check = [&] {
    poll.expires_after(std::chrono::milliseconds(20));
    poll.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      auto now = Clock::now();
      auto up = shared.all_up_ns.load();
      if (options.storm_after_s > 0 && up != 0 && !shared.storm_fired &&
          Shared::ns(now) >= up + std::int64_t{options.storm_after_s} * 1000000000) {
        shared.storm_fired = true;
        shared.storm_start_ns = Shared::ns(now);
        shared.progress("storm: dropping every connection at once");
        for (auto& s : fleet) s->drop();
      }
      if ((options.stop && options.stop->load()) || now >= shared.deadline + std::chrono::seconds(1)) ioc.stop();
      else check();
    });
  };
  check();
  std::vector<std::thread> threads;
  for (int i = 1; i < options.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();

  r.connects = shared.connects;
  r.connect_failures = shared.connect_failures;
  r.boots_accepted = shared.boots_accepted;
  r.calls_sent = shared.calls_sent;
  r.call_errors = shared.call_errors;
  r.commands_answered = shared.commands_answered;
  r.sessions_started = shared.sessions_started;
  r.sessions_stopped = shared.sessions_stopped;
  r.meter_values = shared.meter_values;
  auto round_trips = quantiles(shared.latencies_ms, {0.5, 0.99, 1.0});
  r.p50_ms = round_trips[0];
  r.p99_ms = round_trips[1];
  r.max_ms = round_trips[2];
  r.cpu_seconds = cpu_seconds() - cpu_before;
  if (auto up = shared.all_up_ns.load(); up != 0)
    r.all_up_s = std::chrono::duration<double>(std::chrono::nanoseconds(up) - shared.start.time_since_epoch()).count();
  if (options.rate > 0) {
    r.window_s = std::chrono::duration<double>(shared.load_end - shared.load_start).count();
    r.load_sent = shared.load_sent;
    r.load_answered = shared.load_answered;
    r.load_failed = shared.load_failed;
    auto from_intended = quantiles(shared.load_latencies_ms, {0.5, 0.99, 0.999, 1.0});
    r.load_p50_ms = from_intended[0];
    r.load_p99_ms = from_intended[1];
    r.load_p999_ms = from_intended[2];
    r.load_max_ms = from_intended[3];
  }
  if (shared.storm_fired) {
    r.storm_stations = shared.storm_stations;
    r.storm_recovered = shared.storm_recovered;
    if (auto last = shared.storm_last_ns.load(); last != 0)
      r.storm_s = static_cast<double>(last - shared.storm_start_ns.load()) / 1e9;
  }
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
  if (r.all_up_s >= 0) o << "all stations up after " << r.all_up_s << " s\n";
  if (r.window_s > 0) {
    double answered = static_cast<double>(r.load_answered);
    o << "load window " << r.window_s << " s: sent " << r.load_sent << ", answered in the window " << r.load_answered
      << ", failed " << r.load_failed << "\n"
      << "achieved " << answered / r.window_s << " messages/s\n"
      << "latency from intended send: p50 " << r.load_p50_ms << " ms, p99 " << r.load_p99_ms << " ms, p99.9 "
      << r.load_p999_ms << " ms, max " << r.load_max_ms << " ms\n"
      << "simulator cpu in the window " << r.window_cpu_s << " s (" << r.window_cpu_s / r.window_s << " cores)\n";
    if (r.target_cpu_s >= 0 && answered > 0)
      o << "csms cpu in the window " << r.target_cpu_s << " s (" << r.target_cpu_s / r.window_s << " cores, "
        << r.target_cpu_s * 1000.0 / answered << " cpu-s per 1000 messages, " << answered / r.target_cpu_s
        << " messages per cpu-s)\n";
  }
  if (r.storm_stations > 0)
    o << "storm: " << r.storm_recovered << " of " << r.storm_stations << " stations back and reporting after "
      << r.storm_s << " s\n";
  return o.str();
}

} // namespace gridlane::sim
