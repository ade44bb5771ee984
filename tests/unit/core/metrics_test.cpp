// The metrics registry renders the Prometheus text exposition format (0.0.4): families sorted by
// name with HELP and TYPE, labels escaped, histogram buckets cumulative with +Inf, _sum and _count.
#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "gridlane/core/metrics.hpp"

using namespace gridlane::core::metrics;

TEST(Metrics, counters_and_gauges_are_written_with_help_type_and_labels) {
  Registry r;
  r.counter("gridlane_messages_total", "Messages handled", {{"action", "Heartbeat"}, {"result", "ok"}}).inc(3);
  r.counter("gridlane_messages_total", "ignored", {{"action", "Heartbeat"}, {"result", "ok"}}).inc();
  r.gauge("gridlane_connections", "Open station connections", {{"protocol", "ocpp1.6"}}).set(12);
  r.gauge_function("gridlane_up", "Always 1", {}, [] { return 1.0; });
  EXPECT_EQ(r.expose(), "# HELP gridlane_connections Open station connections\n"
                        "# TYPE gridlane_connections gauge\n"
                        "gridlane_connections{protocol=\"ocpp1.6\"} 12\n"
                        "# HELP gridlane_messages_total Messages handled\n"
                        "# TYPE gridlane_messages_total counter\n"
                        "gridlane_messages_total{action=\"Heartbeat\",result=\"ok\"} 4\n"
                        "# HELP gridlane_up Always 1\n"
                        "# TYPE gridlane_up gauge\n"
                        "gridlane_up 1\n");
}

TEST(Metrics, histograms_are_cumulative_with_inf_sum_and_count) {
  Registry r;
  auto &h = r.histogram("gridlane_latency_seconds", "Latency", {0.01, 0.1}, {{"action", "A"}});
  h.observe(0.005);
  h.observe(0.05);
  h.observe(0.05);
  h.observe(3);
  h.observe(std::numeric_limits<double>::infinity()); // not an observation
  EXPECT_EQ(r.expose(), "# HELP gridlane_latency_seconds Latency\n"
                        "# TYPE gridlane_latency_seconds histogram\n"
                        "gridlane_latency_seconds_bucket{action=\"A\",le=\"0.01\"} 1\n"
                        "gridlane_latency_seconds_bucket{action=\"A\",le=\"0.1\"} 3\n"
                        "gridlane_latency_seconds_bucket{action=\"A\",le=\"+Inf\"} 4\n"
                        "gridlane_latency_seconds_sum{action=\"A\"} 3.105\n"
                        "gridlane_latency_seconds_count{action=\"A\"} 4\n");
}

TEST(Metrics, label_values_and_help_are_escaped) {
  Registry r;
  r.counter("x_total", "a \\ b\nc", {{"v", "q\"\\\n"}}).inc();
  EXPECT_EQ(r.expose(), "# HELP x_total a \\\\ b\\nc\n# TYPE x_total counter\nx_total{v=\"q\\\"\\\\\\n\"} 1\n");
}

TEST(Metrics, bad_names_and_type_clashes_are_refused) {
  Registry r;
  EXPECT_THROW(r.counter("9bad", "h"), std::logic_error);
  EXPECT_THROW(r.counter("ok_total", "h", {{"le", "1"}}), std::logic_error);
  EXPECT_THROW(r.counter("ok_total", "h", {{"__x", "1"}}), std::logic_error);
  r.counter("c_total", "h");
  EXPECT_THROW(r.gauge("c_total", "h"), std::logic_error);
}

TEST(Metrics, a_reader_that_throws_shows_nan) {
  Registry r;
  r.gauge_function("g", "h", {}, []() -> double { throw std::runtime_error("no"); });
  EXPECT_EQ(r.expose(), "# HELP g h\n# TYPE g gauge\ng NaN\n");
}

TEST(Metrics, updates_from_many_threads_are_all_counted) {
  Registry r;
  auto &c = r.counter("n_total", "h");
  auto &h = r.histogram("h_seconds", "h", latency_buckets());
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        h.observe(0.001);
      }
    });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(c.value(), 40000u);
  EXPECT_EQ(h.cumulative().back(), 40000u);
}
