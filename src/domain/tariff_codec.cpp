// OCPI 2.2.1 tariff JSON -> domain::Tariff, strictly (mod_tariffs, "Tariff Object" and its
// types). The reader keeps the first problem with the field's path and reads straight through;
// the caller checks once. The encoder and the enum texts are in tariff_encode.cpp.
#include <algorithm>
#include <chrono>
#include <initializer_list>

#include <boost/json.hpp>

#include "gridlane/domain/tariff_codec.hpp"

namespace gridlane::domain {
namespace {
namespace json = boost::json;
using core::Decimal;

// Bounds far above any real tariff and low enough that a price times a quantity stays inside
// Decimal's range (+-9.2 * 10^12): the engine never overflows on a tariff the codec accepted.
const Decimal kMaxPrice = Decimal::from_units(1'000'000 * Decimal::kOne);  // per kWh, hour or session
const Decimal kMaxKwh = Decimal::from_units(1'000'000 * Decimal::kOne);    // kWh
const Decimal kMaxCurrent = Decimal::from_units(100'000 * Decimal::kOne);  // A
const Decimal kMaxPower = Decimal::from_units(1'000'000 * Decimal::kOne);  // kW
const Decimal kHundred = Decimal::from_units(100 * Decimal::kOne);         // percent
const Decimal kMaxImpact = Decimal::from_units(1'000'000 * Decimal::kOne); // g/kWh
constexpr std::int64_t kMaxStepSize = 1'000'000'000;                       // Wh or s
constexpr std::int64_t kMaxDuration = 10LL * 366 * 24 * 3600;              // s: ten years

std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '\'';
  out += s;
  out += '\'';
  return out;
}

//! Reads one JSON object; refuses the fields it does not know.
class In {
public:
  In(const json::object &o, std::string prefix, std::optional<ServiceError> &error,
     std::initializer_list<std::string_view> known, std::string_view what)
      : o_(o), prefix_(std::move(prefix)), error_(error) {
    for (const auto &kv : o_) {
      if (std::find(known.begin(), known.end(), std::string_view(kv.key())) == known.end()) {
        fail(kv.key(), q(kv.key()) + " is not a field of " + std::string(what) + " (OCPI 2.2.1)");
        break;
      }
    }
  }

  bool failed() const { return error_.has_value(); }
  void fail(std::string_view key, std::string message) {
    if (!error_) error_ = ServiceError::invalid(std::move(message), path(key));
  }
  std::string path(std::string_view key) const { return prefix_ + std::string(key); }
  std::string q(std::string_view key) const { return quoted(path(key)); }

  //! The field's value; a missing required field is a problem.
  const json::value *get(std::string_view key, bool required, std::string_view kind) {
    const auto *v = o_.if_contains(key);
    if (!v && required) fail(key, q(key) + " (" + std::string(kind) + ") is required");
    return v;
  }

  std::optional<std::string> text(std::string_view key, bool required, std::size_t max_chars) {
    const auto *v = get(key, required, "string");
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      fail(key, q(key) + " must be a string");
      return std::nullopt;
    }
    std::string s(v->get_string());
    // Characters, not bytes: a UTF-8 continuation byte does not start one.
    auto chars = static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
    if (s.empty() || chars > max_chars) {
      fail(key, q(key) + " must have 1 to " + std::to_string(max_chars) + " characters");
      return std::nullopt;
    }
    return s;
  }

  std::optional<Decimal> number(std::string_view key, bool required, Decimal lo, Decimal hi) {
    const auto *v = get(key, required, "number");
    if (!v) return std::nullopt;
    const auto range = q(key) + " must be a number from " + lo.to_string() + " to " + hi.to_string();
    std::optional<Decimal> d;
    if (v->is_int64()) {
      if (auto r = Decimal::from_integer(v->get_int64())) d = *r;
    } else if (v->is_double()) {
      // Rounded down and up alike only when the number has at most six decimals.
      auto down = Decimal::from_wire(v->get_double(), core::Rounding::Down);
      auto up = Decimal::from_wire(v->get_double(), core::Rounding::Up);
      if (down && up && *down != *up) {
        fail(key, q(key) + " has more than six decimals");
        return std::nullopt;
      }
      if (down) d = *down;
    } else if (!v->is_uint64()) {
      fail(key, q(key) + " must be a number");
      return std::nullopt;
    }
    if (!d || *d < lo || *d > hi) {
      fail(key, range);
      return std::nullopt;
    }
    return d;
  }

  std::optional<std::int64_t> integer(std::string_view key, bool required, std::int64_t lo, std::int64_t hi) {
    const auto *v = get(key, required, "integer");
    if (!v) return std::nullopt;
    const auto range = q(key) + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
    if (!v->is_int64()) {
      fail(key, v->is_uint64() ? range : q(key) + " must be an integer");
      return std::nullopt;
    }
    if (v->get_int64() < lo || v->get_int64() > hi) {
      fail(key, range);
      return std::nullopt;
    }
    return v->get_int64();
  }

  std::optional<bool> boolean(std::string_view key, bool required) {
    const auto *v = get(key, required, "boolean");
    if (!v) return std::nullopt;
    if (!v->is_bool()) {
      fail(key, q(key) + " must be true or false");
      return std::nullopt;
    }
    return v->get_bool();
  }

  //! An enum by its OCPI text; `names` lists them for the message.
  template <class E, class Parse>
  std::optional<E> enumeration(std::string_view key, bool required, Parse parse, std::string_view names) {
    auto s = text(key, required, 64);
    if (!s) return std::nullopt;
    if (auto e = parse(*s)) return e;
    fail(key, q(key) + " must be one of " + std::string(names));
    return std::nullopt;
  }

  std::optional<core::Timestamp> time(std::string_view key, bool required) {
    auto s = text(key, required, 64);
    if (!s) return std::nullopt;
    auto t = parse_ocpi_time(*s);
    if (!t) fail(key, q(key) + " must be an RFC 3339 date-time, e.g. 2015-06-29T20:39:09Z");
    return t;
  }

  std::optional<In> object(std::string_view key, bool required, std::initializer_list<std::string_view> known,
                           std::string_view what) {
    const auto *v = get(key, required, "object");
    if (!v) return std::nullopt;
    if (!v->is_object()) {
      fail(key, q(key) + " must be an object");
      return std::nullopt;
    }
    return In(v->get_object(), path(key) + ".", error_, known, what);
  }

  const json::array *array(std::string_view key, bool required, bool non_empty) {
    const auto *v = get(key, required, "array");
    if (!v) return nullptr;
    if (!v->is_array()) {
      fail(key, q(key) + " must be an array");
      return nullptr;
    }
    if (non_empty && v->get_array().empty()) {
      fail(key, q(key) + " must have at least one entry");
      return nullptr;
    }
    return &v->get_array();
  }

  std::optional<In> item(const json::array &a, std::string_view key, std::size_t i,
                         std::initializer_list<std::string_view> known, std::string_view what) {
    const auto at = std::string(key) + "[" + std::to_string(i) + "]";
    if (!a[i].is_object()) {
      fail(at, q(at) + " must be an object");
      return std::nullopt;
    }
    return In(a[i].get_object(), path(at) + ".", error_, known, what);
  }

private:
  const json::object &o_;
  std::string prefix_;
  std::optional<ServiceError> &error_;
};

bool is_upper_alpha(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

//! A CiString of exactly `size` upper-case letters (or letters and digits), read in any case.
std::string ci_code(In &in, std::string_view key, std::size_t size, bool digits, std::string_view rule) {
  auto s = in.text(key, true, size);
  if (!s) return {};
  std::transform(s->begin(), s->end(), s->begin(), upper);
  const bool ok = s->size() == size && std::all_of(s->begin(), s->end(), [&](char c) {
                    return is_upper_alpha(c) || (digits && is_digit(c));
                  });
  if (!ok) in.fail(key, in.q(key) + " must be " + std::string(rule));
  return *s;
}

std::optional<ClockTime> clock_time(In &in, std::string_view key) {
  auto s = in.text(key, false, 5);
  if (!s) return std::nullopt;
  const auto &t = *s;
  if (t.size() == 5 && is_digit(t[0]) && is_digit(t[1]) && t[2] == ':' && is_digit(t[3]) && is_digit(t[4])) {
    ClockTime c{(t[0] - '0') * 10 + (t[1] - '0'), (t[3] - '0') * 10 + (t[4] - '0')};
    if (c.hour <= 23 && c.minute <= 59) return c;
  }
  in.fail(key, in.q(key) + " must be a time of day HH:MM from 00:00 to 23:59");
  return std::nullopt;
}

std::optional<CalendarDate> calendar_date(In &in, std::string_view key) {
  auto s = in.text(key, false, 10);
  if (!s) return std::nullopt;
  const auto &t = *s;
  auto digits = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (!is_digit(t[i])) return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (t.size() == 10 && t[4] == '-' && t[7] == '-') {
    CalendarDate d{digits(0, 4), digits(5, 2), digits(8, 2)};
    const std::chrono::year_month_day ymd{std::chrono::year{d.year}, std::chrono::month{static_cast<unsigned>(d.month)},
                                          std::chrono::day{static_cast<unsigned>(d.day)}};
    if (d.year >= 1000 && d.month > 0 && d.day > 0 && ymd.ok()) return d;
  }
  in.fail(key, in.q(key) + " must be a calendar date YYYY-MM-DD");
  return std::nullopt;
}

std::optional<Price> price(In &parent, std::string_view key) {
  auto in = parent.object(key, false, {"excl_vat", "incl_vat"}, "a price");
  if (!in) return std::nullopt;
  Price p;
  p.excl_vat = in->number("excl_vat", true, Decimal{}, kMaxPrice).value_or(Decimal{});
  p.incl_vat = in->number("incl_vat", false, Decimal{}, kMaxPrice);
  if (!in->failed() && p.incl_vat && *p.incl_vat < p.excl_vat)
    in->fail("incl_vat", in->q("incl_vat") + " must not be below " + in->q("excl_vat"));
  return p;
}

PriceComponent price_component(In &in) {
  PriceComponent c;
  c.type = in.enumeration<TariffDimension>("type", true, parse_tariff_dimension, "ENERGY, FLAT, PARKING_TIME, TIME")
               .value_or(TariffDimension::Energy);
  c.price = in.number("price", true, Decimal{}, kMaxPrice).value_or(Decimal{});
  c.vat = in.number("vat", false, Decimal{}, kHundred);
  // FLAT has no step (mod_tariffs: every type except FLAT defines a step_size multiplier), and the
  // specification's own free-of-charge example gives it 0: kept as given, never used.
  const bool flat = c.type == TariffDimension::Flat;
  c.step_size = in.integer("step_size", true, flat ? 0 : 1, kMaxStepSize).value_or(1);
  return c;
}

//! min must not exceed max (both given).
template <class T>
void ordered(In &in, const std::optional<T> &lo, const std::optional<T> &hi, std::string_view lo_key,
             std::string_view hi_key) {
  if (!in.failed() && lo && hi && *lo > *hi) in.fail(lo_key, in.q(lo_key) + " must not be above " + in.q(hi_key));
}

TariffRestrictions restrictions(In &in) {
  TariffRestrictions r;
  r.start_time = clock_time(in, "start_time");
  r.end_time = clock_time(in, "end_time");
  r.start_date = calendar_date(in, "start_date");
  r.end_date = calendar_date(in, "end_date");
  r.min_kwh = in.number("min_kwh", false, Decimal{}, kMaxKwh);
  r.max_kwh = in.number("max_kwh", false, Decimal{}, kMaxKwh);
  r.min_current = in.number("min_current", false, Decimal{}, kMaxCurrent);
  r.max_current = in.number("max_current", false, Decimal{}, kMaxCurrent);
  r.min_power = in.number("min_power", false, Decimal{}, kMaxPower);
  r.max_power = in.number("max_power", false, Decimal{}, kMaxPower);
  r.min_duration = in.integer("min_duration", false, 0, kMaxDuration);
  r.max_duration = in.integer("max_duration", false, 0, kMaxDuration);
  if (const auto *days = in.array("day_of_week", false, false)) {
    for (std::size_t i = 0; i < days->size() && !in.failed(); ++i) {
      const auto key = "day_of_week[" + std::to_string(i) + "]";
      const auto &v = (*days)[i];
      auto d = v.is_string() ? parse_day_of_week(v.get_string()) : std::nullopt;
      if (!d)
        in.fail(key, in.q(key) + " must be one of MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY");
      else if (std::find(r.day_of_week.begin(), r.day_of_week.end(), *d) != r.day_of_week.end())
        in.fail(key, in.q(key) + " repeats a day");
      else
        r.day_of_week.push_back(*d);
    }
  }
  r.reservation = in.enumeration<ReservationRestriction>("reservation", false, parse_reservation_restriction,
                                                         "RESERVATION, RESERVATION_EXPIRES");
  if (!in.failed() && r.start_time && r.end_time && *r.start_time == *r.end_time)
    in.fail("end_time", in.q("end_time") + " equals " + in.q("start_time") +
                            ": leave both out for the whole day (an end time of day is excluded)");
  if (!in.failed() && r.start_date && r.end_date && *r.start_date >= *r.end_date)
    in.fail("end_date", in.q("end_date") + " must be after " + in.q("start_date") + " (the end date is excluded)");
  ordered(in, r.min_kwh, r.max_kwh, "min_kwh", "max_kwh");
  ordered(in, r.min_current, r.max_current, "min_current", "max_current");
  ordered(in, r.min_power, r.max_power, "min_power", "max_power");
  ordered(in, r.min_duration, r.max_duration, "min_duration", "max_duration");
  return r;
}

TariffElement element(In &in) {
  TariffElement e;
  if (const auto *list = in.array("price_components", true, true)) {
    for (std::size_t i = 0; i < list->size() && !in.failed(); ++i)
      if (auto c = in.item(*list, "price_components", i, {"type", "price", "vat", "step_size"}, "a price component"))
        e.price_components.push_back(price_component(*c));
  }
  if (auto r = in.object("restrictions", false,
                         {"start_time", "end_time", "start_date", "end_date", "min_kwh", "max_kwh", "min_current",
                          "max_current", "min_power", "max_power", "min_duration", "max_duration", "day_of_week",
                          "reservation"},
                         "tariff restrictions"))
    e.restrictions = restrictions(*r);
  return e;
}

EnergyMix energy_mix(In &in) {
  EnergyMix m;
  m.is_green_energy = in.boolean("is_green_energy", true).value_or(false);
  if (const auto *list = in.array("energy_sources", false, false)) {
    Decimal total;
    for (std::size_t i = 0; i < list->size() && !in.failed(); ++i) {
      auto s = in.item(*list, "energy_sources", i, {"source", "percentage"}, "an energy source");
      if (!s) break;
      EnergySource e;
      e.source = s->enumeration<EnergySourceCategory>("source", true, parse_energy_source_category,
                                                      "NUCLEAR, GENERAL_FOSSIL, COAL, GAS, GENERAL_GREEN, SOLAR, "
                                                      "WIND, WATER")
                     .value_or(EnergySourceCategory::GeneralGreen);
      e.percentage = s->number("percentage", true, Decimal{}, kHundred).value_or(Decimal{});
      if (auto sum = total.plus(e.percentage)) total = *sum;
      m.energy_sources.push_back(e);
    }
    if (!in.failed() && total > kHundred)
      in.fail("energy_sources", in.q("energy_sources") + " percentages add up to more than 100");
  }
  if (const auto *list = in.array("environ_impact", false, false)) {
    for (std::size_t i = 0; i < list->size() && !in.failed(); ++i) {
      auto s = in.item(*list, "environ_impact", i, {"category", "amount"}, "an environmental impact");
      if (!s) break;
      EnvironmentalImpact e;
      e.category = s->enumeration<EnvironmentalImpactCategory>("category", true, parse_environmental_impact_category,
                                                               "NUCLEAR_WASTE, CARBON_DIOXIDE")
                       .value_or(EnvironmentalImpactCategory::CarbonDioxide);
      e.amount = s->number("amount", true, Decimal{}, kMaxImpact).value_or(Decimal{});
      m.environ_impact.push_back(e);
    }
  }
  m.supplier_name = in.text("supplier_name", false, 64);
  m.energy_product_name = in.text("energy_product_name", false, 64);
  return m;
}

void alt_texts(In &in, Tariff &t) {
  const auto *list = in.array("tariff_alt_text", false, false);
  if (!list) return;
  for (std::size_t i = 0; i < list->size() && !in.failed(); ++i) {
    auto d = in.item(*list, "tariff_alt_text", i, {"language", "text"}, "a display text");
    if (!d) break;
    DisplayText text;
    text.language = d->text("language", true, 2).value_or("");
    std::transform(text.language.begin(), text.language.end(), text.language.begin(), lower);
    if (!d->failed() && (text.language.size() != 2 || !std::all_of(text.language.begin(), text.language.end(),
                                                                   [](char c) { return c >= 'a' && c <= 'z'; })))
      d->fail("language", d->q("language") + " must be an ISO 639-1 language code of two letters");
    text.text = d->text("text", true, 512).value_or("");
    for (const auto &other : t.tariff_alt_text)
      if (!d->failed() && other.language == text.language)
        d->fail("language", d->q("language") + " repeats a language: one text per language");
    t.tariff_alt_text.push_back(std::move(text));
  }
}

Tariff tariff(In &in, const TariffDecodeOptions &options) {
  Tariff t;
  t.country_code = ci_code(in, "country_code", 2, false, "an ISO 3166-1 alpha-2 country code (two letters)");
  t.party_id = ci_code(in, "party_id", 3, true, "an OCPI party id of three letters or digits");
  if (auto id = in.text("id", true, 36)) {
    t.id = *id;
    if (!is_tariff_id(*id)) in.fail("id", in.q("id") + " must have 1 to 36 letters, digits, '.', '_' or '-'");
  }
  if (auto code = in.text("currency", true, 3)) {
    if (auto c = core::Currency::parse(*code))
      t.currency = *c;
    else
      in.fail("currency", in.q("currency") + " must be an ISO 4217 currency code of three capital letters");
  }
  t.type = in.enumeration<TariffType>("type", false, parse_tariff_type,
                                      "AD_HOC_PAYMENT, PROFILE_CHEAP, PROFILE_FAST, PROFILE_GREEN, REGULAR");
  alt_texts(in, t);
  t.tariff_alt_url = in.text("tariff_alt_url", false, 255);
  if (t.tariff_alt_url && !t.tariff_alt_url->starts_with("https://") && !t.tariff_alt_url->starts_with("http://"))
    in.fail("tariff_alt_url", in.q("tariff_alt_url") + " must be an http or https URL");
  t.min_price = price(in, "min_price");
  t.max_price = price(in, "max_price");
  if (!in.failed() && t.min_price && t.max_price && t.min_price->excl_vat > t.max_price->excl_vat)
    in.fail("min_price.excl_vat", in.q("min_price.excl_vat") + " must not be above " + in.q("max_price.excl_vat"));
  if (const auto *list = in.array("elements", true, true)) {
    for (std::size_t i = 0; i < list->size() && !in.failed(); ++i)
      if (auto e = in.item(*list, "elements", i, {"price_components", "restrictions"}, "a tariff element"))
        t.elements.push_back(element(*e));
  }
  t.start_date_time = in.time("start_date_time", false);
  t.end_date_time = in.time("end_date_time", false);
  if (!in.failed() && t.start_date_time && t.end_date_time && *t.start_date_time >= *t.end_date_time)
    in.fail("end_date_time", in.q("end_date_time") + " must be after " + in.q("start_date_time"));
  if (auto m =
          in.object("energy_mix", false,
                    {"is_green_energy", "energy_sources", "environ_impact", "supplier_name", "energy_product_name"},
                    "an energy mix"))
    t.energy_mix = energy_mix(*m);
  if (auto u = in.time("last_updated", !options.default_last_updated))
    t.last_updated = *u;
  else if (options.default_last_updated)
    t.last_updated = *options.default_last_updated;
  return t;
}

} // namespace

Result<Tariff> tariff_from_json(const json::value &value, const TariffDecodeOptions &options) {
  if (!value.is_object()) {
    auto field = options.field_prefix.empty() ? std::string("tariff")
                                              : options.field_prefix.substr(0, options.field_prefix.size() - 1);
    return ServiceError::invalid(quoted(field) + " must be a JSON object (an OCPI 2.2.1 Tariff)", field);
  }
  std::optional<ServiceError> error;
  In in(value.get_object(), options.field_prefix, error,
        {"country_code", "party_id", "id", "currency", "type", "tariff_alt_text", "tariff_alt_url", "min_price",
         "max_price", "elements", "start_date_time", "end_date_time", "energy_mix", "last_updated"},
        "a tariff");
  auto t = tariff(in, options);
  if (error) return *error;
  return t;
}

Result<Tariff> decode_tariff(std::string_view json_text, const TariffDecodeOptions &options) {
  boost::system::error_code ec;
  auto value = json::parse(json::string_view(json_text.data(), json_text.size()), ec);
  if (ec) return ServiceError::invalid("the tariff is not JSON: " + ec.message());
  return tariff_from_json(value, options);
}

bool is_tariff_id(std::string_view text) {
  return !text.empty() && text.size() <= 36 && std::all_of(text.begin(), text.end(), [](char c) {
    return is_digit(c) || is_upper_alpha(upper(c)) || c == '.' || c == '_' || c == '-';
  });
}

Result<void> validate_tariff(const Tariff &t) {
  auto back = tariff_from_json(tariff_to_json(t));
  if (!back) return back.error();
  return {};
}

} // namespace gridlane::domain
