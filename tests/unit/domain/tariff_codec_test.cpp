// The OCPI 2.2.1 tariff codec: every example tariff of the specification reads and writes back
// to the same JSON, and each rule refuses with the field named by its path.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "gridlane/domain/tariff_codec.hpp"

using namespace gridlane;
using namespace gridlane::domain;
namespace json = boost::json;

#ifndef GRIDLANE_OCPI_EXAMPLES
#define GRIDLANE_OCPI_EXAMPLES "tests/data/ocpi/2.2.1"
#endif

namespace {

std::vector<std::filesystem::path> example_tariffs() {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto &e : std::filesystem::directory_iterator(GRIDLANE_OCPI_EXAMPLES, ec)) {
    const auto name = e.path().filename().string();
    if (name.starts_with("tariff_") && name.ends_with(".json")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read(const std::filesystem::path &p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

//! Numbers compared by value (2.00 in a file is the double 2, the codec writes the integer 2).
json::value normalized(const json::value &v) {
  if (v.is_number()) return json::value(v.to_number<double>());
  if (v.is_array()) {
    json::array a;
    for (const auto &x : v.get_array())
      a.push_back(normalized(x));
    return a;
  }
  if (v.is_object()) {
    json::object o;
    for (const auto &kv : v.get_object())
      o[kv.key()] = normalized(kv.value());
    return o;
  }
  return v;
}

const core::Timestamp kPut = *core::parse_iso8601("2026-11-29T12:00:00Z");

//! A valid tariff with `edit` applied to its JSON.
template <class Edit> Result<Tariff> decode_edited(Edit edit) {
  auto v = json::parse(R"({"country_code":"DE","party_id":"GRL","id":"T1","currency":"EUR",
    "elements":[{"price_components":[{"type":"FLAT","price":1.5,"vat":19,"step_size":1},
                                     {"type":"ENERGY","price":0.25,"step_size":1}],
                 "restrictions":{"start_time":"08:00","end_time":"18:00"}}],
    "last_updated":"2026-11-01T10:00:00Z"})");
  edit(v.as_object());
  return decode_tariff(json::serialize(v));
}

void expect_refused(const Result<Tariff> &r, const std::string &field) {
  ASSERT_FALSE(r) << "accepted, expected a problem with " << field;
  EXPECT_EQ(r.error().code, ServiceError::Code::Invalid);
  EXPECT_EQ(r.error().field.value_or("(none)"), field) << r.error().message;
  EXPECT_NE(r.error().message.find("'" + field + "'"), std::string::npos) << r.error().message;
}

json::object &element0(json::object &t) {
  return t["elements"].as_array()[0].as_object();
}

} // namespace

TEST(TariffCodec, reads_and_writes_back_every_example_tariff_of_ocpi_2_2_1) {
  const auto files = example_tariffs();
  ASSERT_GE(files.size(), 19u) << "the OCPI examples are not at " << GRIDLANE_OCPI_EXAMPLES;
  for (const auto &file : files) {
    SCOPED_TRACE(file.filename().string());
    const auto text = read(file);
    auto original = json::parse(text);
    // tariff_put_example.json is a PUT body without last_updated: the server stamps it.
    auto t = decode_tariff(text, {.default_last_updated = kPut, .field_prefix = {}});
    ASSERT_TRUE(t) << t.error().message;
    const auto encoded = encode_tariff(*t);
    auto again = decode_tariff(encoded);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, *t);
    auto written = json::parse(encoded);
    if (!original.as_object().contains("last_updated")) {
      EXPECT_EQ(written.at("last_updated"), json::value("2026-11-29T12:00:00Z"));
      written.as_object().erase("last_updated");
    }
    EXPECT_EQ(normalized(written), normalized(original)) << encoded;
  }
}

TEST(TariffCodec, reads_the_complex_example_into_typed_fields) {
  auto t = decode_tariff(read(std::filesystem::path(GRIDLANE_OCPI_EXAMPLES) / "tariff_4_complex.json"));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->country_code, "DE");
  EXPECT_EQ(t->party_id, "ALL");
  EXPECT_EQ(t->id, "14");
  EXPECT_EQ(t->currency.code(), "EUR");
  EXPECT_EQ(t->type, TariffType::Regular);
  EXPECT_EQ(t->tariff_alt_url, "https://company.com/tariffs/14");
  ASSERT_EQ(t->elements.size(), 6u);
  const auto &flat = t->elements[0].price_components.at(0);
  EXPECT_EQ(flat.type, TariffDimension::Flat);
  EXPECT_EQ(flat.price, core::Decimal::parse("2.5").value());
  EXPECT_EQ(flat.vat, core::Decimal::parse("15").value());
  EXPECT_FALSE(t->elements[0].restrictions);
  const auto &r2 = t->elements[2].restrictions.value();
  EXPECT_EQ(r2.min_current, core::Decimal::parse("32").value());
  EXPECT_EQ(r2.day_of_week, (std::vector<DayOfWeek>{DayOfWeek::Monday, DayOfWeek::Tuesday, DayOfWeek::Wednesday,
                                                    DayOfWeek::Thursday, DayOfWeek::Friday}));
  const auto &parking = t->elements[5];
  EXPECT_EQ(parking.price_components.at(0).type, TariffDimension::ParkingTime);
  EXPECT_EQ(parking.price_components.at(0).step_size, 300);
  EXPECT_EQ(parking.restrictions->start_time, (ClockTime{10, 0}));
  EXPECT_EQ(parking.restrictions->end_time, (ClockTime{17, 0}));
  EXPECT_EQ(core::format_iso8601(t->last_updated), "2015-06-29T20:39:09.000Z");
}

TEST(TariffCodec, reads_prices_exactly_with_up_to_six_decimals) {
  auto t = decode_edited([](json::object &o) {
    element0(o)["price_components"].as_array()[1].as_object()["price"] = 0.123456;
    o["min_price"] = json::object{{"excl_vat", 0.1}, {"incl_vat", 0.12}};
  });
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->elements[0].price_components[1].price.units(), 123456);
  EXPECT_EQ(t->min_price->excl_vat.units(), 100000);
  EXPECT_EQ(t->min_price->incl_vat->units(), 120000);
}

TEST(TariffCodec, refuses_each_broken_rule_naming_the_field) {
  expect_refused(decode_edited([](json::object &o) {
                   element0(o)["price_components"].as_array()[1].as_object()["step_size"] = 0;
                 }),
                 "elements[0].price_components[1].step_size");
  expect_refused(decode_edited([](json::object &o) {
                   element0(o)["price_components"].as_array()[1].as_object()["step_size"] = 1.5;
                 }),
                 "elements[0].price_components[1].step_size");
  expect_refused(
      decode_edited([](json::object &o) { element0(o)["price_components"].as_array()[0].as_object()["price"] = -1; }),
      "elements[0].price_components[0].price");
  expect_refused(decode_edited([](json::object &o) {
                   element0(o)["price_components"].as_array()[1].as_object()["price"] = 0.1234567;
                 }),
                 "elements[0].price_components[1].price");
  expect_refused(decode_edited([](json::object &o) {
                   element0(o)["price_components"].as_array()[0].as_object()["price"] = "1.5";
                 }),
                 "elements[0].price_components[0].price");
  expect_refused(
      decode_edited([](json::object &o) { element0(o)["price_components"].as_array()[0].as_object()["vat"] = 101; }),
      "elements[0].price_components[0].vat");
  expect_refused(
      decode_edited([](json::object &o) { element0(o)["price_components"].as_array()[0].as_object()["type"] = "kWh"; }),
      "elements[0].price_components[0].type");
  expect_refused(
      decode_edited([](json::object &o) { element0(o)["price_components"].as_array()[0].as_object().erase("type"); }),
      "elements[0].price_components[0].type");
  expect_refused(decode_edited([](json::object &o) { element0(o)["price_components"] = json::array{}; }),
                 "elements[0].price_components");
  expect_refused(
      decode_edited([](json::object &o) { element0(o)["restrictions"].as_object()["start_time"] = "24:00"; }),
      "elements[0].restrictions.start_time");
  expect_refused(decode_edited([](json::object &o) { element0(o)["restrictions"].as_object()["end_time"] = "08:00"; }),
                 "elements[0].restrictions.end_time");
  expect_refused(
      decode_edited([](json::object &o) { element0(o)["restrictions"].as_object()["start_date"] = "2026-02-30"; }),
      "elements[0].restrictions.start_date");
  expect_refused(decode_edited([](json::object &o) {
                   auto &r = element0(o)["restrictions"].as_object();
                   r["min_kwh"] = 20;
                   r["max_kwh"] = 10.5;
                 }),
                 "elements[0].restrictions.min_kwh");
  expect_refused(decode_edited([](json::object &o) {
                   element0(o)["restrictions"].as_object()["day_of_week"] = json::array{"MONDAY", "MONDAY"};
                 }),
                 "elements[0].restrictions.day_of_week[1]");
  expect_refused(decode_edited([](json::object &o) {
                   element0(o)["restrictions"].as_object()["day_of_week"] = json::array{"MONDAY", "Funday"};
                 }),
                 "elements[0].restrictions.day_of_week[1]");
  expect_refused(decode_edited([](json::object &o) { element0(o)["restrictions"].as_object()["min_duration"] = -1; }),
                 "elements[0].restrictions.min_duration");
  expect_refused(decode_edited([](json::object &o) { element0(o)["restrictions"].as_object()["reservation"] = "YES"; }),
                 "elements[0].restrictions.reservation");
  expect_refused(decode_edited([](json::object &o) { element0(o)["restrictions"].as_object()["max_power"] = 1e300; }),
                 "elements[0].restrictions.max_power");
  expect_refused(decode_edited([](json::object &o) { element0(o)["colour"] = "red"; }), "elements[0].colour");
  expect_refused(decode_edited([](json::object &o) { o["elements"] = json::array{}; }), "elements");
  expect_refused(decode_edited([](json::object &o) { o.erase("elements"); }), "elements");
  expect_refused(decode_edited([](json::object &o) { o["elements"] = json::array{1}; }), "elements[0]");
  expect_refused(decode_edited([](json::object &o) { o["currency"] = "eur"; }), "currency");
  expect_refused(decode_edited([](json::object &o) { o["country_code"] = "DEU"; }), "country_code");
  expect_refused(decode_edited([](json::object &o) { o["party_id"] = "G-L"; }), "party_id");
  expect_refused(decode_edited([](json::object &o) { o["id"] = ""; }), "id");
  expect_refused(decode_edited([](json::object &o) { o["id"] = "a/b"; }), "id");
  expect_refused(decode_edited([](json::object &o) { o["id"] = std::string(37, 'x'); }), "id");
  expect_refused(decode_edited([](json::object &o) { o["type"] = "CHEAP"; }), "type");
  expect_refused(decode_edited([](json::object &o) { o["tariff_alt_url"] = "ftp://x"; }), "tariff_alt_url");
  expect_refused(decode_edited([](json::object &o) {
                   o["tariff_alt_text"] = json::array{json::object{{"language", "english"}, {"text", "x"}}};
                 }),
                 "tariff_alt_text[0].language");
  expect_refused(
      decode_edited([](json::object &o) {
        o["tariff_alt_text"] = json::array{json::object{{"language", "en"}, {"text", std::string(513, 'x')}}};
      }),
      "tariff_alt_text[0].text");
  expect_refused(decode_edited([](json::object &o) {
                   o["min_price"] = json::object{{"incl_vat", 1}};
                 }),
                 "min_price.excl_vat");
  expect_refused(decode_edited([](json::object &o) {
                   o["max_price"] = json::object{{"excl_vat", 2}, {"incl_vat", 1}};
                 }),
                 "max_price.incl_vat");
  expect_refused(decode_edited([](json::object &o) {
                   o["min_price"] = json::object{{"excl_vat", 5}};
                   o["max_price"] = json::object{{"excl_vat", 2}};
                 }),
                 "min_price.excl_vat");
  expect_refused(decode_edited([](json::object &o) {
                   o["start_date_time"] = "2026-12-01T00:00:00Z";
                   o["end_date_time"] = "2026-11-01T00:00:00Z";
                 }),
                 "end_date_time");
  expect_refused(decode_edited([](json::object &o) { o["start_date_time"] = "tomorrow"; }), "start_date_time");
  expect_refused(decode_edited([](json::object &o) {
                   o["energy_mix"] = json::object{{"energy_sources", json::array{}}};
                 }),
                 "energy_mix.is_green_energy");
  expect_refused(decode_edited([](json::object &o) {
                   o["energy_mix"] = json::object{
                       {"is_green_energy", true},
                       {"energy_sources", json::array{json::object{{"source", "SOLAR"}, {"percentage", 80}},
                                                      json::object{{"source", "WIND"}, {"percentage", 30}}}}};
                 }),
                 "energy_mix.energy_sources");
  expect_refused(decode_edited([](json::object &o) { o.erase("last_updated"); }), "last_updated");
  expect_refused(decode_edited([](json::object &o) { o["last_updated"] = nullptr; }), "last_updated");
  expect_refused(decode_edited([](json::object &o) { o["tariff_id"] = "x"; }), "tariff_id");
}

TEST(TariffCodec, a_flat_component_may_have_no_step_size) {
  // As tariff_5_free_of_charge.json has it: FLAT defines no step.
  auto t = decode_edited(
      [](json::object &o) { element0(o)["price_components"].as_array()[0].as_object()["step_size"] = 0; });
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->elements[0].price_components[0].step_size, 0);
}

TEST(TariffCodec, names_fields_under_a_prefix_and_refuses_what_is_not_a_tariff) {
  auto r = tariff_from_json(json::parse(R"({"country_code":"DE","party_id":"GRL","id":"T1","currency":"EUR",
      "elements":[{"price_components":[{"type":"ENERGY","price":0.3,"step_size":0}]}]})"),
                            {.default_last_updated = kPut, .field_prefix = "tariff."});
  expect_refused(r, "tariff.elements[0].price_components[0].step_size");
  auto a = tariff_from_json(json::parse("[1]"), {.default_last_updated = kPut, .field_prefix = "tariff."});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().field, "tariff");
  EXPECT_FALSE(decode_tariff("{not json"));
}

TEST(TariffCodec, normalises_the_case_of_ci_strings_and_languages) {
  auto t = decode_edited([](json::object &o) {
    o["country_code"] = "de";
    o["party_id"] = "grl";
    o["tariff_alt_text"] = json::array{json::object{{"language", "EN"}, {"text", "0.25 per kWh"}}};
  });
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->country_code, "DE");
  EXPECT_EQ(t->party_id, "GRL");
  EXPECT_EQ(t->tariff_alt_text.at(0).language, "en");
}

TEST(TariffCodec, writes_ocpi_date_times_in_utc_with_milliseconds_only_when_present) {
  EXPECT_EQ(format_ocpi_time(*core::parse_iso8601("2015-06-29T22:39:09+02:00")), "2015-06-29T20:39:09Z");
  EXPECT_EQ(format_ocpi_time(*core::parse_iso8601("2015-06-29T20:39:09.250Z")), "2015-06-29T20:39:09.250Z");
  // OCPI: a date-time without a zone designator is UTC.
  EXPECT_EQ(parse_ocpi_time("2015-06-29T20:39:09"), core::parse_iso8601("2015-06-29T20:39:09Z"));
  EXPECT_FALSE(parse_ocpi_time("2015-06-29"));
}

TEST(TariffCodec, validates_a_tariff_built_in_code) {
  auto t = decode_edited([](json::object &) {});
  ASSERT_TRUE(t);
  EXPECT_TRUE(validate_tariff(*t));
  t->elements[0].price_components[1].step_size = 0;
  auto v = validate_tariff(*t);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().field, "elements[0].price_components[1].step_size");
  t->elements.clear();
  EXPECT_FALSE(validate_tariff(*t));
}

TEST(TariffCodec, enum_texts_read_back) {
  for (auto d : {TariffDimension::Energy, TariffDimension::Flat, TariffDimension::ParkingTime, TariffDimension::Time})
    EXPECT_EQ(parse_tariff_dimension(to_string(d)), d);
  for (int i = 1; i <= 7; ++i)
    EXPECT_EQ(parse_day_of_week(to_string(static_cast<DayOfWeek>(i))), static_cast<DayOfWeek>(i));
  EXPECT_EQ(to_string(TariffType::AdHocPayment), "AD_HOC_PAYMENT");
  EXPECT_EQ(to_string(ReservationRestriction::ReservationExpires), "RESERVATION_EXPIRES");
  EXPECT_FALSE(parse_tariff_dimension("energy"));
}
