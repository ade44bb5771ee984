#pragma once
//! A fleet of simulated charging stations for any CSMS: each boots, reports status, runs
//! charging sessions with meter values, heartbeats, faults now and then, reconnects with
//! back-off and jitter, and answers the CSMS's commands (remote start/stop, reset,
//! availability, configuration/variables, charging profiles that cap its power).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gridlane::sim {

struct SimOptions {
  std::string url = "ws://127.0.0.1:8180/ocpp"; //!< the CSMS endpoint; /{stationId} is appended
  int stations = 10;
  double share_16 = 0.5; //!< the rest speak OCPP 2.0.1
  int connectors = 2;
  std::string prefix = "SIM-";
  std::chrono::seconds duration{60};        //!< the run stops by itself after this
  double sessions_per_hour = 4;             //!< per connector
  std::chrono::seconds session_length{600}; //!< mean
  std::chrono::seconds meter_interval{60};
  std::chrono::seconds heartbeat_interval{300};
  double power_w = 11000;       //!< per connector, before charging profiles
  double fault_per_hour = 0.05; //!< per station: Faulted, then Available at once (a glitch)
  //! Faults that stay (docs/operations.md "Self-healing"): per station and hour, connector 1
  //! reports Faulted and keeps it. A transient one is cleared by a Reset (the station reboots and
  //! reports Available); a sticky one (`sticky_share` of them) is not (Faulted again after the
  //! reboot). No session starts on a faulted connector.
  double latched_faults_per_hour = 0;
  double sticky_share = 0;
  std::chrono::seconds fault_window{0};      //!< latched faults only this long from the start; 0: the whole run
  std::vector<std::string> source_addresses; //!< local addresses to bind, round-robin
  std::uint64_t seed = 1;
  int threads = 1;
  const std::atomic<bool> *stop = nullptr; //!< when set and true, the run ends early

  // Open-loop load (benchmarks): instead of charging sessions at human pace, every station
  // opens a transaction during the warm-up and then sends at fixed intended times, together
  // `rate` messages per second: mostly ~600-byte meter values, some heartbeats, status
  // notifications, and transaction stops and starts. Latency counts from the intended send
  // time, so a CSMS that falls behind cannot hide it by slowing the generator down.
  double rate = 0;                     //!< messages per second over the fleet; 0: no load phase
  std::chrono::seconds warmup{5};      //!< from the start to the measured window
  std::chrono::seconds load_length{0}; //!< the measured window; 0: until the end of the run
  int cpu_of_pid = 0;                  //!< also report this process's CPU over the window (the CSMS)

  // Reconnect storm: this many seconds after every station has booted, all drop their
  // connections at once and reconnect at once (boot and status notifications again).
  int storm_after_s = 0;
  std::function<void(const std::string &)> progress; //!< milestones as they happen (on a sim thread)

  // Energy (docs/energy.md, "The simulator"). Every session brings a vehicle (energy::Vehicle)
  // drawn from this mix; a station draws what its vehicle takes within the composite limit of
  // the charging profiles it was sent, and reports the current of each phase.
  double vehicle_capacity_wh = 60000; //!< mean battery capacity (each vehicle 60 %..140 % of it)
  double share_1phase = 0.2;          //!< vehicles charging on one phase (the rest on three)
  double share_dc = 0;                //!< stations that are DC chargers (`power_w` their maximum)
  double ignore_share = 0;            //!< stations that accept profiles but draw what the vehicle takes
  std::vector<int> ignore_stations;   //!< station numbers (1-based) that ignore profiles, besides the share
  bool charging_needs = false;        //!< 2.x: NotifyEVChargingNeeds at every session start
  //! A site meter: one more station, `{prefix}METER`, whose connector 0 reports the site's load:
  //! the building's, minus the PV's production, plus what the simulated stations draw.
  bool site_meter = false;
  double building_w = 20000; //!< the building's mean load
  double pv_peak_w = 0;      //!< the PV's production at solar noon (UTC), 0 at night
};

struct SimReport {
  std::uint64_t connects = 0, connect_failures = 0, boots_accepted = 0;
  std::uint64_t calls_sent = 0, call_errors = 0, commands_answered = 0;
  std::uint64_t sessions_started = 0, sessions_stopped = 0, meter_values = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0; //!< CALL round trips
  double cpu_seconds = 0;                    //!< the simulator's own CPU use
  double all_up_s = -1;                      //!< from the start until every station had booted

  // The load window, when there is one.
  double window_s = 0;
  std::uint64_t load_sent = 0, load_answered = 0, load_failed = 0;
  double load_p50_ms = 0, load_p99_ms = 0, load_p999_ms = 0, load_max_ms = 0;
  double window_cpu_s = 0;  //!< the simulator's CPU during the window
  double target_cpu_s = -1; //!< cpu_of_pid's CPU during the window

  // Faults that stay (latched_faults_per_hour), when there were any.
  std::uint64_t faults_injected = 0, faults_sticky = 0;
  std::uint64_t faults_cleared = 0;  //!< transient faults a reset cleared
  double mean_clear_s = 0;           //!< from the Faulted report to the Available after the reset
  std::uint64_t resets_received = 0; //!< Reset requests answered (any kind)

  // The storm, when there was one.
  std::uint64_t storm_stations = 0, storm_recovered = 0;
  double storm_s = 0; //!< from the drop until the last station was back and had reported
};

//! Runs the fleet until `duration` has passed; blocks.
SimReport run(const SimOptions &options);

std::string to_text(const SimReport &r);

} // namespace gridlane::sim
