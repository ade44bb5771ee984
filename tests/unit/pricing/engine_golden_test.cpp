// Golden tests: the example tariffs of OCPI 2.2.1 (examples/tariff_*.json, built here as the
// domain types they parse into) with the sessions mod_tariffs.asciidoc and mod_cdrs.asciidoc
// work through, giving the costs those texts state.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "gridlane/domain/tariff_codec.hpp"
#include "pricing_support.hpp"

#ifndef GRIDLANE_OCPI_EXAMPLES
#define GRIDLANE_OCPI_EXAMPLES "tests/data/ocpi/2.2.1"
#endif
#ifndef GRIDLANE_UNIT_TEST_SOURCES
#define GRIDLANE_UNIT_TEST_SOURCES "tests/unit"
#endif

namespace gridlane::pricing::test {
namespace {

namespace json = boost::json;

std::string read_example(const std::string &name) {
  std::ifstream in(std::filesystem::path(GRIDLANE_OCPI_EXAMPLES) / name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// An example tariff of the specification, read through the tariff codec.
domain::Tariff example(const std::string &name) {
  auto t = domain::decode_tariff(read_example(name));
  EXPECT_TRUE(t) << name << ": " << (t ? std::string() : t.error().message);
  return t ? *t : domain::Tariff{};
}

// A number of the example JSON as the spec writes it, to `places` decimals.
std::string number(const json::object &o, const char *key, int places = 2) {
  return core::Decimal::from_wire(o.at(key).to_number<double>()).value().to_fixed(places, core::Rounding::HalfUp);
}

using domain::ClockTime;
using domain::TariffRestrictions;

TariffRestrictions clock(int h1, int m1, int h2, int m2) {
  TariffRestrictions r;
  r.start_time = ClockTime{h1, m1};
  r.end_time = ClockTime{h2, m2};
  return r;
}

// tariff_8_simple_025kwh: 20 kWh cost 5.00 excl., 5.50 incl. VAT.
TEST(PricingGolden, tariff_8_simple_per_kwh) {
  const auto t = example("tariff_8_simple_025kwh.json");
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T12:00:00Z", 20000)});
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "5.00");
  EXPECT_EQ(incl(p.total_cost), "5.50");
  EXPECT_EQ(p.total_energy, dec("20"));
  ASSERT_TRUE(p.total_energy_cost);
  EXPECT_EQ(p.total_energy_cost->excl_vat, dec("5"));
}

// tariff_9_025kwh_start: 20 kWh cost 5.50 excl., 6.10 incl. VAT.
TEST(PricingGolden, tariff_9_start_fee_and_kwh) {
  const auto t = example("tariff_9_025kwh_start.json");
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T12:00:00Z", 20000)});
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "5.50");
  EXPECT_EQ(incl(p.total_cost), "6.10");
  EXPECT_EQ(p.total_fixed_cost->excl_vat, dec("0.5"));
}

// tariff_12_025kwh_min_price: 20 kWh cost 5.00/5.50; under 2 kWh the minimum 0.50/0.55.
TEST(PricingGolden, tariff_12_min_price) {
  const auto t = example("tariff_12_025kwh_min_price.json");
  const auto big = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T12:00:00Z", 20000)});
  EXPECT_EQ(fixed(big.total_cost.excl_vat), "5.00");
  EXPECT_EQ(incl(big.total_cost), "5.50");
  const auto small = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T10:10:00Z", 1500)});
  EXPECT_EQ(fixed(small.total_cost.excl_vat), "0.50");
  EXPECT_EQ(incl(small.total_cost), "0.55");
  EXPECT_EQ(small.total_energy_cost->excl_vat, dec("0.375")); // the dimension keeps its own cost
}

// tariff_10_025kwh_parking_start: 20 kWh and 40 min parking (billed 45) cost 7.00/7.90.
TEST(PricingGolden, tariff_10_parking_after_charging) {
  const auto t = example("tariff_10_025kwh_parking_start.json");
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T12:00:00Z", 20000),
                            parked("2024-03-04T12:00:00Z", "2024-03-04T12:40:00Z")});
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "7.00");
  EXPECT_EQ(incl(p.total_cost), "7.90");
  EXPECT_EQ(p.total_parking_cost->excl_vat, dec("1.5"));
  EXPECT_EQ(p.total_parking_time, dec("0.666667"));
}

// tariff_6_025kwh_start_max_price: 50 kWh capped at 10.00/11.00; 30 kWh 8.00/8.85.
TEST(PricingGolden, tariff_6_max_price) {
  const auto t = example("tariff_6_025kwh_start_max_price.json");
  const auto capped = priced(t, {charging("2019-06-01T10:00:00Z", "2019-06-01T12:00:00Z", 50000)});
  EXPECT_EQ(fixed(capped.total_cost.excl_vat), "10.00");
  EXPECT_EQ(incl(capped.total_cost), "11.00");
  const auto under = priced(t, {charging("2019-06-01T10:00:00Z", "2019-06-01T12:00:00Z", 30000)});
  EXPECT_EQ(fixed(under.total_cost.excl_vat), "8.00");
  EXPECT_EQ(incl(under.total_cost), "8.85");
}

// tariff_1_simple_2hour: 2.5 hours of charging cost 5.00/5.50.
TEST(PricingGolden, tariff_1_per_hour) {
  const auto t = example("tariff_1_simple_2hour.json");
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T12:30:00Z", 30000)});
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "5.00");
  EXPECT_EQ(incl(p.total_cost), "5.50");
  EXPECT_EQ(p.total_time, dec("2.5"));
}

// tariff_13_simple_3hour_5parking: 150 min charging + 42 min parking (billed 45): 11.25/12.75.
TEST(PricingGolden, tariff_13_time_and_parking) {
  const auto t = example("tariff_13_simple_3hour_5parking.json");
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T12:30:00Z", 30000),
                            parked("2024-03-04T12:30:00Z", "2024-03-04T13:12:00Z")});
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "11.25");
  EXPECT_EQ(incl(p.total_cost), "12.75");
}

// tariff_2_alt_text: 2.5 hours cost 4.75/5.00.
TEST(PricingGolden, tariff_2_ad_hoc_per_hour) {
  const auto t = example("tariff_2_alt_text.json");
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T12:30:00Z", 30000)});
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "4.75");
  EXPECT_EQ(incl(p.total_cost), "5.00");
}

// tariff_11_not_possible_alt_text: no session is worked in the text; 2.5 hours are the start
// fee 0.40 plus 4.75 (both by the tariff's own prices).
TEST(PricingGolden, tariff_11_start_fee_and_time) {
  const auto t = example("tariff_11_not_possible_alt_text.json");
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T12:30:00Z", 30000)});
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "5.15");
  EXPECT_EQ(fixed(*p.total_cost.incl_vat, 4), "5.4970"); // 0.50 + 4.997
}

// tariff_3_alt_url: 20.45 kWh billed as 20.5 (step 100 Wh): 0.50 + 5.13 = 5.63 excl., 6.24 incl.
TEST(PricingGolden, tariff_3_energy_step_size) {
  const auto t = example("tariff_3_alt_url.json");
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T12:00:00Z", 20450)});
  EXPECT_EQ(fixed(p.total_energy_cost->excl_vat), "5.13");
  EXPECT_EQ(incl(*p.total_energy_cost), "5.64");
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "5.63");
  EXPECT_EQ(incl(p.total_cost), "6.24");
  EXPECT_EQ(p.total_energy, dec("20.45")); // the volume stays what was measured
}

domain::Tariff complex_tariff() {
  return example("tariff_4_complex.json");
}

// tariff_4_complex, Monday 09:30: 165 min charging at 16 A, 42 min parking: 9.00/10.30.
TEST(PricingGolden, tariff_4_complex_monday) {
  const auto p =
      priced(complex_tariff(), {charging("2024-03-04T09:30:00Z", "2024-03-04T12:15:00Z", 10000, std::nullopt, 16000),
                                parked("2024-03-04T12:15:00Z", "2024-03-04T12:57:00Z")});
  EXPECT_EQ(fixed(p.total_time_cost->excl_vat), "2.75");
  EXPECT_EQ(fixed(p.total_parking_cost->excl_vat), "3.75");
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "9.00");
  EXPECT_EQ(incl(p.total_cost), "10.30");
}

// tariff_4_complex, Saturday 13:30: 114 min at 43 A, 71 min parking (billed 75): 12.375/13.975.
TEST(PricingGolden, tariff_4_complex_saturday) {
  const auto p =
      priced(complex_tariff(), {charging("2024-03-09T13:30:00Z", "2024-03-09T15:24:00Z", 30000, std::nullopt, 43000),
                                parked("2024-03-09T15:24:00Z", "2024-03-09T16:35:00Z")});
  EXPECT_EQ(fixed(p.total_time_cost->excl_vat, 4), "2.3750");
  EXPECT_EQ(fixed(p.total_parking_cost->excl_vat), "7.50");
  EXPECT_EQ(fixed(p.total_cost.excl_vat, 4), "12.3750");
  EXPECT_EQ(fixed(*p.total_cost.incl_vat, 4), "13.9750");
}

// tariff_5_free_of_charge: any session costs nothing.
TEST(PricingGolden, tariff_5_free_of_charge) {
  const auto t = example("tariff_5_free_of_charge.json");
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T12:00:00Z", 20000),
                            parked("2024-03-04T12:00:00Z", "2024-03-04T13:00:00Z")});
  EXPECT_EQ(p.total_cost.excl_vat, dec("0"));
  EXPECT_EQ(p.total_cost.incl_vat, dec("0"));
}

// tariff_7_first_hour_kwh_free: 20 kWh and 2:45 h of parking: 3.80 + 3.50 = 7.30, no incl. VAT.
// The text counts the free hour from the end of charging; the restrictions count from the
// session's start, so the session here charges its 20 kWh at once (a charging period of no length).
TEST(PricingGolden, tariff_7_first_hour_and_kwh_free) {
  const auto t = example("tariff_7_first_hour_kwh_free.json");
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T10:00:00Z", 20000),
                            parked("2024-03-04T10:00:00Z", "2024-03-04T12:45:00Z")});
  EXPECT_EQ(fixed(p.total_energy_cost->excl_vat), "3.80");
  EXPECT_EQ(fixed(p.total_parking_cost->excl_vat), "3.50");
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "7.30");
  EXPECT_FALSE(p.total_cost.incl_vat) << "no VAT given: the total incl. VAT is not known";
}

domain::Tariff step_tariff() {
  return example("tariff_14_step_size.json");
}

// tariff_14 example #1: 16:55 charge 10 min, park 2 min: 0.10 + 0.20 + 0.083 = 0.383.
TEST(PricingGolden, tariff_14_switch_element_1) {
  const auto p = priced(step_tariff(), {charging("2024-03-04T16:55:00Z", "2024-03-04T17:05:00Z", 3000),
                                        parked("2024-03-04T17:05:00Z", "2024-03-04T17:07:00Z")});
  EXPECT_EQ(fixed(p.total_time_cost->excl_vat, 4), "0.3000");
  EXPECT_EQ(fixed(p.total_parking_cost->excl_vat, 3), "0.083");
  EXPECT_EQ(fixed(p.total_cost.excl_vat, 3), "0.383");
  ASSERT_EQ(p.charging_periods.size(), 3u);
  EXPECT_EQ(p.charging_periods[1].start_date_time, at("2024-03-04T17:00:00Z"));
}

// tariff_14 example #2: 16:35 charge 35 min: 25 min 0.50 + 20 billed min 0.80 = 1.30.
TEST(PricingGolden, tariff_14_switch_element_2) {
  const auto p = priced(step_tariff(), {charging("2024-03-04T16:35:00Z", "2024-03-04T17:10:00Z", 3000)});
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "1.30");
}

// tariff_14, switching to free: 19:40 charge 12 min (0.48), park 20 min, 18 billed (0.30): 0.78.
TEST(PricingGolden, tariff_14_switch_to_free_parking) {
  const auto p = priced(step_tariff(), {charging("2024-03-04T19:40:00Z", "2024-03-04T19:52:00Z", 3000),
                                        parked("2024-03-04T19:52:00Z", "2024-03-04T20:12:00Z")});
  EXPECT_EQ(fixed(p.total_time_cost->excl_vat), "0.48");
  EXPECT_EQ(fixed(p.total_parking_cost->excl_vat), "0.30");
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "0.78");
}

// tariff_15: 15 min reservation (1.25/1.50), start fee, 20 kWh: 6.75/7.60.
TEST(PricingGolden, tariff_15_reservation) {
  const auto t = example("tariff_15_reservation_5_euro_per_hour.json");
  const auto p = priced(t, {reserved("2024-03-04T09:45:00Z", "2024-03-04T10:00:00Z"),
                            charging("2024-03-04T10:00:00Z", "2024-03-04T12:00:00Z", 20000)});
  EXPECT_EQ(fixed(p.total_reservation_cost->excl_vat), "1.25");
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "6.75");
  EXPECT_EQ(incl(p.total_cost), "7.60");
}

// tariff_16: 13 min reservation billed 15 + reservation fee 2.00 + start fee + 20 kWh: 8.75/10.00.
TEST(PricingGolden, tariff_16_reservation_fee) {
  const auto t = example("tariff_16_reservation_2_euro_fee_5_euro_per_hour.json");
  const auto p = priced(t, {reserved("2024-03-04T09:47:00Z", "2024-03-04T10:00:00Z"),
                            charging("2024-03-04T10:00:00Z", "2024-03-04T12:00:00Z", 20000)});
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "8.75");
  EXPECT_EQ(incl(p.total_cost), "10.00");
}

domain::Tariff expiry_tariff(bool expire_time) {
  return example(expire_time ? "tariff_18_reservation_with_expire_time.json"
                             : "tariff_17_reservation_with_expire_fee.json");
}

// tariff_17: 22 min reservation billed 30 + start fee + 20 kWh: 6.50/7.30; expired after 1 h: 6.00/7.20.
TEST(PricingGolden, tariff_17_reservation_expire_fee) {
  const auto used = priced(expiry_tariff(false), {reserved("2024-03-04T09:38:00Z", "2024-03-04T10:00:00Z"),
                                                  charging("2024-03-04T10:00:00Z", "2024-03-04T12:00:00Z", 20000)});
  EXPECT_EQ(fixed(used.total_cost.excl_vat), "6.50");
  EXPECT_EQ(incl(used.total_cost), "7.30");
  const auto expired = priced(expiry_tariff(false), {reserved("2024-03-04T09:00:00Z", "2024-03-04T10:00:00Z")});
  EXPECT_EQ(fixed(expired.total_cost.excl_vat), "6.00");
  EXPECT_EQ(incl(expired.total_cost), "7.20");
}

// tariff_18: 22 min reservation billed 30 + start fee + 20 kWh: 7.00/7.90; expired after 1.5 h: 9.00/10.80.
TEST(PricingGolden, tariff_18_reservation_expire_time) {
  const auto used = priced(expiry_tariff(true), {reserved("2024-03-04T09:38:00Z", "2024-03-04T10:00:00Z"),
                                                 charging("2024-03-04T10:00:00Z", "2024-03-04T12:00:00Z", 20000)});
  EXPECT_EQ(fixed(used.total_cost.excl_vat), "7.00");
  EXPECT_EQ(incl(used.total_cost), "7.90");
  const auto expired = priced(expiry_tariff(true), {reserved("2024-03-04T08:30:00Z", "2024-03-04T10:00:00Z")});
  EXPECT_EQ(fixed(expired.total_cost.excl_vat), "9.00");
  EXPECT_EQ(incl(expired.total_cost), "10.80");
}

// tariffrestriction_example_max_power: 1 kWh at 6 kW, 40 at 48 kW, 0.5 at 4 kW: 20.30.
TEST(PricingGolden, max_power_restriction) {
  const auto t = example("tariffrestriction_example_max_power.json");
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T10:10:00Z", 1000, 6000),
                            charging("2024-03-04T10:10:00Z", "2024-03-04T11:00:00Z", 40000, 48000),
                            charging("2024-03-04T11:00:00Z", "2024-03-04T11:07:30Z", 500, 4000)});
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "20.30");
  EXPECT_EQ(p.charging_periods.size(), 3u);
}

// tariffrestriction_example_max_duration: 5 kWh in the first 30 min free, 1.2 kWh after: 0.30.
TEST(PricingGolden, max_duration_restriction) {
  const auto t = example("tariffrestriction_example_max_duration.json");
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T10:30:00Z", 5000),
                            charging("2024-03-04T10:30:00Z", "2024-03-04T10:40:00Z", 1200)});
  EXPECT_EQ(fixed(p.total_cost.excl_vat), "0.30");
}

// cdr_example.json: its own tariff (2.00/h, step 300) over its session, 21:39:09 to 23:37:32:
// 1.973 h billed as 2 h, the totals the CDR states (4.00/4.40).
TEST(PricingGolden, cdr_example_time_step) {
  const auto cdr = json::parse(read_example("cdr_example.json")).as_object();
  const auto t = domain::tariff_from_json(cdr.at("tariffs").as_array().at(0)).value();
  const std::string from(cdr.at("start_date_time").as_string()), to(cdr.at("end_date_time").as_string());
  const auto p = priced(t, {charging(from.c_str(), to.c_str(), 15342)});
  EXPECT_EQ(fixed(p.total_time, 3), number(cdr, "total_time", 3));
  EXPECT_EQ(fixed(p.total_cost.excl_vat), number(cdr.at("total_cost").as_object(), "excl_vat"));
  EXPECT_EQ(incl(p.total_cost), number(cdr.at("total_cost").as_object(), "incl_vat"));
  EXPECT_EQ(fixed(p.total_time_cost->excl_vat), number(cdr.at("total_time_cost").as_object(), "excl_vat"));
  EXPECT_EQ(incl(*p.total_time_cost), number(cdr.at("total_time_cost").as_object(), "incl_vat"));
  ASSERT_EQ(p.charging_periods.size(), 1u);
  EXPECT_EQ(p.charging_periods[0].tariff_id, std::optional<std::string>("12"));
}

// tariff_put_example (the PUT example, without last_updated): 2.00/h in 5 minute steps, so
// 31 minutes are billed as 35: 1.1667 excl., 1.2833 incl. VAT.
TEST(PricingGolden, tariff_put_example) {
  domain::TariffDecodeOptions o;
  o.default_last_updated = at("2024-01-01T00:00:00Z");
  const auto t = domain::decode_tariff(read_example("tariff_put_example.json"), o).value();
  const auto p = priced(t, {charging("2024-03-04T10:00:00Z", "2024-03-04T10:31:00Z", 5000)});
  EXPECT_EQ(p.total_cost.excl_vat, dec("1.1667"));
  EXPECT_EQ(p.total_cost.incl_vat, dec("1.2833"));
}

// mod_cdrs step_size: 21 min charging and 7 min parking, both step 5 min: charging 21, parking 10.
// And 21 min + 16 min, both step 10 min: parking 20. (Charging and parking priced by elements of
// their own; see docs/pricing.md on step_size.)
TEST(PricingGolden, cdr_text_parking_step) {
  const auto t5 = tariff({element({time("1.00", nullptr, 300)}), element({parking("2.00", nullptr, 300)})});
  const auto a = priced(t5, {charging("2024-03-04T10:00:00Z", "2024-03-04T10:21:00Z", 1000),
                             parked("2024-03-04T10:21:00Z", "2024-03-04T10:28:00Z")});
  EXPECT_EQ(fixed(a.total_time_cost->excl_vat, 4), "0.3500");    // 21 min
  EXPECT_EQ(fixed(a.total_parking_cost->excl_vat, 4), "0.3333"); // 10 min
  const auto t10 = tariff({element({time("1.00", nullptr, 600)}), element({parking("2.00", nullptr, 600)})});
  const auto b = priced(t10, {charging("2024-03-04T10:00:00Z", "2024-03-04T10:21:00Z", 1000),
                              parked("2024-03-04T10:21:00Z", "2024-03-04T10:37:00Z")});
  EXPECT_EQ(fixed(b.total_time_cost->excl_vat, 4), "0.3500");    // 21 min
  EXPECT_EQ(fixed(b.total_parking_cost->excl_vat, 4), "0.6667"); // 20 min
}

// mod_cdrs step_size: 4.3 kWh before 17:00 and 1.1 after, both step 500 Wh: 5.5 kWh in total.
// And 6 min before 17:00 and 22 after, both step 10 min: 30 min in total, 24 of them after.
TEST(PricingGolden, cdr_text_step_over_the_session_total) {
  const auto te = tariff({element({energy("0.20", nullptr, 500)}, clock(0, 0, 17, 0)),
                          element({energy("0.27", nullptr, 500)}, clock(17, 0, 0, 0))});
  const auto e = priced(te, {charging("2024-03-04T16:00:00Z", "2024-03-04T17:00:00Z", 4300),
                             charging("2024-03-04T17:00:00Z", "2024-03-04T17:30:00Z", 1100)});
  EXPECT_EQ(e.total_energy_cost->excl_vat, dec("1.184")); // 4.3 * 0.20 + 1.2 * 0.27
  const auto tt = tariff({element({time("5.00", nullptr, 600)}, clock(0, 0, 17, 0)),
                          element({time("7.00", nullptr, 600)}, clock(17, 0, 0, 0))});
  const auto t = priced(tt, {charging("2024-03-04T16:54:00Z", "2024-03-04T17:22:00Z", 1000)});
  EXPECT_EQ(t.total_time_cost->excl_vat, dec("3.3")); // 6 min at 5.00 + 24 min at 7.00
}

// Every tariff example of the specification has a golden test in this file: its name is read
// through example("...") above. Checked on this file's text, so it holds however the tests are
// run (one by one under CTest, or filtered).
TEST(PricingGolden, every_example_tariff_has_a_golden_test) {
  std::ifstream in(std::filesystem::path(GRIDLANE_UNIT_TEST_SOURCES) / "pricing" / "engine_golden_test.cpp");
  std::stringstream text;
  text << in.rdbuf();
  const std::string source = text.str();
  ASSERT_FALSE(source.empty()) << "cannot read this test's source under " << GRIDLANE_UNIT_TEST_SOURCES;
  std::vector<std::string> missing;
  std::size_t examples = 0;
  for (const auto &e : std::filesystem::directory_iterator(GRIDLANE_OCPI_EXAMPLES)) {
    const auto name = e.path().filename().string();
    if (!(name.starts_with("tariff_") || name.starts_with("tariffrestriction_")) || !name.ends_with(".json") ||
        name == "tariff_put_example.json")
      continue;
    ++examples;
    if (source.find('"' + name + '"') == std::string::npos) missing.push_back(name);
  }
  EXPECT_GE(examples, 20u);
  EXPECT_TRUE(missing.empty()) << "no golden test for " << ::testing::PrintToString(missing);
}

} // namespace
} // namespace gridlane::pricing::test
