// What a simulated station does: boot, report, charging sessions at human pace with meter
// values, heartbeats and faults; or, for the benchmarks, an open-loop load at fixed intended times.
#include <algorithm>
#include <cstdio>

#include "station.hpp"

namespace gridlane::sim {
namespace v16 = ocpp::v16;
namespace v201 = ocpp::v201;

namespace {
core::Timestamp now_utc() {
  return core::SystemClock{}.now();
}
std::chrono::milliseconds seconds_as_ms(double s) {
  return std::chrono::milliseconds(static_cast<long>(s * 1000));
}
} // namespace

asio::awaitable<bool> Station::status(int connector, ConnectorState state) {
  if (v16_) {
    auto request = msg::status16(connector, state, now_utc());
    auto res = co_await call<v16::StatusNotification>(std::move(request));
    co_return res.has_value();
  }
  auto request = msg::status2(connector, state, now_utc());
  auto res = co_await call<v201::StatusNotification>(std::move(request));
  co_return res.has_value();
}

asio::awaitable<bool> Station::heartbeat() {
  if (v16_) {
    v16::HeartbeatRequest request;
    auto res = co_await call<v16::Heartbeat>(request);
    co_return res.has_value();
  }
  v201::HeartbeatRequest request;
  auto res = co_await call<v201::Heartbeat>(std::move(request));
  co_return res.has_value();
}

asio::awaitable<bool> Station::transaction_event(Connector &c, int evse, v201::TransactionEventEnum type,
                                                 v201::TriggerReasonEnum trigger, v201::ReadingContextEnum context,
                                                 std::optional<v201::IdToken> id_token) {
  msg::TransactionEventArgs args;
  args.type = type;
  args.trigger = trigger;
  args.context = context;
  args.transaction_id = c.tx_id;
  args.seq_no = c.seq++;
  args.evse = evse;
  args.stop_cause = c.stop_cause;
  args.remote_start_id = c.remote_start_id;
  auto request = msg::transaction_event(args, msg::phase_meter2(phase_reading(c), context, now_utc()), now_utc());
  request.idToken = std::move(id_token);
  auto res = co_await call<v201::TransactionEvent>(std::move(request));
  co_return res.has_value();
}

std::string Station::new_tx_id(int number) {
  char tx[64];
  std::snprintf(tx, sizeof tx, "%s-%d-%llu", id_.c_str(), number, static_cast<unsigned long long>(++tx_counter_));
  return tx;
}

asio::awaitable<void> Station::start_session(Connector &c, int number, std::string tag) {
  if (v16_) {
    v16::AuthorizeRequest auth;
    auth.idTag = tag;
    co_await call<v16::Authorize>(std::move(auth));
  } else {
    v201::AuthorizeRequest auth;
    auth.idToken = msg::id_token2(tag);
    co_await call<v201::Authorize>(std::move(auth));
  }
  co_await status(number, ConnectorState::Preparing);
  // A vehicle plugs in (the open-loop load of the benchmarks keeps its fixed power instead).
  if (shared_.opt.rate <= 0) c.vehicle = new_vehicle();
  c.tx_started = now_utc();
  if (v16_) {
    v16::StartTransactionRequest start;
    start.connectorId = number;
    start.idTag = tag;
    start.meterStart = static_cast<std::int64_t>(c.register_wh);
    start.timestamp = now_utc();
    auto res = co_await call<v16::StartTransaction>(std::move(start));
    if (!res) {
      c.vehicle.reset();
      co_return;
    }
    c.tx_number = res->transactionId;
    co_await status(number, ConnectorState::Charging);
  } else {
    c.tx_id = new_tx_id(number);
    c.seq = 0;
    auto trigger = c.remote_start_id ? v201::TriggerReasonEnum::RemoteStart : v201::TriggerReasonEnum::Authorized;
    std::optional<v201::IdToken> id_token = msg::id_token2(tag);
    co_await transaction_event(c, number, v201::TransactionEventEnum::Started, trigger,
                               v201::ReadingContextEnum::Transaction_Begin, std::move(id_token));
  }
  c.charging = true;
  c.stop_requested = false;
  c.stop_cause = StopCause::Local;
  shared_.sessions_started++;
  auto mean = static_cast<double>(shared_.opt.session_length.count());
  auto length = std::exponential_distribution<double>(1.0 / std::max(1.0, mean))(rng_);
  c.stop_at = Clock::now() + seconds_as_ms(length);
  c.next_meter = Clock::now() + shared_.opt.meter_interval;
  update_draws();
  co_await tell_charging_needs(c, number);
}

asio::awaitable<void> Station::stop_session(Connector &c, int number) {
  update_draws(); // the energy up to the stop
  if (v16_) {
    v16::StopTransactionRequest stop;
    stop.transactionId = c.tx_number;
    stop.meterStop = static_cast<std::int64_t>(c.register_wh);
    stop.timestamp = now_utc();
    stop.reason = msg::reason16(c.stop_cause);
    co_await call<v16::StopTransaction>(std::move(stop));
    co_await status(number, ConnectorState::Finishing);
  } else {
    auto trigger = c.stop_cause == StopCause::Remote ? v201::TriggerReasonEnum::RemoteStop
                                                     : v201::TriggerReasonEnum::StopAuthorized;
    std::optional<v201::IdToken> no_token;
    co_await transaction_event(c, number, v201::TransactionEventEnum::Ended, trigger,
                               v201::ReadingContextEnum::Transaction_End, std::move(no_token));
  }
  co_await status(number, ConnectorState::Available);
  c.charging = false;
  c.stop_requested = false;
  c.remote_start_id.reset();
  c.vehicle.reset();
  profiles_.transaction_ended(number); // its TxProfiles end with it
  update_draws();
  shared_.sessions_stopped++;
}

Clock::time_point Station::next_arrival() {
  double per_second = shared_.opt.sessions_per_hour / 3600.0;
  if (per_second <= 0) return Clock::time_point::max();
  auto wait = std::exponential_distribution<double>(per_second)(rng_);
  return Clock::now() + seconds_as_ms(std::min(wait, 1e7));
}

// ---- open-loop load -------------------------------------------------------------------------

//! One message of the mix; true when the CSMS answered it with a CALLRESULT.
asio::awaitable<bool> Station::load_message(Connector &c) {
  double r = std::uniform_real_distribution<double>(0, 1)(rng_);
  if (r < 0.85) { // a periodic sample, ~600 bytes
    c.register_wh += power(c) * 10 / 3600.0;
    shared_.meter_values++;
    if (v16_) {
      v16::MeterValuesRequest mv;
      mv.connectorId = 1;
      if (c.charging) mv.transactionId = c.tx_number;
      mv.meterValue = msg::big_meter16(reading(c), now_utc());
      auto res = co_await call<v16::MeterValues>(std::move(mv));
      co_return res.has_value();
    }
    if (c.charging) {
      msg::TransactionEventArgs args;
      args.transaction_id = c.tx_id;
      args.seq_no = c.seq++;
      auto event = msg::transaction_event(args, msg::big_meter2(reading(c), now_utc()), now_utc());
      auto res = co_await call<v201::TransactionEvent>(std::move(event));
      co_return res.has_value();
    }
    v201::MeterValuesRequest mv;
    mv.evseId = 1;
    mv.meterValue = msg::big_meter2(reading(c), now_utc());
    auto res = co_await call<v201::MeterValues>(std::move(mv));
    co_return res.has_value();
  }
  bool answered = false;
  if (r < 0.92) {
    answered = co_await heartbeat();
    co_return answered;
  }
  if (r < 0.97) {
    const auto state = c.charging ? ConnectorState::Charging : ConnectorState::Available;
    answered = co_await status(1, state);
    co_return answered;
  }
  std::optional<v201::IdToken> no_token;
  if (c.charging) {
    c.stop_cause = StopCause::Local;
    if (v16_) {
      v16::StopTransactionRequest stop;
      stop.transactionId = c.tx_number;
      stop.meterStop = static_cast<std::int64_t>(c.register_wh);
      stop.timestamp = now_utc();
      stop.reason = v16::StopTransactionRequestReason::Local;
      auto res = co_await call<v16::StopTransaction>(std::move(stop));
      answered = res.has_value();
    } else {
      answered =
          co_await transaction_event(c, 1, v201::TransactionEventEnum::Ended, v201::TriggerReasonEnum::StopAuthorized,
                                     v201::ReadingContextEnum::Transaction_End, std::move(no_token));
    }
    c.charging = false;
    shared_.sessions_stopped++;
    co_return answered;
  }
  if (v16_) {
    v16::StartTransactionRequest start;
    start.connectorId = 1;
    start.idTag = tag();
    start.meterStart = static_cast<std::int64_t>(c.register_wh);
    start.timestamp = now_utc();
    auto res = co_await call<v16::StartTransaction>(std::move(start));
    if (res) c.tx_number = res->transactionId;
    answered = res.has_value();
  } else {
    c.tx_id = new_tx_id(1);
    c.seq = 0;
    std::optional<v201::IdToken> id_token = msg::id_token2(tag());
    answered =
        co_await transaction_event(c, 1, v201::TransactionEventEnum::Started, v201::TriggerReasonEnum::Authorized,
                                   v201::ReadingContextEnum::Transaction_Begin, std::move(id_token));
  }
  c.charging = answered;
  if (c.charging) shared_.sessions_started++;
  co_return answered;
}

//! The warm-up opens a transaction; then messages go out at this station's share of the
//! rate, at fixed intended times, whether or not the CSMS has kept up.
asio::awaitable<void> Station::load() {
  auto &c = connectors_[0];
  if (!c.charging) {
    std::string first_tag = tag();
    co_await start_session(c, 1, std::move(first_tag));
  }
  const double per_station = shared_.opt.rate / shared_.opt.stations;
  const auto interval = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / per_station));
  auto next = shared_.load_start +
              std::chrono::nanoseconds(static_cast<std::int64_t>(std::uniform_real_distribution<double>(0, 1)(rng_) *
                                                                 static_cast<double>(interval.count())));
  while (next < Clock::now())
    next += interval; // back after a drop: the schedule goes on from now
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

// ---- behaviour at human pace ----------------------------------------------------------------

//! True when the CSMS accepted the boot.
asio::awaitable<bool> Station::boot(bool remote_reset) {
  if (v16_) {
    auto request = msg::boot16(id_);
    auto res = co_await call<v16::BootNotification>(std::move(request));
    co_return res && res->status == v16::BootNotificationResponseStatus::Accepted;
  }
  auto reason = remote_reset ? v201::BootReasonEnum::RemoteReset : v201::BootReasonEnum::PowerUp;
  auto request = msg::boot2(id_, reason);
  auto res = co_await call<v201::BootNotification>(std::move(request));
  co_return res && res->status == v201::RegistrationStatusEnum::Accepted;
}

asio::awaitable<void> Station::behave(bool remote_reset) {
  const bool accepted = co_await boot(remote_reset);
  if (!accepted) co_return;
  shared_.boots_accepted++;
  if (site_meter_) {
    co_await meter_site();
    co_return;
  }
  for (std::size_t i = 0; i < connectors_.size(); ++i) {
    // A connection lost mid-session: the session ends (the CSMS is told on reconnect).
    auto &c = connectors_[i];
    if (c.charging) co_await stop_session(c, static_cast<int>(i) + 1);
    c.start_tag.reset();
    c.next_arrival = next_arrival();
    // A reset clears a transient fault; a sticky one is still there after the reboot.
    if (c.fault == Fault::Transient && remote_reset) {
      c.fault = Fault::None;
      shared_.record(shared_.clear_s, std::chrono::duration<double>(Clock::now() - c.faulted_at).count());
    }
    co_await status(static_cast<int>(i) + 1,
                    c.fault == Fault::None ? ConnectorState::Available : ConnectorState::Faulted);
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
  auto next_fault = Clock::now() + seconds_as_ms(std::min(faults(rng_), 1e7));
  // Drawn only when asked for, so a fleet without latched faults is the same as before for a seed.
  const double latched_rate = shared_.opt.latched_faults_per_hour;
  std::exponential_distribution<double> latched(std::max(1e-9, latched_rate / 3600.0));
  auto next_latched = latched_rate > 0 ? Clock::now() + seconds_as_ms(std::min(latched(rng_), 1e7)) : shared_.deadline;
  while (connected_ && !reset_requested_ && Clock::now() < shared_.deadline) {
    auto now = Clock::now();
    if (now >= next_heartbeat) {
      co_await heartbeat();
      next_heartbeat = now + shared_.opt.heartbeat_interval;
    }
    if (now >= next_fault) {
      co_await status(1, ConnectorState::Faulted);
      co_await status(1, ConnectorState::Available);
      next_fault = now + seconds_as_ms(std::min(faults(rng_), 1e7));
    }
    if (now >= next_latched && shared_.opt.fault_window.count() > 0 && now > shared_.start + shared_.opt.fault_window) {
      next_latched = shared_.deadline; // the window is over: no more faults
    } else if (now >= next_latched) {
      auto &c = connectors_.front();
      if (c.fault == Fault::None && !c.charging) {
        const bool sticky = std::uniform_real_distribution<double>(0, 1)(rng_) < shared_.opt.sticky_share;
        c.fault = sticky ? Fault::Sticky : Fault::Transient;
        c.faulted_at = now;
        shared_.faults_injected++;
        if (sticky) shared_.faults_sticky++;
        co_await status(1, ConnectorState::Faulted);
      }
      next_latched = now + seconds_as_ms(std::min(latched(rng_), 1e7));
    }
    for (std::size_t i = 0; i < connectors_.size() && connected_; ++i) {
      auto &c = connectors_[i];
      int number = static_cast<int>(i) + 1;
      if (c.fault != Fault::None && !c.charging) {
        c.start_tag.reset(); // a faulted connector starts nothing
        c.next_arrival = next_arrival();
        continue;
      }
      if (!c.charging && c.start_tag) {
        std::string tag = *c.start_tag;
        c.start_tag.reset();
        co_await start_session(c, number, std::move(tag));
      } else if (!c.charging && now >= c.next_arrival) {
        std::string arrival_tag = tag();
        co_await start_session(c, number, std::move(arrival_tag));
        c.next_arrival = next_arrival();
      } else if (c.charging && (c.stop_requested || now >= c.stop_at)) {
        co_await stop_session(c, number);
        c.next_arrival = next_arrival();
      } else if (c.charging && now >= c.next_meter) {
        if (c.vehicle)
          update_draws(); // the energy since the last sample, and what it draws from now under the profiles
        else
          c.register_wh += power(c) * std::chrono::duration<double>(shared_.opt.meter_interval).count() / 3600.0;
        if (v16_) {
          v16::MeterValuesRequest mv;
          mv.connectorId = number;
          mv.transactionId = c.tx_number;
          mv.meterValue = msg::phase_meter16(phase_reading(c), v16::SampledValueContext::Sample_Periodic, now_utc());
          co_await call<v16::MeterValues>(std::move(mv));
        } else {
          std::optional<v201::IdToken> no_token;
          co_await transaction_event(c, number, v201::TransactionEventEnum::Updated,
                                     v201::TriggerReasonEnum::MeterValuePeriodic,
                                     v201::ReadingContextEnum::Sample_Periodic, std::move(no_token));
        }
        shared_.meter_values++;
        c.next_meter = now + shared_.opt.meter_interval;
      }
    }
    // Sleep until the next thing to do, or until a command wakes us.
    auto until = std::min({next_heartbeat, next_fault, next_latched, shared_.deadline});
    for (const auto &c : connectors_) {
      until = std::min(until, c.charging ? std::min(c.next_meter, c.stop_at) : c.next_arrival);
      if (c.start_tag || (c.charging && c.stop_requested)) until = Clock::now();
    }
    // Always suspend, even when work is due at once: one station must never starve the
    // others sharing its thread.
    wake_.expires_at(std::max(until, Clock::now()));
    co_await wake_.async_wait(use_tuple);
  }
}

} // namespace gridlane::sim
