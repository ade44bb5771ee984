// What stations report about smart charging (OCPP 1.6 GetCompositeSchedule answers, 2.x block K
// messages) read into domain values. Payloads reaching here passed the version's schema; these
// decoders still range-check every number before it is narrowed (a schema says "integer", not
// "fits an int32", and 2.1 turned many integers into numbers).
#include "gridlane/domain/charging_schedule_codec.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <limits>

#include "codec_reader.hpp"

namespace gridlane::domain {
namespace json = boost::json;
using codec::Reader;

namespace {

constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();

//! Parses `text` as a JSON object, or says why not.
Result<json::object> object_of(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return ServiceError::invalid("the payload is not a JSON object");
  return std::move(v.as_object());
}

//! A non-negative quantity sent as a JSON number (an integer in 2.0.1, any number in 2.1),
//! times `scale`, rounded to the nearest unit: nullopt (a problem) when not finite, negative
//! or above `max` before scaling.
std::optional<std::int64_t> opt_quantity(Reader &r, std::string_view key, double scale, double max) {
  const auto *v = r.field(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    r.fail(key, r.q(key) + " must be a number");
    return std::nullopt;
  }
  const double d = v->to_number<double>();
  if (!std::isfinite(d) || d < 0 || d > max) {
    r.fail(key, r.q(key) + " must be between 0 and " + std::to_string(static_cast<std::int64_t>(max)));
    return std::nullopt;
  }
  return static_cast<std::int64_t>(std::llround(d * scale));
}

// Bounds far above any vehicle, far below overflow once scaled.
constexpr double max_amps = 1e5;       // A
constexpr double max_watts = 1e9;      // W
constexpr double max_watt_hours = 1e9; // Wh

std::optional<core::Current> opt_amps(Reader &r, std::string_view key) {
  auto ma = opt_quantity(r, key, 1000.0, max_amps);
  return ma ? std::optional(core::milliamps(*ma)) : std::nullopt;
}
std::optional<core::Power> opt_watts(Reader &r, std::string_view key) {
  auto w = opt_quantity(r, key, 1.0, max_watts);
  return w ? std::optional(core::watts(*w)) : std::nullopt;
}
std::optional<core::Energy> opt_watt_hours(Reader &r, std::string_view key) {
  auto wh = opt_quantity(r, key, 1.0, max_watt_hours);
  return wh ? std::optional(core::watt_hours(*wh)) : std::nullopt;
}

ChargingNeeds::Mode mode_of(std::string_view text) {
  using Mode = ChargingNeeds::Mode;
  if (text == "AC_single_phase") return Mode::AcSinglePhase;
  if (text == "AC_two_phase") return Mode::AcTwoPhase;
  if (text == "AC_three_phase") return Mode::AcThreePhase;
  if (text == "DC") return Mode::Dc;
  if (text == "AC_BPT" || text == "AC_BPT_DER") return Mode::AcBidirectional; // 2.1 V2X
  if (text == "DC_BPT" || text == "DC_ACDP_BPT") return Mode::DcBidirectional;
  return Mode::Other; // AC_DER, DC_ACDP, WPT, and what a later version adds
}

//! chargingLimitSource: an enum in 2.0.1, an open string of at most 20 characters in 2.1.
std::string source_of(Reader &r, std::string_view key) {
  auto source = r.str(key);
  if (r.has(key) && (source.empty() || source.size() > 20)) r.fail(key, r.q(key) + " is 1 to 20 characters");
  return source;
}

std::optional<int> opt_evse(Reader &r, std::string_view key) {
  auto id = r.opt_int(key, 0, int32_max);
  return id ? std::optional(static_cast<int>(*id)) : std::nullopt;
}

} // namespace

std::optional<RateMilli> CompositeSchedule::limit_at(std::int64_t seconds) const {
  std::optional<RateMilli> out;
  for (const auto &p : periods) {
    if (p.start_s > seconds) break; // periods ascend (checked when decoded)
    out = p.limit;
  }
  return out;
}

Result<std::optional<CompositeSchedule>> decode_composite_schedule(ProtocolVersion version,
                                                                   std::string_view response_json) {
  auto o = object_of(response_json);
  if (!o) return o.error();
  std::optional<ServiceError> error;
  Reader r(*o, "", error);
  auto status = r.str("status");
  if (error) return *error;
  if (status == "Rejected") return std::optional<CompositeSchedule>{};
  if (status != "Accepted") return ServiceError::invalid("'status' is Accepted or Rejected", "status");

  CompositeSchedule out;
  if (version == ProtocolVersion::Ocpp16) {
    // 1.6: connectorId, scheduleStart and chargingSchedule are all optional; the schedule's own
    // startSchedule stands in for a missing scheduleStart.
    auto s = r.object_reader("chargingSchedule", false);
    if (!s) return error ? Result<std::optional<CompositeSchedule>>(*error) : std::optional<CompositeSchedule>{};
    out.evse_id = opt_evse(r, "connectorId").value_or(0);
    auto start = r.opt_time("scheduleStart");
    auto schedule = codec::schedule_of(*s, 0);
    if (!start) start = schedule.start;
    if (!start && !error) r.fail("scheduleStart", "'scheduleStart' is required with a chargingSchedule");
    out.start = start.value_or(Timestamp{});
    out.duration_s = schedule.duration_s;
    out.unit = schedule.unit;
    out.periods = std::move(schedule.periods);
  } else {
    auto s = r.object_reader("schedule", false);
    if (!s) return error ? Result<std::optional<CompositeSchedule>>(*error) : std::optional<CompositeSchedule>{};
    out.evse_id = static_cast<int>(s->integer("evseId", 0, int32_max));
    out.start = s->time("scheduleStart");
    out.duration_s = s->integer("duration", 0, int32_max);
    // The composite schedule's fields sit on the schedule itself (no id, no startSchedule).
    auto schedule = codec::schedule_of(*s, 0);
    out.unit = schedule.unit;
    out.periods = std::move(schedule.periods);
  }
  if (error) return *error;
  return std::optional<CompositeSchedule>(std::move(out));
}

Result<ReportedProfiles> decode_report_charging_profiles(std::string_view request_json) {
  auto o = object_of(request_json);
  if (!o) return o.error();
  std::optional<ServiceError> error;
  Reader r(*o, "", error);
  ReportedProfiles out;
  out.request_id = r.integer("requestId", std::numeric_limits<std::int32_t>::min(), int32_max);
  out.source = source_of(r, "chargingLimitSource");
  out.evse_id = static_cast<int>(r.integer("evseId", 0, int32_max));
  out.to_be_continued = r.opt_bool("tbc").value_or(false);
  const auto *profiles = r.array("chargingProfile");
  if (profiles && profiles->empty()) r.fail("chargingProfile", "'chargingProfile' is empty");
  for (std::size_t i = 0; profiles && i < profiles->size() && !error; ++i) {
    if (auto p = r.item(*profiles, "chargingProfile", i)) out.profiles.push_back(codec::profile_of(*p));
  }
  if (error) return *error;
  return out;
}

Result<ChargingNeedsReport> decode_charging_needs(std::string_view request_json, Timestamp received_at) {
  auto o = object_of(request_json);
  if (!o) return o.error();
  std::optional<ServiceError> error;
  Reader r(*o, "", error);
  ChargingNeedsReport out;
  out.evse_id = static_cast<int>(r.integer("evseId", 1, int32_max)); // a vehicle is at an EVSE, never at 0
  if (auto tuples = r.opt_int("maxScheduleTuples", 0, int32_max))
    out.needs.max_schedule_tuples = static_cast<int>(*tuples);
  auto n = r.object_reader("chargingNeeds", true);
  if (!n) return *error;
  auto &needs = out.needs;
  needs.mode = mode_of(n->str("requestedEnergyTransfer"));
  // A departure already past when the message arrived tells nothing to plan for.
  needs.departure = n->opt_time("departureTime");
  if (needs.departure && *needs.departure <= received_at) needs.departure.reset();
  if (auto ac = n->object_reader("acChargingParameters", false)) {
    needs.energy_amount = opt_watt_hours(*ac, "energyAmount");
    needs.ev_min_current = opt_amps(*ac, "evMinCurrent");
    needs.ev_max_current = opt_amps(*ac, "evMaxCurrent");
    if (needs.ev_min_current && needs.ev_max_current && *needs.ev_min_current > *needs.ev_max_current)
      ac->fail("evMinCurrent", ac->q("evMinCurrent") + " is above evMaxCurrent");
  }
  if (auto dc = n->object_reader("dcChargingParameters", false)) {
    if (auto e = opt_watt_hours(*dc, "energyAmount")) needs.energy_amount = e;
    if (auto c = opt_amps(*dc, "evMaxCurrent")) needs.ev_max_current = c;
    needs.ev_max_power = opt_watts(*dc, "evMaxPower");
    needs.battery_capacity = opt_watt_hours(*dc, "evEnergyCapacity");
    if (auto soc = dc->opt_int("stateOfCharge", 0, 100)) needs.state_of_charge = static_cast<int>(*soc);
    // DC without an energy amount: what is missing to full, from the state of charge.
    if (!needs.energy_amount && needs.battery_capacity && needs.state_of_charge) {
      const auto full = dc->opt_int("fullSoC", 0, 100).value_or(100);
      const auto missing = std::max<std::int64_t>(0, full - *needs.state_of_charge);
      needs.energy_amount = core::watt_hours(needs.battery_capacity->count() * missing / 100);
    }
  }
  if (auto v2x = n->object_reader("v2xChargingParameters", false)) { // 2.1
    if (auto p = opt_watts(*v2x, "maxChargePower"); p && !needs.ev_max_power) needs.ev_max_power = p;
    // Discharge powers are sent as positive magnitudes (minDischargePower <= maxDischargePower).
    needs.ev_max_discharge_power = opt_watts(*v2x, "maxDischargePower");
    if (auto e = opt_watt_hours(*v2x, "evTargetEnergyRequest"); e && !needs.energy_amount) needs.energy_amount = e;
  }
  if (error) return *error;
  return out;
}

Result<ExternalChargingLimit> decode_charging_limit(const StationId &station, std::string_view request_json,
                                                    Timestamp received_at) {
  auto o = object_of(request_json);
  if (!o) return o.error();
  std::optional<ServiceError> error;
  Reader r(*o, "", error);
  ExternalChargingLimit out;
  out.station = station;
  out.at = received_at;
  out.evse_id = opt_evse(r, "evseId");
  if (auto l = r.object_reader("chargingLimit", true)) {
    out.source = source_of(*l, "chargingLimitSource");
    out.grid_critical = l->opt_bool("isGridCritical").value_or(false);
  }
  if (const auto *schedules = r.array("chargingSchedule", false); schedules && !schedules->empty()) {
    if (auto s = r.item(*schedules, "chargingSchedule", 0)) {
      auto schedule = codec::schedule_of(*s, 0);
      // The period in force when the message arrived; before the schedule starts, its first
      // period (respecting an announced limit early is the safe side).
      const ChargingSchedulePeriod *now = schedule.periods.empty() ? nullptr : &schedule.periods.front();
      if (schedule.start) {
        const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(received_at - *schedule.start).count();
        for (const auto &p : schedule.periods) {
          if (p.start_s <= elapsed) now = &p;
        }
      }
      if (now && schedule.unit == ChargingRateUnit::A) out.current = core::milliamps(now->limit.thousandths);
      // W: thousandths of a watt, to whole watts (down: a limit is never rounded up).
      if (now && schedule.unit == ChargingRateUnit::W) out.power = core::watts(now->limit.thousandths / 1000);
    }
  }
  if (error) return *error;
  return out;
}

Result<ClearedChargingLimit> decode_cleared_charging_limit(std::string_view request_json) {
  auto o = object_of(request_json);
  if (!o) return o.error();
  std::optional<ServiceError> error;
  Reader r(*o, "", error);
  ClearedChargingLimit out;
  out.source = source_of(r, "chargingLimitSource");
  out.evse_id = opt_evse(r, "evseId");
  if (error) return *error;
  return out;
}

Result<EvChargingSchedule> decode_ev_charging_schedule(std::string_view request_json) {
  auto o = object_of(request_json);
  if (!o) return o.error();
  std::optional<ServiceError> error;
  Reader r(*o, "", error);
  EvChargingSchedule out;
  const auto time_base = r.time("timeBase");
  out.evse_id = static_cast<int>(r.integer("evseId", 1, int32_max));
  if (auto s = r.object_reader("chargingSchedule", true)) out.schedule = codec::schedule_of(*s, 0);
  if (!out.schedule.start) out.schedule.start = time_base;
  if (error) return *error;
  return out;
}

} // namespace gridlane::domain
