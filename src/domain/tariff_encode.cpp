// domain::Tariff -> OCPI 2.2.1 tariff JSON, the OCPI text of the tariff enums, and OCPI date-times.
#include <array>
#include <chrono>
#include <cstdio>
#include <utility>

#include <boost/json.hpp>

#include "gridlane/core/json_text.hpp"
#include "gridlane/domain/tariff_codec.hpp"

namespace gridlane::domain {
namespace {
namespace json = boost::json;

template <class E, std::size_t N> using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<TariffDimension, 4> kDimensions{{{TariffDimension::Energy, "ENERGY"},
                                                 {TariffDimension::Flat, "FLAT"},
                                                 {TariffDimension::ParkingTime, "PARKING_TIME"},
                                                 {TariffDimension::Time, "TIME"}}};
constexpr Names<TariffType, 5> kTypes{{{TariffType::AdHocPayment, "AD_HOC_PAYMENT"},
                                       {TariffType::ProfileCheap, "PROFILE_CHEAP"},
                                       {TariffType::ProfileFast, "PROFILE_FAST"},
                                       {TariffType::ProfileGreen, "PROFILE_GREEN"},
                                       {TariffType::Regular, "REGULAR"}}};
constexpr Names<DayOfWeek, 7> kDays{{{DayOfWeek::Monday, "MONDAY"},
                                     {DayOfWeek::Tuesday, "TUESDAY"},
                                     {DayOfWeek::Wednesday, "WEDNESDAY"},
                                     {DayOfWeek::Thursday, "THURSDAY"},
                                     {DayOfWeek::Friday, "FRIDAY"},
                                     {DayOfWeek::Saturday, "SATURDAY"},
                                     {DayOfWeek::Sunday, "SUNDAY"}}};
constexpr Names<ReservationRestriction, 2> kReservations{
    {{ReservationRestriction::Reservation, "RESERVATION"},
     {ReservationRestriction::ReservationExpires, "RESERVATION_EXPIRES"}}};
constexpr Names<EnergySourceCategory, 8> kSources{{{EnergySourceCategory::Nuclear, "NUCLEAR"},
                                                   {EnergySourceCategory::GeneralFossil, "GENERAL_FOSSIL"},
                                                   {EnergySourceCategory::Coal, "COAL"},
                                                   {EnergySourceCategory::Gas, "GAS"},
                                                   {EnergySourceCategory::GeneralGreen, "GENERAL_GREEN"},
                                                   {EnergySourceCategory::Solar, "SOLAR"},
                                                   {EnergySourceCategory::Wind, "WIND"},
                                                   {EnergySourceCategory::Water, "WATER"}}};
constexpr Names<EnvironmentalImpactCategory, 2> kImpacts{
    {{EnvironmentalImpactCategory::NuclearWaste, "NUCLEAR_WASTE"},
     {EnvironmentalImpactCategory::CarbonDioxide, "CARBON_DIOXIDE"}}};

template <class E, std::size_t N> std::string_view name_of(const Names<E, N> &names, E e) {
  for (const auto &[value, text] : names)
    if (value == e) return text;
  return "";
}
template <class E, std::size_t N> std::optional<E> parse_name(const Names<E, N> &names, std::string_view text) {
  for (const auto &[value, name] : names)
    if (name == text) return value;
  return std::nullopt;
}

json::value number(core::Decimal d) {
  if (d.units() % core::Decimal::kOne == 0) return json::value(d.units() / core::Decimal::kOne);
  return json::value(d.to_wire());
}

json::string str(std::string_view s) {
  return json::string(json::string_view(s.data(), s.size()));
}

std::string two(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

json::object price_json(const Price &p) {
  json::object o;
  o["excl_vat"] = number(p.excl_vat);
  if (p.incl_vat) o["incl_vat"] = number(*p.incl_vat);
  return o;
}

json::object restrictions_json(const TariffRestrictions &r) {
  json::object o;
  if (r.start_time) o["start_time"] = str(two(r.start_time->hour) + ":" + two(r.start_time->minute));
  if (r.end_time) o["end_time"] = str(two(r.end_time->hour) + ":" + two(r.end_time->minute));
  auto date = [](const CalendarDate &d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year % 10000, d.month % 100, d.day % 100);
    return str(buf);
  };
  if (r.start_date) o["start_date"] = date(*r.start_date);
  if (r.end_date) o["end_date"] = date(*r.end_date);
  auto put = [&](std::string_view key, const std::optional<core::Decimal> &v) {
    if (v) o[key] = number(*v);
  };
  put("min_kwh", r.min_kwh);
  put("max_kwh", r.max_kwh);
  put("min_current", r.min_current);
  put("max_current", r.max_current);
  put("min_power", r.min_power);
  put("max_power", r.max_power);
  if (r.min_duration) o["min_duration"] = *r.min_duration;
  if (r.max_duration) o["max_duration"] = *r.max_duration;
  if (!r.day_of_week.empty()) {
    json::array days;
    for (auto d : r.day_of_week)
      days.push_back(str(to_string(d)));
    o["day_of_week"] = std::move(days);
  }
  if (r.reservation) o["reservation"] = str(to_string(*r.reservation));
  return o;
}

json::object element_json(const TariffElement &e) {
  json::object o;
  json::array components;
  for (const auto &c : e.price_components) {
    json::object pc;
    pc["type"] = str(to_string(c.type));
    pc["price"] = number(c.price);
    if (c.vat) pc["vat"] = number(*c.vat);
    pc["step_size"] = c.step_size;
    components.push_back(std::move(pc));
  }
  o["price_components"] = std::move(components);
  if (e.restrictions) o["restrictions"] = restrictions_json(*e.restrictions);
  return o;
}

json::object energy_mix_json(const EnergyMix &m) {
  json::object o;
  o["is_green_energy"] = m.is_green_energy;
  if (!m.energy_sources.empty()) {
    json::array list;
    for (const auto &s : m.energy_sources)
      list.push_back(json::object{{"source", str(to_string(s.source))}, {"percentage", number(s.percentage)}});
    o["energy_sources"] = std::move(list);
  }
  if (!m.environ_impact.empty()) {
    json::array list;
    for (const auto &s : m.environ_impact)
      list.push_back(json::object{{"category", str(to_string(s.category))}, {"amount", number(s.amount)}});
    o["environ_impact"] = std::move(list);
  }
  if (m.supplier_name) o["supplier_name"] = str(*m.supplier_name);
  if (m.energy_product_name) o["energy_product_name"] = str(*m.energy_product_name);
  return o;
}

} // namespace

std::string_view to_string(TariffDimension d) {
  return name_of(kDimensions, d);
}
std::string_view to_string(TariffType t) {
  return name_of(kTypes, t);
}
std::string_view to_string(DayOfWeek d) {
  return name_of(kDays, d);
}
std::string_view to_string(ReservationRestriction r) {
  return name_of(kReservations, r);
}
std::string_view to_string(EnergySourceCategory c) {
  return name_of(kSources, c);
}
std::string_view to_string(EnvironmentalImpactCategory c) {
  return name_of(kImpacts, c);
}
std::optional<TariffDimension> parse_tariff_dimension(std::string_view text) {
  return parse_name(kDimensions, text);
}
std::optional<TariffType> parse_tariff_type(std::string_view text) {
  return parse_name(kTypes, text);
}
std::optional<DayOfWeek> parse_day_of_week(std::string_view text) {
  return parse_name(kDays, text);
}
std::optional<ReservationRestriction> parse_reservation_restriction(std::string_view text) {
  return parse_name(kReservations, text);
}
std::optional<EnergySourceCategory> parse_energy_source_category(std::string_view text) {
  return parse_name(kSources, text);
}
std::optional<EnvironmentalImpactCategory> parse_environmental_impact_category(std::string_view text) {
  return parse_name(kImpacts, text);
}

std::string format_ocpi_time(core::Timestamp t) {
  auto text = core::format_iso8601(t); // "YYYY-MM-DDTHH:MM:SS.mmmZ"
  if (t.time_since_epoch().count() % 1000 == 0 && text.size() > 5 && text.ends_with(".000Z"))
    text.replace(text.size() - 5, 5, "Z");
  return text;
}

std::optional<core::Timestamp> parse_ocpi_time(std::string_view text) {
  // OCPI 2.2.1 types, DateTime: "The absence of the timezone designator implies a UTC timestamp."
  return core::parse_iso8601(text, core::MissingOffset::ReadAsUtc);
}

json::object tariff_to_json(const Tariff &t) {
  json::object o;
  o["country_code"] = str(t.country_code);
  o["party_id"] = str(t.party_id);
  o["id"] = str(t.id);
  o["currency"] = str(t.currency.code());
  if (t.type) o["type"] = str(to_string(*t.type));
  if (!t.tariff_alt_text.empty()) {
    json::array list;
    for (const auto &d : t.tariff_alt_text)
      list.push_back(json::object{{"language", str(d.language)}, {"text", str(d.text)}});
    o["tariff_alt_text"] = std::move(list);
  }
  if (t.tariff_alt_url) o["tariff_alt_url"] = str(*t.tariff_alt_url);
  if (t.min_price) o["min_price"] = price_json(*t.min_price);
  if (t.max_price) o["max_price"] = price_json(*t.max_price);
  json::array elements;
  for (const auto &e : t.elements)
    elements.push_back(element_json(e));
  o["elements"] = std::move(elements);
  if (t.start_date_time) o["start_date_time"] = str(format_ocpi_time(*t.start_date_time));
  if (t.end_date_time) o["end_date_time"] = str(format_ocpi_time(*t.end_date_time));
  if (t.energy_mix) o["energy_mix"] = energy_mix_json(*t.energy_mix);
  o["last_updated"] = str(format_ocpi_time(t.last_updated));
  return o;
}

std::string encode_tariff(const Tariff &t) {
  return core::to_json_text(tariff_to_json(t));
}

} // namespace gridlane::domain
