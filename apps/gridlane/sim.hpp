#pragma once
#include <CLI/CLI.hpp>

#include "gridlane/core/config.hpp"
#include "gridlane/sim/simulator.hpp"

namespace gridlane::app {

//! `gridlane sim` (a fleet against any CSMS) and `gridlane demo` (the server with a fleet).
class SimCommands {
public:
  void attach(CLI::App &cli);
  bool sim_parsed() const { return sim_->parsed(); }
  bool demo_parsed() const { return demo_->parsed(); }
  int run_sim();
  int run_demo(core::Config config);

private:
  CLI::App *sim_ = nullptr;
  CLI::App *demo_ = nullptr;
  sim::SimOptions options_;
  int duration_s_ = 60;
  int session_length_s_ = 600;
  int warmup_s_ = 5;
  int fault_window_s_ = 0;
  int window_s_ = 0;
  int meter_interval_s_ = 60;
  int heartbeat_interval_s_ = 300;
  std::string sources_;
  std::string ignore_; //!< --ignore-profiles
  std::string demo_listen_ = "127.0.0.1:8180";
};

} // namespace gridlane::app
