#pragma once
//! One simulated station: a Beast WebSocket client on its own strand, speaking OCPP-J through
//! the RPC framing of src/ocpp (rpc.hpp) with the generated message types. Its parts:
//!   station.cpp    connection lifecycle, frames, CALLs and their answers
//!   commands.cpp   what the CSMS asks (remote start/stop, reset, profiles, configuration)
//!   behaviour.cpp  sessions at human pace, and the open-loop load of the benchmarks
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gridlane/core/json_text.hpp"
#include "gridlane/energy/vehicle.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/ocpp/rpc.hpp"
#include "gridlane/sim/simulator.hpp"
#include "messages.hpp"
#include "profiles.hpp"
#include "site.hpp"

namespace gridlane::sim {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;

inline constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

//! What the whole fleet shares: options, the schemas of both versions, counters, latencies.
struct Shared {
  SimOptions opt;
  std::string host, port, path;
  Clock::time_point deadline;
  ocpp::MessageCatalog catalog16{core::ProtocolVersion::Ocpp16};
  ocpp::MessageCatalog catalog2{core::ProtocolVersion::Ocpp201};
  std::atomic<std::uint64_t> connects{0}, connect_failures{0}, boots_accepted{0}, calls_sent{0}, call_errors{0},
      commands_answered{0}, sessions_started{0}, sessions_stopped{0}, meter_values{0};
  std::mutex latency_mutex;
  std::vector<double> latencies_ms;      // CALL round trips; guarded by latency_mutex
  std::vector<double> load_latencies_ms; // from the intended send time; guarded by latency_mutex
  void record(std::vector<double> &series, double ms) {
    std::lock_guard lock{latency_mutex};
    series.push_back(ms);
  }

  void progress(const std::string &line) const {
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

  // Faults that stay (latched_faults_per_hour): counts, and each cleared fault's time; the
  // times guarded by latency_mutex.
  std::atomic<std::uint64_t> faults_injected{0}, faults_sticky{0}, resets_received{0};
  std::vector<double> clear_s;

  // What each station draws now (W, and A on L1..L3), for the site meter; guarded by draw_mutex.
  std::mutex draw_mutex;
  std::vector<std::array<double, 4>> draws; // by station index - 1: W, L1, L2, L3
  void publish_draw(int index, std::array<double, 4> draw) {
    std::lock_guard lock{draw_mutex};
    if (index >= 1 && static_cast<std::size_t>(index) <= draws.size())
      draws[static_cast<std::size_t>(index) - 1] = draw;
  }
  std::array<double, 4> total_draw() {
    std::lock_guard lock{draw_mutex};
    std::array<double, 4> sum{};
    for (const auto &d : draws)
      for (std::size_t i = 0; i < sum.size(); ++i)
        sum[i] += d[i];
    return sum;
  }
};

//! A fault that stays until a reset clears it (Transient) or stays after it too (Sticky).
enum class Fault { None, Transient, Sticky };

struct Connector {
  Fault fault = Fault::None;
  Clock::time_point faulted_at{};
  bool charging = false;
  bool stop_requested = false;
  std::optional<std::string> start_tag; // a remote start to carry out
  std::optional<std::int64_t> remote_start_id;
  std::int64_t tx_number = 0; // 1.6: the CSMS's transaction id
  std::string tx_id;          // 2.x: ours
  std::int64_t seq = 0;
  double register_wh = 0;
  std::optional<energy::Vehicle> vehicle; // while a session runs
  double draw_w = 0;                      // what it draws now
  std::array<double, 3> amps{};           // per phase L1..L3 (DC: [0] is the DC current)
  int phases_used = 3;                    // the vehicle's, or fewer when a profile's numberPhases says so
  core::Timestamp tx_started{};
  Clock::time_point next_meter, stop_at, next_arrival;
  StopCause stop_cause = StopCause::Local;
};

class Station : public std::enable_shared_from_this<Station> {
public:
  //! `index` 1..stations; stations + 1 is the site meter when there is one.
  Station(asio::io_context &ioc, Shared &shared, int index);

  void start();
  //! The reconnect storm: drop the connection now (as a power or network cut would). Any thread.
  void drop();

private:
  // ---- connection lifecycle and frames (station.cpp) ----------------------------------------
  static asio::awaitable<void> run(std::shared_ptr<Station> self);
  asio::awaitable<bool> connect();
  void close();
  void send(std::string frame);
  static asio::awaitable<void> writer(std::shared_ptr<Station> self);
  static asio::awaitable<void> reader(std::shared_ptr<Station> self);
  core::ProtocolVersion version() const {
    return v16_ ? core::ProtocolVersion::Ocpp16 : core::ProtocolVersion::Ocpp201;
  }
  const ocpp::MessageCatalog &catalog() const { return v16_ ? shared_.catalog16 : shared_.catalog2; }

  //! Sends a CALL and waits for its answer: the CALLRESULT's payload, nullopt for a CALLERROR,
  //! a dropped connection or 30 s without an answer.
  // Coroutine parameters are string_views of literals and named values only: GCC 12
  // mishandles array arguments and temporaries in co_await expressions.
  asio::awaitable<std::optional<boost::json::value>> call_value(std::string_view action, boost::json::value payload);

  //! A typed CALL: the request encoded by its generated codec, the answer checked against its
  //! schema and decoded (an answer that fails its schema counts as a CALLERROR).
  template <class Msg> asio::awaitable<std::optional<typename Msg::Response>> call(typename Msg::Request request) {
    boost::json::value payload = encode(request);
    auto answer = co_await call_value(Msg::action, std::move(payload));
    if (!answer) co_return std::nullopt;
    const auto *schema = catalog().response(Msg::action);
    if (!answer->is_object() || (schema && schema->validate(*answer))) {
      shared_.call_errors++;
      co_return std::nullopt;
    }
    typename Msg::Response response;
    decode(*answer, response);
    co_return response;
  }

  // ---- what the CSMS asks (commands.cpp) ----------------------------------------------------
  Connector *connector_by_tx16(std::int64_t tx);
  Connector *connector_by_tx2(std::string_view tx);
  Connector *free_connector(std::optional<std::int64_t> wanted);
  void answer(const ocpp::Frame &call);
  //! The answer's payload, or nullopt when the action is not simulated.
  std::optional<boost::json::value> answer16(const std::string &action, const boost::json::value &payload);
  std::optional<boost::json::value> answer2(const std::string &action, const boost::json::value &payload);

  // ---- what the station does (behaviour.cpp) ------------------------------------------------
  double power(const Connector &c) const { return c.vehicle ? c.draw_w : shared_.opt.power_w; }
  MeterReading reading(const Connector &c) const { return {c.register_wh, power(c)}; }

  // ---- energy (power.cpp) -------------------------------------------------------------------
  //! The meter of a connector now: energy, power, the current of each phase, the vehicle's SoC.
  MeterReading phase_reading(const Connector &c) const;
  TxContext tx_context(const Connector &c) const;
  Electrical electrical(const Connector &c) const;
  double hardware(RateUnit unit, const Electrical &e) const;
  //! Integrates every connector's energy up to now at what it drew, then sets what each draws
  //! from now: its vehicle's acceptance within the composite limit (unless the station ignores
  //! profiles), the ChargingStationMaxProfile shared among the connectors.
  void update_draws();
  energy::Vehicle new_vehicle();
  //! A 2.x vehicle's ISO 15118 charging needs at the start of a session (when enabled).
  asio::awaitable<void> tell_charging_needs(Connector &c, int evse);
  //! The site meter's behaviour: connector 0 meter values of the site's load.
  asio::awaitable<void> meter_site();
  std::optional<boost::json::value> composite_answer16(const boost::json::value &payload);
  std::optional<boost::json::value> composite_answer2(const boost::json::value &payload);
  //! True when the CSMS answered with a CALLRESULT.
  asio::awaitable<bool> status(int connector, ConnectorState state);
  asio::awaitable<bool> heartbeat();
  //! A 2.x TransactionEvent for connector `evse` with a small meter value, as call() answers.
  asio::awaitable<bool> transaction_event(Connector &c, int evse, ocpp::v201::TransactionEventEnum type,
                                          ocpp::v201::TriggerReasonEnum trigger, ocpp::v201::ReadingContextEnum context,
                                          std::optional<ocpp::v201::IdToken> id_token);
  asio::awaitable<void> start_session(Connector &c, int number, std::string tag);
  asio::awaitable<void> stop_session(Connector &c, int number);
  Clock::time_point next_arrival();
  std::string new_tx_id(int number);
  std::string tag() const { return "SIM-TAG-" + std::to_string(index_ % 1000); }
  asio::awaitable<bool> load_message(Connector &c);
  asio::awaitable<void> load();
  asio::awaitable<bool> boot(bool remote_reset);
  asio::awaitable<void> behave(bool remote_reset);

  asio::strand<asio::io_context::executor_type> strand_;
  Shared &shared_;
  int index_;
  std::string id_;
  bool v16_ = true;
  std::unique_ptr<websocket::stream<beast::tcp_stream>> ws_;
  bool connected_ = false, writing_ = false, reset_requested_ = false;
  bool booted_once_ = false, storm_pending_ = false;
  std::deque<std::string> outbox_;
  asio::steady_timer call_timer_, wake_;
  std::string pending_id_;
  std::optional<boost::json::value> pending_result_;
  std::uint64_t next_id_ = 0, tx_counter_ = 0;
  std::vector<Connector> connectors_;
  std::mt19937_64 rng_;
  ProfileStack profiles_;
  bool dc_ = false, ignores_profiles_ = false, site_meter_ = false;
  Clock::time_point last_step_ = Clock::now();
  double site_register_wh_ = 0;
};

} // namespace gridlane::sim
