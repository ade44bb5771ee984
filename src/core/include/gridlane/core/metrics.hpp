#pragma once
//! Process-wide metrics in the Prometheus text exposition format (version 0.0.4), written in this
//! one place. A part asks the registry once for its counter, gauge or histogram (name, help,
//! labels) and keeps the reference: updates are lock-free atomics; `expose()` renders every
//! family for GET /metrics.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gridlane::core::metrics {

//! Label names and values, in the order they are written. Names follow Prometheus' rules
//! ([a-zA-Z_][a-zA-Z0-9_]*); values are any text (escaped when written).
using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
public:
  void set(std::int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void add(std::int64_t d) { value_.fetch_add(d, std::memory_order_relaxed); }
  [[nodiscard]] std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
  std::atomic<std::int64_t> value_{0};
};

//! Cumulative buckets over upper bounds in seconds (or the unit the name says); `+Inf` is implied.
class Histogram {
public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);
  [[nodiscard]] const std::vector<double> &bounds() const { return bounds_; }
  //! Observations <= bounds()[i] (cumulative), then the total count last.
  [[nodiscard]] std::vector<std::uint64_t> cumulative() const;
  [[nodiscard]] double sum() const { return sum_.load(std::memory_order_relaxed); }

private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_; // one per bound, then +Inf
  std::atomic<double> sum_{0.0};
};

//! Latency buckets for message handling and store commits: 0.5 ms to 10 s.
std::vector<double> latency_buckets();

class Registry {
public:
  Registry();
  ~Registry();
  Registry(const Registry &) = delete;
  Registry &operator=(const Registry &) = delete;

  //! The series of family `name` with `labels`, created on first use. A family keeps the help
  //! and type it was first asked with; asking it as another type throws std::logic_error, as
  //! does an invalid metric or label name. References stay valid for the registry's life.
  Counter &counter(std::string_view name, std::string_view help, const Labels &labels = {});
  Gauge &gauge(std::string_view name, std::string_view help, const Labels &labels = {});
  Histogram &histogram(std::string_view name, std::string_view help, const std::vector<double> &bounds,
                       const Labels &labels = {});
  //! A gauge read when exposed (connections now, queue lengths...). Must not block; it runs on
  //! the thread that serves GET /metrics.
  void gauge_function(std::string_view name, std::string_view help, const Labels &labels, std::function<double()> read);

  //! Every family, sorted by name, in the text exposition format.
  [[nodiscard]] std::string expose() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

//! The process's registry (what /metrics shows).
Registry &registry();

} // namespace gridlane::core::metrics
