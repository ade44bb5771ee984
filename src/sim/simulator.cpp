#include "gridlane/sim/simulator.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/url.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "station.hpp"

namespace gridlane::sim {

namespace {

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
template <std::size_t N> std::array<double, N> quantiles(std::vector<double> &samples, const double (&qs)[N]) {
  std::array<double, N> out{};
  if (samples.empty()) return out;
  std::sort(samples.begin(), samples.end());
  for (std::size_t i = 0; i < N; ++i)
    out[i] =
        samples[std::min(samples.size() - 1, static_cast<std::size_t>(qs[i] * static_cast<double>(samples.size())))];
  return out;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

} // namespace

SimReport run(const SimOptions &options) {
  Shared shared;
  shared.opt = options;
  auto parsed = boost::urls::parse_uri(options.url);
  if (!parsed || (parsed->scheme() != "ws")) throw std::invalid_argument("--url must be ws://HOST:PORT/PATH");
  shared.host = parsed->host();
  shared.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  shared.path = parsed->path();
  while (!shared.path.empty() && shared.path.back() == '/')
    shared.path.pop_back();
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
  fleet.reserve(static_cast<std::size_t>(std::max(0, options.stations)));
  shared.draws.resize(static_cast<std::size_t>(std::max(0, options.stations)));
  const int count = options.stations + (options.site_meter ? 1 : 0); // the site meter last
  for (int i = 0; i < count; ++i)
    fleet.push_back(std::make_shared<Station>(ioc, shared, i + 1));
  for (auto &s : fleet)
    s->start();

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
        for (auto &s : fleet)
          s->drop();
      }
      if ((options.stop && options.stop->load()) || now >= shared.deadline + std::chrono::seconds(1))
        ioc.stop();
      else
        check();
    });
  };
  check();
  std::vector<std::thread> threads;
  for (int i = 1; i < options.threads; ++i)
    threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto &t : threads)
    t.join();

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
  r.faults_injected = shared.faults_injected;
  r.faults_sticky = shared.faults_sticky;
  r.resets_received = shared.resets_received;
  {
    std::lock_guard lock{shared.latency_mutex};
    r.faults_cleared = shared.clear_s.size();
    double sum = 0;
    for (double s : shared.clear_s)
      sum += s;
    if (!shared.clear_s.empty()) r.mean_clear_s = sum / static_cast<double>(shared.clear_s.size());
  }
  return r;
}

std::string to_text(const SimReport &r) {
  std::ostringstream o;
  o << "connects " << r.connects << " (failed " << r.connect_failures << "), boots accepted " << r.boots_accepted
    << "\n"
    << "calls " << r.calls_sent << " (errors " << r.call_errors << "), commands answered " << r.commands_answered
    << "\n"
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
  if (r.faults_injected > 0)
    o << "faults injected " << r.faults_injected << " (sticky " << r.faults_sticky << "), cleared by a reset "
      << r.faults_cleared << ", mean time to clear " << r.mean_clear_s << " s, resets received " << r.resets_received
      << "\n";
  if (r.storm_stations > 0)
    o << "storm: " << r.storm_recovered << " of " << r.storm_stations << " stations back and reporting after "
      << r.storm_s << " s\n";
  return o.str();
}

} // namespace gridlane::sim
