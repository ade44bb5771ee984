#include "gridlane/core/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <stdexcept>
#include <variant>

namespace gridlane::core::metrics {

namespace {

bool valid_name(std::string_view name, bool metric) {
  if (name.empty()) return false;
  auto head = [metric](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':');
  };
  if (!head(name.front())) return false;
  return std::all_of(name.begin() + 1, name.end(), [&](char c) { return head(c) || (c >= '0' && c <= '9'); });
}

void check(std::string_view name, const Labels &labels) {
  if (!valid_name(name, true)) throw std::logic_error("invalid metric name: " + std::string(name));
  for (const auto &[label, value] : labels)
    if (!valid_name(label, false) || label.starts_with("__") || label == "le")
      throw std::logic_error("invalid label name on " + std::string(name) + ": " + label);
}

//! A sample value: shortest round-trip text; Prometheus' spellings of the non-finite ones.
std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::string("NaN");
}

void escape_into(std::string &out, std::string_view value, bool help) {
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && !help)
      out += "\\\"";
    else
      out += c;
  }
}

//! `{a="x",b="y"}` with `extra` (the histogram's `le`) last; empty when there are no labels.
std::string label_text(const Labels &labels, std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (labels.empty() && extra_name.empty()) return {};
  std::string out = "{";
  bool first = true;
  auto add = [&](std::string_view name, std::string_view value) {
    if (!first) out += ',';
    first = false;
    out += name;
    out += "=\"";
    escape_into(out, value, false);
    out += '"';
  };
  for (const auto &[name, value] : labels)
    add(name, value);
  if (!extra_name.empty()) add(extra_name, extra_value);
  out += '}';
  return out;
}

enum class Type { Counter, Gauge, Histogram };
constexpr std::string_view type_name(Type t) {
  switch (t) {
  case Type::Counter: return "counter";
  case Type::Gauge: return "gauge";
  case Type::Histogram: return "histogram";
  }
  return "untyped";
}

using Value =
    std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>, std::unique_ptr<Histogram>, std::function<double()>>;

struct Series {
  Labels labels;
  Value value;
};

struct Family {
  std::string help;
  Type type = Type::Counter;
  std::vector<Series> series;
};

} // namespace

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  counts_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
}

void Histogram::observe(double v) {
  if (!std::isfinite(v)) return; // a broken clock reading is not an observation
  auto at = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  counts_[at].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

std::vector<double> latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

struct Registry::Impl {
  mutable std::mutex mutex;
  std::map<std::string, Family, std::less<>> families;

  template <class Make>
  Series &series(std::string_view name, std::string_view help, Type type, const Labels &labels, Make make) {
    check(name, labels);
    auto it = families.find(name);
    if (it == families.end()) it = families.emplace(std::string(name), Family{std::string(help), type, {}}).first;
    auto &family = it->second;
    if (family.type != type)
      throw std::logic_error("metric " + std::string(name) + " is a " + std::string(type_name(family.type)));
    for (auto &s : family.series)
      if (s.labels == labels) return s;
    family.series.push_back(Series{labels, make()});
    return family.series.back();
  }
};

Registry::Registry() : impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

Counter &Registry::counter(std::string_view name, std::string_view help, const Labels &labels) {
  std::lock_guard lock(impl_->mutex);
  auto &s = impl_->series(name, help, Type::Counter, labels, [] { return Value{std::make_unique<Counter>()}; });
  return *std::get<std::unique_ptr<Counter>>(s.value);
}

Gauge &Registry::gauge(std::string_view name, std::string_view help, const Labels &labels) {
  std::lock_guard lock(impl_->mutex);
  auto &s = impl_->series(name, help, Type::Gauge, labels, [] { return Value{std::make_unique<Gauge>()}; });
  if (!std::holds_alternative<std::unique_ptr<Gauge>>(s.value))
    throw std::logic_error("metric " + std::string(name) + " is read by a function");
  return *std::get<std::unique_ptr<Gauge>>(s.value);
}

Histogram &Registry::histogram(std::string_view name, std::string_view help, const std::vector<double> &bounds,
                               const Labels &labels) {
  std::lock_guard lock(impl_->mutex);
  auto &s =
      impl_->series(name, help, Type::Histogram, labels, [&] { return Value{std::make_unique<Histogram>(bounds)}; });
  return *std::get<std::unique_ptr<Histogram>>(s.value);
}

void Registry::gauge_function(std::string_view name, std::string_view help, const Labels &labels,
                              std::function<double()> read) {
  std::lock_guard lock(impl_->mutex);
  auto &s = impl_->series(name, help, Type::Gauge, labels, [&] { return Value{read}; });
  s.value = std::move(read); // asked again: the newest reader wins
}

std::string Registry::expose() const {
  std::lock_guard lock(impl_->mutex);
  std::string out;
  for (const auto &entry : impl_->families) {
    // Named, not a structured binding: the lambda below captures them (clang 14 cannot).
    const std::string &name = entry.first;
    const Family &family = entry.second;
    out += "# HELP " + name + ' ';
    escape_into(out, family.help, true);
    out += "\n# TYPE " + name + ' ' + std::string(type_name(family.type)) + '\n';
    for (const auto &s : family.series) {
      std::visit(
          [&](const auto &v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::unique_ptr<Counter>> || std::is_same_v<V, std::unique_ptr<Gauge>>) {
              out += name + label_text(s.labels) + ' ' + std::to_string(v->value()) + '\n';
            } else if constexpr (std::is_same_v<V, std::function<double()>>) {
              double value = 0;
              try {
                value = v ? v() : 0.0;
              } catch (...) {
                value = std::nan("");
              }
              out += name + label_text(s.labels) + ' ' + number(value) + '\n';
            } else {
              auto counts = v->cumulative();
              const auto &bounds = v->bounds();
              for (std::size_t i = 0; i < bounds.size(); ++i)
                out += name + "_bucket" + label_text(s.labels, "le", number(bounds[i])) + ' ' +
                       std::to_string(counts[i]) + '\n';
              out += name + "_bucket" + label_text(s.labels, "le", "+Inf") + ' ' + std::to_string(counts.back()) + '\n';
              out += name + "_sum" + label_text(s.labels) + ' ' + number(v->sum()) + '\n';
              out += name + "_count" + label_text(s.labels) + ' ' + std::to_string(counts.back()) + '\n';
            }
          },
          s.value);
    }
  }
  return out;
}

Registry &registry() {
  static Registry r;
  return r;
}

} // namespace gridlane::core::metrics
