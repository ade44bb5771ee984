// OCPP smart charging (1.6 Smart Charging profile, 2.x block K) at the edge: every profile
// command rendered for 1.6, 2.0.1 and 2.1 is valid against the official schema of its action;
// what a version cannot express is refused naming the field; what stations report
// (GetCompositeSchedule answers, NotifyEVChargingNeeds, NotifyChargingLimit,
// ClearedChargingLimit, NotifyEVChargingSchedule, ReportChargingProfiles) decodes into domain
// values, and bad input is refused naming the field.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/domain/charging_schedule_codec.hpp"
#include "gridlane/domain/command_codec.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/ocpp/commands.hpp"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace gridlane;
using namespace gridlane::domain;
namespace json = boost::json;
namespace c = gridlane::domain::commands;
using core::ProtocolVersion;

namespace {

constexpr ProtocolVersion all_versions[] = {ProtocolVersion::Ocpp16, ProtocolVersion::Ocpp201, ProtocolVersion::Ocpp21};

const ocpp::MessageCatalog &catalog(ProtocolVersion v) {
  static const ocpp::MessageCatalog v16{ProtocolVersion::Ocpp16}, v201{ProtocolVersion::Ocpp201},
      v21{ProtocolVersion::Ocpp21};
  return v == ProtocolVersion::Ocpp16 ? v16 : v == ProtocolVersion::Ocpp201 ? v201 : v21;
}

const char *name(ProtocolVersion v) {
  return v == ProtocolVersion::Ocpp16 ? "1.6" : v == ProtocolVersion::Ocpp201 ? "2.0.1" : "2.1";
}

Timestamp at(const char *iso) {
  return *core::parse_iso8601(iso);
}

//! Renders, validates against the version's schema of the action, returns the payload.
json::value rendered(ProtocolVersion v, const Command &cmd, std::string_view action) {
  auto call = ocpp::render_command(v, cmd, 4242);
  EXPECT_TRUE(call) << kind_of(cmd) << " on " << name(v) << ": " << (call ? "" : call.error().message);
  if (!call) return {};
  EXPECT_EQ(call->action, action);
  const auto *schema = catalog(v).request(call->action);
  EXPECT_NE(schema, nullptr) << call->action;
  if (schema) {
    auto invalid = schema->validate(call->payload);
    EXPECT_FALSE(invalid) << kind_of(cmd) << " on " << name(v) << ": " << json::serialize(call->payload) << ": "
                          << (invalid ? invalid->path + " " + invalid->message : "");
  }
  return call->payload;
}

ServiceError refused(ProtocolVersion v, const Command &cmd) {
  auto call = ocpp::render_command(v, cmd, 4242);
  EXPECT_FALSE(call) << kind_of(cmd) << " on " << name(v) << " rendered "
                     << (call ? json::serialize(call->payload) : "");
  return call ? ServiceError{} : call.error();
}

//! A station's payload, checked against its request (or response) schema so the fixtures are
//! what a conformant station sends.
std::string station_sends(ProtocolVersion v, std::string_view action, const char *text, bool response = false) {
  auto payload = json::parse(text);
  const auto *schema = response ? catalog(v).response(action) : catalog(v).request(action);
  EXPECT_NE(schema, nullptr) << action;
  if (schema) {
    auto invalid = schema->validate(payload);
    EXPECT_FALSE(invalid) << action << " on " << name(v) << ": "
                          << (invalid ? invalid->path + " " + invalid->message : "");
  }
  return text;
}

ChargingProfile profile(ChargingProfilePurpose purpose, std::int64_t limit_milli, ChargingRateUnit unit) {
  ChargingProfile p;
  p.id = 12;
  p.stack_level = 1;
  p.purpose = purpose;
  p.kind = ChargingProfileKind::Absolute;
  ChargingSchedule s;
  s.id = 1;
  s.start = at("2026-03-01T08:00:00Z");
  s.duration_s = 3600;
  s.unit = unit;
  s.periods = {{.start_s = 0, .limit = {limit_milli}, .phases = 3}, {.start_s = 900, .limit = {limit_milli / 2}}};
  p.schedules = {s};
  return p;
}

} // namespace

// ---- rendering ----------------------------------------------------------------------------------

TEST(SmartChargingRender, set_charging_profile_of_every_purpose_is_schema_valid_in_every_version) {
  struct Case {
    ChargingProfilePurpose purpose;
    ChargingRateUnit unit;
    std::int64_t limit;
    std::optional<std::string> tx;
    std::int64_t where; // connector / EVSE
  };
  const Case cases[] = {
      {ChargingProfilePurpose::TxDefault, ChargingRateUnit::A, 16000, std::nullopt, 1},
      {ChargingProfilePurpose::Tx, ChargingRateUnit::A, 10400, "42", 1},
      {ChargingProfilePurpose::StationMax, ChargingRateUnit::W, 22000000, std::nullopt, 0},
      {ChargingProfilePurpose::TxDefault, ChargingRateUnit::W, 7400000, std::nullopt, 0},
  };
  for (const auto &k : cases) {
    for (auto v : all_versions) {
      auto p = profile(k.purpose, k.limit, k.unit);
      p.transaction_id = k.tx;
      auto payload = rendered(v, c::SetChargingProfile{.connector_id = k.where, .evse_id = k.where, .profile = p},
                              "SetChargingProfile");
      if (!payload.is_object()) continue;
      const bool v16 = v == ProtocolVersion::Ocpp16;
      const auto &o = payload.as_object();
      const auto &prof = o.at(v16 ? "csChargingProfiles" : "chargingProfile").as_object();
      EXPECT_EQ(o.at(v16 ? "connectorId" : "evseId").as_int64(), k.where);
      const auto purpose = std::string(prof.at("chargingProfilePurpose").as_string());
      if (k.purpose == ChargingProfilePurpose::StationMax)
        EXPECT_EQ(purpose, v16 ? "ChargePointMaxProfile" : "ChargingStationMaxProfile");
      else
        EXPECT_EQ(purpose, to_string(k.purpose));
      const auto &schedule = v16 ? prof.at("chargingSchedule") : prof.at("chargingSchedule").as_array().at(0);
      const auto &periods = schedule.at("chargingSchedulePeriod").as_array();
      ASSERT_EQ(periods.size(), 2u);
      EXPECT_DOUBLE_EQ(periods[0].at("limit").to_number<double>(), static_cast<double>(k.limit) / 1000);
      EXPECT_DOUBLE_EQ(periods[1].at("limit").to_number<double>(), static_cast<double>(k.limit) / 2000);
      EXPECT_EQ(std::string(schedule.at("chargingRateUnit").as_string()), to_string(k.unit));
      if (k.tx) {
        if (v16)
          EXPECT_EQ(prof.at("transactionId").as_int64(), 42);
        else
          EXPECT_EQ(prof.at("transactionId").as_string(), "42");
      }
    }
  }
}

TEST(SmartChargingRender, clear_get_composite_schedule_render_in_every_version) {
  for (auto v : all_versions) {
    auto clear = rendered(v,
                          c::ClearChargingProfile{.profile_id = 12,
                                                  .connector_id = 1,
                                                  .evse_id = 1,
                                                  .purpose = ChargingProfilePurpose::TxDefault,
                                                  .stack_level = 1},
                          "ClearChargingProfile");
    if (v == ProtocolVersion::Ocpp16) {
      EXPECT_EQ(clear.at("id").as_int64(), 12);
      EXPECT_EQ(clear.at("chargingProfilePurpose").as_string(), "TxDefaultProfile");
    } else {
      EXPECT_EQ(clear.at("chargingProfileId").as_int64(), 12);
      EXPECT_EQ(clear.at("chargingProfileCriteria").at("evseId").as_int64(), 1);
      EXPECT_EQ(clear.at("chargingProfileCriteria").at("stackLevel").as_int64(), 1);
    }
    auto composite = rendered(
        v, c::GetCompositeSchedule{.duration_s = 3600, .unit = ChargingRateUnit::A, .connector_id = 2, .evse_id = 2},
        "GetCompositeSchedule");
    EXPECT_EQ(composite.at("duration").as_int64(), 3600);
    EXPECT_EQ(composite.at("chargingRateUnit").as_string(), "A");
    EXPECT_EQ(composite.at(v == ProtocolVersion::Ocpp16 ? "connectorId" : "evseId").as_int64(), 2);
  }
}

TEST(SmartChargingRender, get_charging_profiles_is_2x_and_carries_its_criteria) {
  for (auto v : {ProtocolVersion::Ocpp201, ProtocolVersion::Ocpp21}) {
    auto payload = rendered(v,
                            c::GetChargingProfiles{.evse_id = 1,
                                                   .purpose = ChargingProfilePurpose::Tx,
                                                   .stack_level = 2,
                                                   .profile_ids = {12, 13},
                                                   .sources = {"CSO", "SO"}},
                            "GetChargingProfiles");
    EXPECT_EQ(payload.at("requestId").as_int64(), 4242); // the command id by default
    EXPECT_EQ(payload.at("evseId").as_int64(), 1);
    const auto &criterion = payload.at("chargingProfile");
    EXPECT_EQ(criterion.at("chargingProfilePurpose").as_string(), "TxProfile");
    EXPECT_EQ(criterion.at("stackLevel").as_int64(), 2);
    EXPECT_EQ(criterion.at("chargingProfileId"), (json::array{12, 13}));
    EXPECT_EQ(criterion.at("chargingLimitSource"), (json::array{"CSO", "SO"}));

    auto explicit_id = rendered(v, c::GetChargingProfiles{.request_id = 7, .sources = {"EMS"}}, "GetChargingProfiles");
    EXPECT_EQ(explicit_id.at("requestId").as_int64(), 7);
    EXPECT_FALSE(explicit_id.as_object().contains("evseId")); // every EVSE
  }
  // 2.1 opened chargingLimitSource to any name of up to 20 characters; 2.0.1 has four.
  rendered(ProtocolVersion::Ocpp21, c::GetChargingProfiles{.sources = {"GridOperator"}}, "GetChargingProfiles");
  EXPECT_EQ(refused(ProtocolVersion::Ocpp201, c::GetChargingProfiles{.sources = {"GridOperator"}}).field, "sources");
  // 1.6 has no GetChargingProfiles.
  auto e = refused(ProtocolVersion::Ocpp16, c::GetChargingProfiles{.purpose = ChargingProfilePurpose::Tx});
  EXPECT_EQ(e.field, "kind");
  EXPECT_NE(e.message.find("OCPP 2.x"), std::string::npos);
}

TEST(SmartChargingRender, the_2_1_shapes_render_only_in_2_1) {
  // Per-phase limits (limit_L2 / limit_L3).
  auto p = profile(ChargingProfilePurpose::TxDefault, 16000, ChargingRateUnit::A);
  p.schedules[0].periods[0].limit_l2 = RateMilli{10000};
  p.schedules[0].periods[0].limit_l3 = RateMilli{6000};
  auto payload =
      rendered(ProtocolVersion::Ocpp21, c::SetChargingProfile{.evse_id = 1, .profile = p}, "SetChargingProfile");
  const auto &period = payload.at("chargingProfile").at("chargingSchedule").at(0).at("chargingSchedulePeriod").at(0);
  EXPECT_EQ(period.at("limit_L2").to_number<double>(), 10.0);
  EXPECT_EQ(period.at("limit_L3").to_number<double>(), 6.0);
  EXPECT_EQ(refused(ProtocolVersion::Ocpp201, c::SetChargingProfile{.evse_id = 1, .profile = p}).field,
            "profile.chargingSchedule[0].chargingSchedulePeriod[0].limit_L2");
  EXPECT_EQ(refused(ProtocolVersion::Ocpp16, c::SetChargingProfile{.connector_id = 1, .profile = p}).field,
            "profile.chargingSchedule.chargingSchedulePeriod[0].limit_L2");

  // The 2.1 purposes.
  for (auto purpose : {ChargingProfilePurpose::PriorityCharging, ChargingProfilePurpose::LocalGeneration}) {
    auto q = profile(purpose, 16000, ChargingRateUnit::A);
    auto ok =
        rendered(ProtocolVersion::Ocpp21, c::SetChargingProfile{.evse_id = 1, .profile = q}, "SetChargingProfile");
    EXPECT_EQ(ok.at("chargingProfile").at("chargingProfilePurpose").as_string(), to_string(purpose));
    EXPECT_EQ(refused(ProtocolVersion::Ocpp201, c::SetChargingProfile{.evse_id = 1, .profile = q}).field,
              "profile.chargingProfilePurpose");
    EXPECT_EQ(refused(ProtocolVersion::Ocpp16, c::SetChargingProfile{.connector_id = 1, .profile = q}).field,
              "profile.chargingProfilePurpose");
    rendered(ProtocolVersion::Ocpp21, c::GetChargingProfiles{.purpose = purpose}, "GetChargingProfiles");
    EXPECT_EQ(refused(ProtocolVersion::Ocpp201, c::GetChargingProfiles{.purpose = purpose}).field, "purpose");
  }
}

TEST(SmartChargingRender, get_charging_profiles_params_round_trip_and_refusals_name_the_field) {
  auto cmd = decode_command(
      "get_charging_profiles",
      R"({"evse_id":1,"purpose":"TxDefaultProfile","stack_level":0,"profile_ids":[5],"sources":["CSO"]})");
  ASSERT_TRUE(cmd) << cmd.error().message;
  const auto &g = std::get<c::GetChargingProfiles>(*cmd);
  EXPECT_EQ(g.evse_id, 1);
  EXPECT_EQ(g.purpose, ChargingProfilePurpose::TxDefault);
  EXPECT_EQ(g.profile_ids, std::vector<std::int64_t>{5});
  auto again = decode_command("get_charging_profiles", encode_params(*cmd));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *cmd);

  struct Bad {
    const char *params;
    const char *field;
  };
  const Bad bad[] = {
      {R"({})", "purpose"},                                     // no criterion at all
      {R"({"evse_id":1})", "purpose"},                          // an EVSE is not a criterion
      {R"({"profile_ids":[-1]})", "profile_ids"},               // out of range
      {R"({"profile_ids":"5"})", "profile_ids"},                // not an array
      {R"({"sources":["a","b","c","d","e"]})", "sources"},      // at most four
      {R"({"sources":["ThisNameIsLongerThan20"]})", "sources"}, // at most 20 characters
      {R"({"purpose":"Cheapest"})", "purpose"},                 // not a purpose
      {R"({"stack_level":2147483648})", "stack_level"},         // beyond int32
  };
  for (const auto &b : bad) {
    auto r = decode_command("get_charging_profiles", b.params);
    ASSERT_FALSE(r) << b.params;
    EXPECT_EQ(r.error().field, b.field) << b.params << ": " << r.error().message;
  }
}

// ---- decoding what stations report --------------------------------------------------------------

TEST(SmartChargingDecode, composite_schedule_in_both_shapes) {
  auto v16 = station_sends(ProtocolVersion::Ocpp16, "GetCompositeSchedule",
                           R"({"status":"Accepted","connectorId":1,"scheduleStart":"2026-03-01T08:00:00Z",
                               "chargingSchedule":{"duration":1800,"chargingRateUnit":"A",
                               "chargingSchedulePeriod":[{"startPeriod":0,"limit":16.5,"numberPhases":3},
                                                         {"startPeriod":600,"limit":6}]}})",
                           true);
  auto s16 = decode_composite_schedule(ProtocolVersion::Ocpp16, v16);
  ASSERT_TRUE(s16) << s16.error().message;
  ASSERT_TRUE(s16->has_value());
  const auto &a = **s16;
  EXPECT_EQ(a.evse_id, 1);
  EXPECT_EQ(a.start, at("2026-03-01T08:00:00Z"));
  EXPECT_EQ(a.duration_s, 1800);
  EXPECT_EQ(a.unit, ChargingRateUnit::A);
  ASSERT_EQ(a.periods.size(), 2u);
  EXPECT_EQ(a.limit_at(0), RateMilli{16500});
  EXPECT_EQ(a.limit_at(599), RateMilli{16500});
  EXPECT_EQ(a.limit_at(600), RateMilli{6000});
  EXPECT_EQ(a.limit_at(-1), std::nullopt);

  auto v201 = station_sends(ProtocolVersion::Ocpp201, "GetCompositeSchedule",
                            R"({"status":"Accepted","schedule":{"evseId":2,"duration":3600,
                                "scheduleStart":"2026-03-01T09:00:00Z","chargingRateUnit":"W",
                                "chargingSchedulePeriod":[{"startPeriod":0,"limit":11000.25}]}})",
                            true);
  for (auto v : {ProtocolVersion::Ocpp201, ProtocolVersion::Ocpp21}) {
    auto s2 = decode_composite_schedule(v, v201);
    ASSERT_TRUE(s2) << s2.error().message;
    ASSERT_TRUE(s2->has_value());
    EXPECT_EQ((*s2)->evse_id, 2);
    EXPECT_EQ((*s2)->unit, ChargingRateUnit::W);
    EXPECT_EQ((*s2)->limit_at(3599), RateMilli{11000250});
  }
  // Rejected, or accepted without a schedule: nothing to compare.
  auto none = decode_composite_schedule(ProtocolVersion::Ocpp201, R"({"status":"Rejected"})");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  auto empty = decode_composite_schedule(ProtocolVersion::Ocpp16, R"({"status":"Accepted"})");
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->has_value());
}

TEST(SmartChargingDecode, bad_composite_schedules_are_refused_naming_the_field) {
  struct Bad {
    ProtocolVersion v;
    const char *json;
    const char *field;
  };
  const Bad bad[] = {
      {ProtocolVersion::Ocpp16,
       R"({"status":"Accepted","connectorId":1,"chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16}]}})",
       "scheduleStart"},
      {ProtocolVersion::Ocpp16,
       R"({"status":"Accepted","scheduleStart":"2026-03-01T08:00:00Z","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":-1}]}})",
       "chargingSchedule.chargingSchedulePeriod[0].limit"},
      {ProtocolVersion::Ocpp201,
       R"({"status":"Accepted","schedule":{"evseId":1,"duration":60,"scheduleStart":"2026-03-01T08:00:00Z","chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":60,"limit":16},{"startPeriod":0,"limit":8}]}})",
       "schedule.chargingSchedulePeriod[1].startPeriod"},
      {ProtocolVersion::Ocpp201,
       R"({"status":"Accepted","schedule":{"evseId":4294967296,"duration":60,"scheduleStart":"2026-03-01T08:00:00Z","chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16}]}})",
       "schedule.evseId"},
      {ProtocolVersion::Ocpp201,
       R"({"status":"Accepted","schedule":{"evseId":1,"duration":60,"scheduleStart":"2026-03-01T08:00:00Z","chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":1e300}]}})",
       "schedule.chargingSchedulePeriod[0].limit"},
      {ProtocolVersion::Ocpp201, R"({"status":"Maybe"})", "status"},
  };
  for (const auto &b : bad) {
    auto r = decode_composite_schedule(b.v, b.json);
    ASSERT_FALSE(r) << b.json;
    EXPECT_EQ(r.error().field, b.field) << b.json << ": " << r.error().message;
  }
  EXPECT_FALSE(decode_composite_schedule(ProtocolVersion::Ocpp201, "not json"));
}

TEST(SmartChargingDecode, charging_needs_ac_dc_and_2_1_v2x) {
  const auto now = at("2026-03-01T08:00:00Z");
  auto ac = decode_charging_needs(station_sends(ProtocolVersion::Ocpp201, "NotifyEVChargingNeeds",
                                                R"({"evseId":1,"maxScheduleTuples":24,"chargingNeeds":{
                                                    "requestedEnergyTransfer":"AC_single_phase",
                                                    "departureTime":"2026-03-01T17:30:00Z",
                                                    "acChargingParameters":{"energyAmount":20000,"evMinCurrent":6,
                                                    "evMaxCurrent":32,"evMaxVoltage":230}}})"),
                                  now);
  ASSERT_TRUE(ac) << ac.error().message;
  EXPECT_EQ(ac->evse_id, 1);
  EXPECT_EQ(ac->needs.mode, ChargingNeeds::Mode::AcSinglePhase);
  EXPECT_EQ(ac->needs.departure, at("2026-03-01T17:30:00Z"));
  EXPECT_EQ(ac->needs.energy_amount, core::watt_hours(20000));
  EXPECT_EQ(ac->needs.ev_min_current, core::amps(6));
  EXPECT_EQ(ac->needs.ev_max_current, core::amps(32));
  EXPECT_EQ(ac->needs.max_schedule_tuples, 24);

  // DC without an energy amount: what is missing to full from the state of charge.
  auto dc = decode_charging_needs(station_sends(ProtocolVersion::Ocpp201, "NotifyEVChargingNeeds",
                                                R"({"evseId":2,"chargingNeeds":{"requestedEnergyTransfer":"DC",
                                                    "dcChargingParameters":{"evMaxCurrent":200,"evMaxVoltage":800,
                                                    "evMaxPower":150000,"stateOfCharge":30,"evEnergyCapacity":80000,
                                                    "fullSoC":90}}})"),
                                  now);
  ASSERT_TRUE(dc) << dc.error().message;
  EXPECT_EQ(dc->needs.mode, ChargingNeeds::Mode::Dc);
  EXPECT_EQ(dc->needs.ev_max_power, core::watts(150000));
  EXPECT_EQ(dc->needs.battery_capacity, core::watt_hours(80000));
  EXPECT_EQ(dc->needs.state_of_charge, 30);
  EXPECT_EQ(dc->needs.energy_amount, core::watt_hours(48000)); // 60 % of 80 kWh
  EXPECT_EQ(dc->needs.departure, std::nullopt);

  // 2.1: numbers with decimals, bidirectional mode, discharge power; a departure already past.
  auto v2x = decode_charging_needs(station_sends(ProtocolVersion::Ocpp21, "NotifyEVChargingNeeds",
                                                 R"({"evseId":1,"timestamp":"2026-03-01T08:00:00Z","chargingNeeds":{
                                                     "requestedEnergyTransfer":"AC_BPT",
                                                     "departureTime":"2026-03-01T07:00:00Z",
                                                     "acChargingParameters":{"energyAmount":15000.4,"evMinCurrent":6,
                                                     "evMaxCurrent":16.5,"evMaxVoltage":400},
                                                     "v2xChargingParameters":{"maxChargePower":11000,
                                                     "maxDischargePower":7000}}})"),
                                   now);
  ASSERT_TRUE(v2x) << v2x.error().message;
  EXPECT_EQ(v2x->needs.mode, ChargingNeeds::Mode::AcBidirectional);
  EXPECT_EQ(v2x->needs.ev_max_current, core::milliamps(16500));
  EXPECT_EQ(v2x->needs.energy_amount, core::watt_hours(15000));
  EXPECT_EQ(v2x->needs.ev_max_power, core::watts(11000));
  EXPECT_EQ(v2x->needs.ev_max_discharge_power, core::watts(7000));
  EXPECT_EQ(v2x->needs.departure, std::nullopt); // in the past when received

  struct Bad {
    const char *json;
    const char *field;
  };
  const Bad bad[] = {
      {R"({"evseId":0,"chargingNeeds":{"requestedEnergyTransfer":"DC"}})", "evseId"},
      {R"({"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"AC_three_phase","acChargingParameters":{"energyAmount":1,"evMinCurrent":6,"evMaxCurrent":1e12,"evMaxVoltage":230}}})",
       "chargingNeeds.acChargingParameters.evMaxCurrent"},
      {R"({"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"AC_three_phase","acChargingParameters":{"energyAmount":-5,"evMinCurrent":6,"evMaxCurrent":16,"evMaxVoltage":230}}})",
       "chargingNeeds.acChargingParameters.energyAmount"},
      {R"({"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"AC_three_phase","acChargingParameters":{"energyAmount":5,"evMinCurrent":20,"evMaxCurrent":16,"evMaxVoltage":230}}})",
       "chargingNeeds.acChargingParameters.evMinCurrent"},
      {R"({"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"DC","dcChargingParameters":{"evMaxCurrent":1,"evMaxVoltage":1,"stateOfCharge":101}}})",
       "chargingNeeds.dcChargingParameters.stateOfCharge"},
      {R"({"evseId":1})", "chargingNeeds"},
  };
  for (const auto &b : bad) {
    auto r = decode_charging_needs(b.json, now);
    ASSERT_FALSE(r) << b.json;
    EXPECT_EQ(r.error().field, b.field) << b.json << ": " << r.error().message;
  }
}

TEST(SmartChargingDecode, charging_limit_is_the_period_in_force_when_received) {
  const auto station = StationId::unchecked("CS-K");
  const char *amps = R"({"evseId":1,"chargingLimit":{"chargingLimitSource":"SO","isGridCritical":true},
      "chargingSchedule":[{"id":1,"startSchedule":"2026-03-01T08:00:00Z","chargingRateUnit":"A",
      "chargingSchedulePeriod":[{"startPeriod":0,"limit":32},{"startPeriod":3600,"limit":10.5}]}]})";
  auto early = decode_charging_limit(station, station_sends(ProtocolVersion::Ocpp201, "NotifyChargingLimit", amps),
                                     at("2026-03-01T08:30:00Z"));
  ASSERT_TRUE(early) << early.error().message;
  EXPECT_EQ(early->station, station);
  EXPECT_EQ(early->evse_id, 1);
  EXPECT_EQ(early->source, "SO");
  EXPECT_TRUE(early->grid_critical);
  EXPECT_EQ(early->current, core::amps(32));
  EXPECT_EQ(early->power, std::nullopt);
  EXPECT_EQ(early->at, at("2026-03-01T08:30:00Z"));
  auto later = decode_charging_limit(station, amps, at("2026-03-01T09:30:00Z"));
  ASSERT_TRUE(later);
  EXPECT_EQ(later->current, core::milliamps(10500));

  // W, no EVSE (the whole station); 2.1's open source name.
  auto watts = decode_charging_limit(
      station,
      station_sends(ProtocolVersion::Ocpp21, "NotifyChargingLimit",
                    R"({"chargingLimit":{"chargingLimitSource":"GridOperator"},"chargingSchedule":[{"id":1,
                        "chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":50000.9}]}]})"),
      at("2026-03-01T08:30:00Z"));
  ASSERT_TRUE(watts) << watts.error().message;
  EXPECT_EQ(watts->evse_id, std::nullopt);
  EXPECT_EQ(watts->source, "GridOperator");
  EXPECT_EQ(watts->power, core::watts(50000)); // never rounded up
  EXPECT_EQ(watts->current, std::nullopt);

  // Without a schedule: a source and nothing to apply.
  auto bare =
      decode_charging_limit(station, R"({"chargingLimit":{"chargingLimitSource":"EMS"}})", at("2026-03-01T08:30:00Z"));
  ASSERT_TRUE(bare);
  EXPECT_FALSE(bare->current || bare->power);

  auto long_source = decode_charging_limit(
      station, R"({"chargingLimit":{"chargingLimitSource":"ABCDEFGHIJKLMNOPQRSTU"}})", at("2026-03-01T08:30:00Z"));
  ASSERT_FALSE(long_source);
  EXPECT_EQ(long_source.error().field, "chargingLimit.chargingLimitSource");
  auto negative = decode_charging_limit(
      station,
      R"({"chargingLimit":{"chargingLimitSource":"SO"},"chargingSchedule":[{"id":1,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":-3}]}]})",
      at("2026-03-01T08:30:00Z"));
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().field, "chargingSchedule[0].chargingSchedulePeriod[0].limit");
}

TEST(SmartChargingDecode, reported_profiles_cleared_limits_and_ev_schedules) {
  auto report = decode_report_charging_profiles(
      station_sends(ProtocolVersion::Ocpp201, "ReportChargingProfiles",
                    R"({"requestId":77,"chargingLimitSource":"CSO","evseId":1,"tbc":true,
      "chargingProfile":[{"id":12,"stackLevel":1,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute",
      "chargingSchedule":[{"id":1,"startSchedule":"2026-03-01T08:00:00Z","chargingRateUnit":"A",
      "chargingSchedulePeriod":[{"startPeriod":0,"limit":16,"numberPhases":3}]}]},
      {"id":13,"stackLevel":0,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Relative",
      "chargingSchedule":[{"id":1,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":22000}]}]}]})"));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->request_id, 77);
  EXPECT_EQ(report->source, "CSO");
  EXPECT_EQ(report->evse_id, 1);
  EXPECT_TRUE(report->to_be_continued);
  ASSERT_EQ(report->profiles.size(), 2u);
  EXPECT_EQ(report->profiles[0].id, 12);
  EXPECT_EQ(report->profiles[0].purpose, ChargingProfilePurpose::TxDefault);
  EXPECT_EQ(report->profiles[0].schedules.at(0).periods.at(0).limit, RateMilli{16000});
  EXPECT_EQ(report->profiles[1].purpose, ChargingProfilePurpose::StationMax);
  EXPECT_EQ(report->profiles[1].kind, ChargingProfileKind::Relative);

  // 2.1: per-phase limits and its own purposes come through.
  auto v21 = decode_report_charging_profiles(station_sends(ProtocolVersion::Ocpp21, "ReportChargingProfiles",
                                                           R"({"requestId":1,"chargingLimitSource":"EMS","evseId":0,
      "chargingProfile":[{"id":3,"stackLevel":0,"chargingProfilePurpose":"LocalGeneration","chargingProfileKind":"Absolute",
      "chargingSchedule":[{"id":1,"startSchedule":"2026-03-01T08:00:00Z","chargingRateUnit":"A",
      "chargingSchedulePeriod":[{"startPeriod":0,"limit":16,"limit_L2":12,"limit_L3":8}]}]}]})"));
  ASSERT_TRUE(v21) << v21.error().message;
  EXPECT_EQ(v21->profiles.at(0).purpose, ChargingProfilePurpose::LocalGeneration);
  EXPECT_EQ(v21->profiles.at(0).schedules.at(0).periods.at(0).limit_l3, RateMilli{8000});
  EXPECT_FALSE(v21->to_be_continued);

  auto no_profiles =
      decode_report_charging_profiles(R"({"requestId":1,"chargingLimitSource":"CSO","evseId":1,"chargingProfile":[]})");
  ASSERT_FALSE(no_profiles);
  EXPECT_EQ(no_profiles.error().field, "chargingProfile");
  auto bad_profile = decode_report_charging_profiles(
      R"({"requestId":1,"chargingLimitSource":"CSO","evseId":1,"chargingProfile":[{"id":1,"stackLevel":-1,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":1,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":6}]}]}]})");
  ASSERT_FALSE(bad_profile);
  EXPECT_EQ(bad_profile.error().field, "chargingProfile[0].stackLevel");

  auto cleared = decode_cleared_charging_limit(
      station_sends(ProtocolVersion::Ocpp201, "ClearedChargingLimit", R"({"chargingLimitSource":"SO","evseId":2})"));
  ASSERT_TRUE(cleared);
  EXPECT_EQ(cleared->source, "SO");
  EXPECT_EQ(cleared->evse_id, 2);
  auto station_wide = decode_cleared_charging_limit(R"({"chargingLimitSource":"EMS"})");
  ASSERT_TRUE(station_wide);
  EXPECT_EQ(station_wide->evse_id, std::nullopt);
  EXPECT_FALSE(decode_cleared_charging_limit(R"({"evseId":1})"));

  auto ev = decode_ev_charging_schedule(station_sends(ProtocolVersion::Ocpp201, "NotifyEVChargingSchedule",
                                                      R"({"timeBase":"2026-03-01T08:00:00Z","evseId":1,
      "chargingSchedule":{"id":5,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":7000},
      {"startPeriod":1800,"limit":3500}]}})"));
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->evse_id, 1);
  EXPECT_EQ(ev->schedule.id, 5);
  EXPECT_EQ(ev->schedule.start, at("2026-03-01T08:00:00Z")); // the timeBase
  EXPECT_EQ(ev->schedule.periods.size(), 2u);
  auto ev_bad = decode_ev_charging_schedule(
      R"({"timeBase":"yesterday","evseId":1,"chargingSchedule":{"id":5,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":7000}]}})");
  ASSERT_FALSE(ev_bad);
  EXPECT_EQ(ev_bad.error().field, "timeBase");
}
