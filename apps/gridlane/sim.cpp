#include "sim.hpp"

#include <charconv>
#include <iostream>
#include <thread>

#include "app.hpp"
#include "demo_seed.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::app {

void SimCommands::attach(CLI::App &cli) {
  sim_ = cli.add_subcommand("sim", "Simulate a fleet of charging stations against a CSMS; stops by itself");
  sim_->add_option("--url", options_.url, "CSMS endpoint, ws://HOST:PORT/PATH (the station id is appended)");
  sim_->add_option("--stations", options_.stations, "How many stations")->check(CLI::Range(1, 200000));
  sim_->add_option("--share-16", options_.share_16, "Share of stations speaking OCPP 1.6 (the rest 2.0.1)")
      ->check(CLI::Range(0.0, 1.0));
  sim_->add_option("--connectors", options_.connectors, "Connectors per station")->check(CLI::Range(1, 8));
  sim_->add_option("--prefix", options_.prefix, "Station id prefix");
  sim_->add_option("--duration", duration_s_, "Seconds to run")->check(CLI::Range(1, 7 * 24 * 3600));
  sim_->add_option("--sessions-per-hour", options_.sessions_per_hour, "Session arrivals per connector and hour");
  sim_->add_option("--session-length", session_length_s_, "Mean session length, seconds");
  sim_->add_option("--meter-interval", meter_interval_s_, "Seconds between meter values while charging")
      ->check(CLI::Range(1, 3600));
  sim_->add_option("--heartbeat-interval", heartbeat_interval_s_, "Seconds between heartbeats")
      ->check(CLI::Range(1, 86400));
  sim_->add_option("--power", options_.power_w, "Charging power per connector, W");
  sim_->add_option("--faults-per-hour", options_.fault_per_hour,
                   "Glitches per station and hour: Faulted, then Available at once");
  sim_->add_option("--fault-rate", options_.latched_faults_per_hour,
                   "Faults that stay, per station and hour: connector 1 stays Faulted until a Reset clears it")
      ->check(CLI::Range(0.0, 3600.0));
  sim_->add_option("--sticky-share", options_.sticky_share,
                   "Share of --fault-rate faults a Reset does not clear (Faulted again after the reboot)")
      ->check(CLI::Range(0.0, 1.0));
  sim_->add_option("--fault-window", fault_window_s_,
                   "Seconds from the start during which --fault-rate faults occur (0: all the run)")
      ->check(CLI::Range(0, 7 * 24 * 3600));
  sim_->add_option("--source-addresses", sources_,
                   "Comma-separated local addresses to connect from (e.g. 127.0.0.2,127.0.0.3)");
  sim_->add_option("--seed", options_.seed, "Random seed");
  sim_->add_option("--threads", options_.threads, "Threads")->check(CLI::Range(1, 64));
  sim_->add_option("--rate", options_.rate,
                   "Open-loop load: messages per second over the fleet after the warm-up (0: none)")
      ->check(CLI::Range(0.0, 1e6));
  sim_->add_option("--warmup", warmup_s_, "Seconds before the load window (connect, boot, open transactions)")
      ->check(CLI::Range(0, 3600));
  sim_->add_option("--window", window_s_, "Seconds of the measured load window (default: until the end of the run)")
      ->check(CLI::Range(0, 7 * 24 * 3600));
  sim_->add_option("--cpu-of", options_.cpu_of_pid, "PID of the CSMS: report its CPU use over the load window");
  sim_->add_option("--storm-after", options_.storm_after_s,
                   "Reconnect storm: seconds after all stations are up, drop every connection at once (0: none)")
      ->check(CLI::Range(0, 86400));
  // Energy (docs/energy.md, "The simulator").
  sim_->add_option("--vehicle-capacity", options_.vehicle_capacity_wh, "Mean battery capacity of a vehicle, Wh")
      ->check(CLI::Range(1000.0, 1e6));
  sim_->add_option("--share-1phase", options_.share_1phase, "Share of vehicles charging on one phase")
      ->check(CLI::Range(0.0, 1.0));
  sim_->add_option("--share-dc", options_.share_dc, "Share of stations that are DC chargers (--power their maximum)")
      ->check(CLI::Range(0.0, 1.0));
  sim_->add_option("--ignore-profiles", ignore_, "Comma-separated station numbers (1-based) that ignore profiles");
  sim_->add_option("--ignore-share", options_.ignore_share, "Share of stations that accept profiles but ignore them")
      ->check(CLI::Range(0.0, 1.0));
  sim_->add_flag("--charging-needs", options_.charging_needs, "2.x: send NotifyEVChargingNeeds at each session start");
  sim_->add_flag("--site-meter", options_.site_meter,
                 "One more station, {prefix}METER, metering the site on connector 0");
  sim_->add_option("--building-load", options_.building_w, "Site meter: the building's mean load, W")
      ->check(CLI::Range(0.0, 1e8));
  sim_->add_option("--pv-peak", options_.pv_peak_w, "Site meter: PV production at 13:00 UTC, W")
      ->check(CLI::Range(0.0, 1e8));

  demo_ = cli.add_subcommand("demo", "Run the CSMS with a small simulated fleet (two sites, twenty stations)");
  demo_->add_option("--listen", demo_listen_, "HOST:PORT (default 127.0.0.1:8180)");
  demo_->add_option("--stations", options_.stations, "How many stations (default 20)")->check(CLI::Range(1, 1000));
}

namespace {

//! Where to look and how to log in (README "Demo"); a browser on this machine opens the URLs.
void print_demo_welcome(const std::string &address, const core::Config &config, const DemoSetup &setup) {
  auto host = address.rfind("0.0.0.0:", 0) == 0 ? "127.0.0.1" + address.substr(7) : address;
  std::cout << "demo: console        http://" << host << "/\n"
            << "demo: driver portal  http://" << host << "/drive\n";
  if (!config.web.enabled) std::cout << "demo: ([web] enabled = false: the console is not served)\n";
  for (const auto &l : setup.logins) {
    std::cout << "demo: login " << l.username << " (" << l.role << ") password ";
    std::cout << (l.password.empty() ? "unchanged (printed when this database's demo first ran)" : l.password) << "\n";
  }
  for (const auto &n : setup.notes)
    std::cout << "demo: not set up: " << n << "\n";
  std::cout << std::flush;
}

std::vector<std::string> split_list(const std::string &text) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    if (ch == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (ch != ' ') {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}
} // namespace

int SimCommands::run_sim() {
  options_.duration = std::chrono::seconds(duration_s_);
  options_.session_length = std::chrono::seconds(session_length_s_);
  options_.meter_interval = std::chrono::seconds(meter_interval_s_);
  options_.heartbeat_interval = std::chrono::seconds(heartbeat_interval_s_);
  options_.source_addresses = split_list(sources_);
  for (const auto &n : split_list(ignore_)) {
    int number = 0;
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), number);
    if (ec != std::errc{} || end != n.data() + n.size() || number < 1) {
      std::cerr << "--ignore-profiles: not a station number: " << n << "\n";
      return 2;
    }
    options_.ignore_stations.push_back(number);
  }
  options_.warmup = std::chrono::seconds(warmup_s_);
  options_.fault_window = std::chrono::seconds(fault_window_s_);
  options_.load_length = std::chrono::seconds(window_s_);
  options_.progress = [](const std::string &line) { std::cout << "[sim] " << line << std::endl; };
  std::cout << "simulating " << options_.stations << " stations against " << options_.url << " for " << duration_s_
            << " s" << std::endl;
  auto report = sim::run(options_);
  std::cout << sim::to_text(report);
  return report.boots_accepted > 0 ? 0 : 1;
}

int SimCommands::run_demo(core::Config config) {
  if (!sim_parsed() && options_.stations == 10) options_.stations = 20;
  core::parse_listen(demo_listen_, config.server);
  DemoSetup setup;
  {
    // Two sites with their stations, EVSEs, tariff and grid connection; the drivers' cards, so
    // sessions are authorised; the demo users.
    auto opened = store::open(config.database);
    setup = seed_demo(*opened, options_.stations);
  }
  std::atomic<bool> stop{false};
  std::thread fleet;
  options_.prefix = "DEMO-";
  options_.duration = std::chrono::hours(24 * 7);
  options_.sessions_per_hour = 20;
  options_.session_length = std::chrono::seconds(120);
  options_.meter_interval = std::chrono::seconds(10);
  options_.heartbeat_interval = std::chrono::seconds(60);
  options_.fault_per_hour = 1;
  options_.stop = &stop;
  int rc = serve(config, [&](const std::string &address) {
    options_.url = "ws://" + address + "/ocpp";
    std::cout << "demo: " << options_.stations << " simulated stations on two sites are connecting; watch them with "
              << "`gridlane admin stations` or the API (docs/api.md)" << std::endl;
    print_demo_welcome(address, config, setup);
    fleet = std::thread([this] { sim::run(options_); });
  });
  stop = true;
  if (fleet.joinable()) fleet.join();
  return rc;
}

} // namespace gridlane::app
