// The command codec's field reader, and the charging profile in both OCPP shapes.
#include <cmath>
#include <limits>

#include "codec_reader.hpp"

namespace gridlane::domain::codec {
namespace json = boost::json;

namespace {
constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();
constexpr double max_rate = 1e9; // A or W: far above any charger, far below int64 thousandths
} // namespace

void Reader::fail(std::string_view key, std::string message) {
  if (!error_) error_ = ServiceError::invalid(std::move(message), path(key));
}

std::string Reader::str(std::string_view key) {
  const auto *v = field(key);
  if (!v || !v->is_string()) {
    fail(key, q(key) + " (string) is required");
    return {};
  }
  return std::string(v->get_string());
}

std::optional<std::string> Reader::opt_str(std::string_view key) {
  const auto *v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    fail(key, q(key) + " must be a string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<std::vector<std::string>> Reader::opt_strings(std::string_view key) {
  const auto *v = field(key);
  if (!v) return std::nullopt;
  std::vector<std::string> out;
  if (v->is_array()) {
    for (const auto &item : v->get_array()) {
      if (!item.is_string()) break;
      out.emplace_back(item.get_string());
    }
    if (out.size() == v->get_array().size()) return out;
  }
  fail(key, q(key) + " must be an array of strings");
  return std::nullopt;
}

std::optional<std::int64_t> Reader::opt_int(std::string_view key, std::int64_t lo, std::int64_t hi) {
  const auto *v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_int64()) {
    fail(key, v->is_uint64() ? q(key) + " must be between " + std::to_string(lo) + " and " + std::to_string(hi)
                             : q(key) + " must be an integer");
    return std::nullopt;
  }
  auto n = v->get_int64();
  if (n < lo || n > hi) {
    fail(key, q(key) + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return std::nullopt;
  }
  return n;
}

std::int64_t Reader::integer(std::string_view key, std::int64_t lo, std::int64_t hi) {
  if (!has(key)) {
    fail(key, q(key) + " (integer) is required");
    return 0;
  }
  return opt_int(key, lo, hi).value_or(0);
}

std::optional<bool> Reader::opt_bool(std::string_view key) {
  const auto *v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    fail(key, q(key) + " must be a boolean");
    return std::nullopt;
  }
  return v->get_bool();
}

bool Reader::boolean(std::string_view key) {
  if (!has(key)) {
    fail(key, q(key) + " (boolean) is required");
    return false;
  }
  return opt_bool(key).value_or(false);
}

std::optional<Timestamp> Reader::opt_time(std::string_view key) {
  auto text = opt_str(key);
  if (!text) return std::nullopt;
  auto t = core::parse_iso8601(*text);
  if (!t) fail(key, q(key) + " must be an ISO 8601 date-time with an offset");
  return t;
}

Timestamp Reader::time(std::string_view key) {
  if (!has(key)) {
    fail(key, q(key) + " (date-time) is required");
    return {};
  }
  return opt_time(key).value_or(Timestamp{});
}

std::optional<RateMilli> Reader::opt_rate(std::string_view key) {
  const auto *v = field(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    fail(key, q(key) + " must be a number");
    return std::nullopt;
  }
  if (v->is_int64() || v->is_uint64()) {
    if (v->is_int64() && v->get_int64() >= 0 && v->get_int64() <= static_cast<std::int64_t>(max_rate))
      return RateMilli{v->get_int64() * 1000};
  } else {
    double d = v->get_double();
    if (std::isfinite(d) && d >= 0 && d <= max_rate) {
      double milli = d * 1000;
      double whole = std::round(milli);
      if (std::fabs(milli - whole) > 1e-6 * std::max(1.0, std::fabs(milli))) {
        fail(key, q(key) + " has more than three decimals");
        return std::nullopt;
      }
      return RateMilli{static_cast<std::int64_t>(whole)};
    }
  }
  fail(key, q(key) + " must be between 0 and 1000000000");
  return std::nullopt;
}

RateMilli Reader::rate(std::string_view key) {
  if (!has(key)) {
    fail(key, q(key) + " (number) is required");
    return {};
  }
  return opt_rate(key).value_or(RateMilli{});
}

std::optional<std::string> Reader::opt_json(std::string_view key) {
  const auto *v = field(key);
  if (!v) return std::nullopt;
  return json::serialize(*v);
}

std::optional<Reader> Reader::object_reader(std::string_view key, bool required) {
  const auto *v = field(key);
  if (!v) {
    if (required) fail(key, q(key) + " (object) is required");
    return std::nullopt;
  }
  if (!v->is_object()) {
    fail(key, q(key) + " must be an object");
    return std::nullopt;
  }
  return Reader(v->get_object(), path(key) + ".", error_);
}

const json::array *Reader::array(std::string_view key, bool required) {
  const auto *v = field(key);
  if (!v) {
    if (required) fail(key, q(key) + " (array) is required");
    return nullptr;
  }
  if (!v->is_array()) {
    fail(key, q(key) + " must be an array");
    return nullptr;
  }
  return &v->get_array();
}

std::optional<Reader> Reader::item(const json::array &a, std::string_view key, std::size_t i) {
  auto at = std::string(key) + "[" + std::to_string(i) + "]";
  if (!a[i].is_object()) {
    fail(at, q(at) + " must be an object");
    return std::nullopt;
  }
  return Reader(a[i].get_object(), path(at) + ".", error_);
}

std::optional<ChargingProfilePurpose> purpose_of(Reader &r, std::string_view key, std::string_view text) {
  if (text == "ChargePointMaxProfile") return ChargingProfilePurpose::StationMax; // the 1.6 name
  if (auto p = parse_enum<ChargingProfilePurpose>(text)) return p;
  r.fail(key, r.q(key) +
                  "' is ChargePointMaxProfile (1.6) / ChargingStationMaxProfile (2.x), TxDefaultProfile, TxProfile or "
                  "ChargingStationExternalConstraints");
  return std::nullopt;
}

ChargingSchedule schedule_of(Reader &r, std::int64_t default_id) {
  ChargingSchedule s;
  s.id = r.opt_int("id", 0, int32_max).value_or(default_id);
  s.start = r.opt_time("startSchedule");
  s.duration_s = r.opt_int("duration", 0, int32_max);
  s.unit = r.enumeration<ChargingRateUnit>("chargingRateUnit");
  s.min_rate = r.opt_rate("minChargingRate");
  const auto *periods = r.array("chargingSchedulePeriod");
  if (periods && periods->empty()) r.fail("chargingSchedulePeriod", r.q("chargingSchedulePeriod") + " is empty");
  for (std::size_t i = 0; periods && i < periods->size(); ++i) {
    auto p = r.item(*periods, "chargingSchedulePeriod", i);
    if (!p) continue;
    ChargingSchedulePeriod period;
    period.start_s = p->integer("startPeriod", 0, int32_max);
    period.limit = p->rate("limit");
    period.phases = p->opt_int("numberPhases", 1, 3);
    period.phase_to_use = p->opt_int("phaseToUse", 1, 3);
    period.limit_l2 = p->opt_rate("limit_L2"); // 2.1
    period.limit_l3 = p->opt_rate("limit_L3");
    if (!s.periods.empty() && period.start_s <= s.periods.back().start_s)
      p->fail("startPeriod", p->q("startPeriod") + " must be after the previous period's");
    s.periods.push_back(period);
  }
  return s;
}

ChargingProfile profile_of(Reader &r) {
  ChargingProfile p;
  const bool v16_shape = r.has("chargingProfileId");
  p.id = r.integer(v16_shape ? "chargingProfileId" : "id", 0, int32_max);
  p.stack_level = r.integer("stackLevel", 0, int32_max);
  if (!r.has("chargingProfilePurpose"))
    r.fail("chargingProfilePurpose", r.q("chargingProfilePurpose") + " (string) is required");
  else if (auto text = r.opt_str("chargingProfilePurpose"))
    p.purpose = purpose_of(r, "chargingProfilePurpose", *text).value_or(p.purpose);
  p.kind = r.enumeration<ChargingProfileKind>("chargingProfileKind");
  p.recurrency = r.opt_enum<RecurrencyKind>("recurrencyKind");
  if (p.kind == ChargingProfileKind::Recurring && !p.recurrency)
    r.fail("recurrencyKind", r.q("recurrencyKind") + " is required for a Recurring profile");
  p.valid_from = r.opt_time("validFrom");
  p.valid_to = r.opt_time("validTo");
  if (p.valid_from && p.valid_to && *p.valid_to <= *p.valid_from)
    r.fail("validTo", r.q("validTo") + " must be after validFrom");
  if (const auto *tx = r.field("transactionId")) {
    if (tx->is_int64())
      p.transaction_id = std::to_string(tx->get_int64()); // the 1.6 shape
    else
      p.transaction_id = r.opt_str("transactionId");
  }
  const auto *schedule = r.field("chargingSchedule");
  if (!schedule) {
    r.fail("chargingSchedule", r.q("chargingSchedule") + " is required");
  } else if (schedule->is_object()) { // 1.6: one schedule
    if (auto s = r.object_reader("chargingSchedule", true)) p.schedules.push_back(schedule_of(*s, 1));
  } else if (const auto *list = r.array("chargingSchedule")) { // 2.x: one to three
    if (list->empty() || list->size() > 3)
      r.fail("chargingSchedule", r.q("chargingSchedule") + " holds one to three schedules");
    for (std::size_t i = 0; i < list->size(); ++i) {
      if (auto s = r.item(*list, "chargingSchedule", i))
        p.schedules.push_back(schedule_of(*s, static_cast<std::int64_t>(i) + 1));
    }
  }
  return p;
}

json::value rate_value(RateMilli r) {
  if (r.thousandths % 1000 == 0) return r.thousandths / 1000;
  return static_cast<double>(r.thousandths) / 1000.0;
}

json::object encode_profile(const ChargingProfile &p) {
  json::object o{{"id", p.id},
                 {"stackLevel", p.stack_level},
                 {"chargingProfilePurpose", to_string(p.purpose)},
                 {"chargingProfileKind", to_string(p.kind)}};
  if (p.recurrency) o["recurrencyKind"] = to_string(*p.recurrency);
  if (p.valid_from) o["validFrom"] = core::format_iso8601(*p.valid_from);
  if (p.valid_to) o["validTo"] = core::format_iso8601(*p.valid_to);
  if (p.transaction_id) o["transactionId"] = *p.transaction_id;
  json::array schedules;
  for (const auto &s : p.schedules) {
    json::object so{{"id", s.id}};
    if (s.start) so["startSchedule"] = core::format_iso8601(*s.start);
    if (s.duration_s) so["duration"] = *s.duration_s;
    so["chargingRateUnit"] = to_string(s.unit);
    json::array periods;
    for (const auto &period : s.periods) {
      json::object po{{"startPeriod", period.start_s}, {"limit", rate_value(period.limit)}};
      if (period.phases) po["numberPhases"] = *period.phases;
      if (period.phase_to_use) po["phaseToUse"] = *period.phase_to_use;
      if (period.limit_l2) po["limit_L2"] = rate_value(*period.limit_l2);
      if (period.limit_l3) po["limit_L3"] = rate_value(*period.limit_l3);
      periods.push_back(std::move(po));
    }
    so["chargingSchedulePeriod"] = std::move(periods);
    if (s.min_rate) so["minChargingRate"] = rate_value(*s.min_rate);
    schedules.push_back(std::move(so));
  }
  o["chargingSchedule"] = std::move(schedules);
  return o;
}

} // namespace gridlane::domain::codec
