#pragma once
//! A fleet of simulated charging stations for any CSMS: each boots, reports status, runs
//! charging sessions with meter values, heartbeats, faults now and then, reconnects with
//! back-off and jitter, and answers the CSMS's commands (remote start/stop, reset,
//! availability, configuration/variables, charging profiles that cap its power).
#include <chrono>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace gridlane::sim {

struct SimOptions {
  std::string url = "ws://127.0.0.1:8180/ocpp"; //!< the CSMS endpoint; /{stationId} is appended
  int stations = 10;
  double share_16 = 0.5;        //!< the rest speak OCPP 2.0.1
  int connectors = 2;
  std::string prefix = "SIM-";
  std::chrono::seconds duration{60};           //!< the run stops by itself after this
  double sessions_per_hour = 4;                //!< per connector
  std::chrono::seconds session_length{600};    //!< mean
  std::chrono::seconds meter_interval{60};
  std::chrono::seconds heartbeat_interval{300};
  double power_w = 11000;                      //!< per connector, before charging profiles
  double fault_per_hour = 0.05;                //!< per station
  std::vector<std::string> source_addresses;   //!< local addresses to bind, round-robin
  std::uint64_t seed = 1;
  int threads = 1;
  const std::atomic<bool>* stop = nullptr; //!< when set and true, the run ends early
};

struct SimReport {
  std::uint64_t connects = 0, connect_failures = 0, boots_accepted = 0;
  std::uint64_t calls_sent = 0, call_errors = 0, commands_answered = 0;
  std::uint64_t sessions_started = 0, sessions_stopped = 0, meter_values = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0; //!< CALL round trips
  double cpu_seconds = 0;                    //!< the simulator's own CPU use
};

//! Runs the fleet until `duration` has passed; blocks.
SimReport run(const SimOptions& options);

std::string to_text(const SimReport& r);

} // namespace gridlane::sim
