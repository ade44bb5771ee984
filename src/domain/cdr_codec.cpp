// The OCPI 2.2.1 CDR codec (domain/cdr_codec.hpp). Decoding reads straight through with the
// command codec's Reader, which keeps the first problem with the field's path.
#include "gridlane/domain/cdr_codec.hpp"

#include <array>
#include <boost/json.hpp>

#include "codec_reader.hpp"
#include "gridlane/core/json_text.hpp"
#include "gridlane/domain/tariff_codec.hpp"

namespace gridlane::domain {
namespace json = boost::json;
using codec::Reader;

namespace {

constexpr std::array<std::string_view, 13> dimension_names = {
    "CURRENT",   "ENERGY",       "ENERGY_EXPORT", "ENERGY_IMPORT",    "MAX_CURRENT",     "MIN_CURRENT", "MAX_POWER",
    "MIN_POWER", "PARKING_TIME", "POWER",         "RESERVATION_TIME", "STATE_OF_CHARGE", "TIME"};
constexpr std::array<std::string_view, 3> auth_method_names = {"AUTH_REQUEST", "COMMAND", "WHITELIST"};
constexpr std::array<std::string_view, 4> token_type_names = {"AD_HOC_USER", "APP_USER", "OTHER", "RFID"};

template <class E, std::size_t N>
std::optional<E> parse_in(const std::array<std::string_view, N> &names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

json::value number(core::Decimal d) {
  if (d.units() % core::Decimal::kOne == 0) return json::value(d.units() / core::Decimal::kOne);
  return json::value(d.to_wire());
}

void put_opt(json::object &o, std::string_view key, const std::optional<std::string> &v) {
  if (v) o[key] = *v;
}
void put_price(json::object &o, std::string_view key, const std::optional<Price> &p) {
  if (p) o[key] = price_json(*p);
}

json::object location_json(const CdrLocation &l) {
  json::object o{{"id", l.id}};
  put_opt(o, "name", l.name);
  o["address"] = l.address;
  o["city"] = l.city;
  put_opt(o, "postal_code", l.postal_code);
  put_opt(o, "state", l.state);
  o["country"] = l.country;
  o["coordinates"] = {{"latitude", l.coordinates.latitude}, {"longitude", l.coordinates.longitude}};
  o["evse_uid"] = l.evse_uid;
  o["evse_id"] = l.evse_id;
  o["connector_id"] = l.connector_id;
  o["connector_standard"] = to_string(l.connector_standard);
  o["connector_format"] = to_string(l.connector_format);
  o["connector_power_type"] = to_string(l.connector_power_type);
  return o;
}

json::object signed_json(const SignedData &s) {
  json::object o{{"encoding_method", s.encoding_method}};
  if (s.encoding_method_version) o["encoding_method_version"] = *s.encoding_method_version;
  put_opt(o, "public_key", s.public_key);
  json::array values;
  for (const auto &v : s.signed_values)
    values.push_back({{"nature", v.nature}, {"plain_data", v.plain_data}, {"signed_data", v.signed_data}});
  o["signed_values"] = std::move(values);
  put_opt(o, "url", s.url);
  return o;
}

// ---- decoding -------------------------------------------------------------------------------------

//! A JSON number as an exact decimal: at most six places, finite, within range.
std::optional<core::Decimal> decimal(Reader &r, std::string_view key, bool required) {
  const auto *v = r.field(key);
  if (!v) {
    if (required) r.fail(key, r.q(key) + " (number) is required");
    return std::nullopt;
  }
  if (v->is_int64()) {
    auto d = core::Decimal::from_integer(v->get_int64());
    if (d) return *d;
  } else if (v->is_uint64()) {
    if (v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
      if (auto d = core::Decimal::from_integer(static_cast<std::int64_t>(v->get_uint64()))) return *d;
  } else if (v->is_double()) {
    if (auto d = core::Decimal::from_wire(v->get_double())) return *d;
  }
  r.fail(key, r.q(key) + " must be a finite number with at most six decimals");
  return std::nullopt;
}

//! An OCPI DateTime (RFC 3339; without an offset it is UTC, as OCPI's types have it).
core::Timestamp time_of(Reader &r, std::string_view key) {
  auto text = r.str(key);
  if (auto t = parse_ocpi_time(text)) return *t;
  if (r.has(key)) r.fail(key, r.q(key) + " must be an RFC 3339 date-time");
  return {};
}

std::optional<Price> price_of(Reader &parent, std::string_view key, bool required) {
  auto r = parent.object_reader(key, required);
  if (!r) return std::nullopt;
  Price p;
  p.excl_vat = decimal(*r, "excl_vat", true).value_or(core::Decimal{});
  p.incl_vat = decimal(*r, "incl_vat", false);
  return p;
}

template <class E, std::size_t N>
E enum_of(Reader &r, std::string_view key, const std::array<std::string_view, N> &names, E fallback) {
  auto text = r.str(key);
  if (text.empty() && !r.has(key)) return fallback;
  if (auto e = parse_in<E>(names, text)) return *e;
  std::string list;
  for (std::size_t i = 0; i < N; ++i)
    list += (i ? ", " : "") + std::string(names[i]);
  r.fail(key, r.q(key) + " is one of " + list);
  return fallback;
}

template <class E, class Parse> E location_enum(Reader &r, std::string_view key, Parse parse, E fallback) {
  auto text = r.str(key);
  if (auto e = parse(text)) return *e;
  if (r.has(key)) r.fail(key, r.q(key) + " is not an OCPI value: " + codec::quoted(text));
  return fallback;
}

CdrLocation location_of(Reader &r) {
  CdrLocation l;
  l.id = r.str("id");
  l.name = r.opt_str("name");
  l.address = r.str("address");
  l.city = r.str("city");
  l.postal_code = r.opt_str("postal_code");
  l.state = r.opt_str("state");
  l.country = r.str("country");
  if (auto c = r.object_reader("coordinates", true)) {
    l.coordinates.latitude = c->str("latitude");
    l.coordinates.longitude = c->str("longitude");
  }
  l.evse_uid = r.str("evse_uid");
  l.evse_id = r.str("evse_id");
  l.connector_id = r.str("connector_id");
  l.connector_standard = location_enum(r, "connector_standard", parse_connector_standard, l.connector_standard);
  l.connector_format = location_enum(r, "connector_format", parse_connector_format, l.connector_format);
  l.connector_power_type = location_enum(r, "connector_power_type", parse_power_type, l.connector_power_type);
  return l;
}

std::vector<ChargingPeriod> periods_of(Reader &r) {
  std::vector<ChargingPeriod> out;
  const auto *list = r.array("charging_periods");
  if (!list) return out;
  if (list->empty()) r.fail("charging_periods", "'charging_periods' must hold at least one period");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto p = r.item(*list, "charging_periods", i);
    if (!p) continue;
    ChargingPeriod period;
    period.start_date_time = time_of(*p, "start_date_time");
    period.tariff_id = p->opt_str("tariff_id");
    if (const auto *dims = p->array("dimensions"))
      for (std::size_t j = 0; j < dims->size(); ++j) {
        auto d = p->item(*dims, "dimensions", j);
        if (!d) continue;
        CdrDimension dim;
        auto type = d->str("type");
        if (auto t = parse_cdr_dimension(type))
          dim.type = *t;
        else if (d->has("type"))
          d->fail("type", d->q("type") + " is not an OCPI CdrDimensionType");
        dim.volume = decimal(*d, "volume", true).value_or(core::Decimal{});
        period.dimensions.push_back(dim);
      }
    out.push_back(std::move(period));
  }
  return out;
}

std::optional<SignedData> signed_of(Reader &parent) {
  auto r = parent.object_reader("signed_data", false);
  if (!r) return std::nullopt;
  SignedData s;
  s.encoding_method = r->str("encoding_method");
  s.encoding_method_version = r->opt_int("encoding_method_version", INT32_MIN, INT32_MAX);
  s.public_key = r->opt_str("public_key");
  s.url = r->opt_str("url");
  if (const auto *list = r->array("signed_values"))
    for (std::size_t i = 0; i < list->size(); ++i)
      if (auto v = r->item(*list, "signed_values", i))
        s.signed_values.push_back({v->str("nature"), v->str("plain_data"), v->str("signed_data")});
  return s;
}

//! The tariffs, read by the tariff codec; its first problem is kept with the path in this CDR.
std::vector<Tariff> tariffs_of(Reader &r, std::optional<ServiceError> &error) {
  std::vector<Tariff> out;
  const auto *list = r.array("tariffs", false);
  if (!list) return out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    TariffDecodeOptions options;
    options.field_prefix = "tariffs[" + std::to_string(i) + "].";
    auto t = tariff_from_json((*list)[i], options);
    if (!t) {
      if (!error) error = t.error();
      continue;
    }
    out.push_back(std::move(*t));
  }
  return out;
}

} // namespace

std::string_view to_string(AuthMethod v) {
  return auth_method_names[static_cast<std::size_t>(v)];
}
std::optional<AuthMethod> parse_auth_method(std::string_view s) {
  return parse_in<AuthMethod>(auth_method_names, s);
}
std::string_view to_string(CdrTokenType v) {
  return token_type_names[static_cast<std::size_t>(v)];
}
std::optional<CdrTokenType> parse_cdr_token_type(std::string_view s) {
  return parse_in<CdrTokenType>(token_type_names, s);
}
std::string_view cdr_dimension_text(CdrDimensionType v) {
  return dimension_names[static_cast<std::size_t>(v)];
}
std::optional<CdrDimensionType> parse_cdr_dimension(std::string_view s) {
  return parse_in<CdrDimensionType>(dimension_names, s);
}

json::object price_json(const Price &p) {
  json::object o{{"excl_vat", number(p.excl_vat)}};
  if (p.incl_vat) o["incl_vat"] = number(*p.incl_vat);
  return o;
}

json::array charging_periods_json(const std::vector<ChargingPeriod> &periods) {
  json::array out;
  out.reserve(periods.size());
  for (const auto &p : periods) {
    json::array dims;
    for (const auto &d : p.dimensions)
      dims.push_back({{"type", cdr_dimension_text(d.type)}, {"volume", number(d.volume)}});
    json::object o{{"start_date_time", format_ocpi_time(p.start_date_time)}, {"dimensions", std::move(dims)}};
    if (p.tariff_id) o["tariff_id"] = *p.tariff_id;
    out.push_back(std::move(o));
  }
  return out;
}

json::object cdr_to_json(const Cdr &c) {
  json::object o;
  o["country_code"] = c.country_code;
  o["party_id"] = c.party_id;
  o["id"] = c.id;
  o["start_date_time"] = format_ocpi_time(c.start_date_time);
  o["end_date_time"] = format_ocpi_time(c.end_date_time);
  put_opt(o, "session_id", c.session_id);
  const auto &t = c.cdr_token;
  o["cdr_token"] = {{"country_code", t.country_code},
                    {"party_id", t.party_id},
                    {"uid", t.uid},
                    {"type", to_string(t.type)},
                    {"contract_id", t.contract_id}};
  o["auth_method"] = to_string(c.auth_method);
  put_opt(o, "authorization_reference", c.authorization_reference);
  o["cdr_location"] = location_json(c.cdr_location);
  put_opt(o, "meter_id", c.meter_id);
  o["currency"] = c.currency.code();
  json::array tariffs;
  for (const auto &tariff : c.tariffs)
    tariffs.push_back(tariff_to_json(tariff));
  if (!tariffs.empty()) o["tariffs"] = std::move(tariffs);
  o["charging_periods"] = charging_periods_json(c.charging_periods);
  if (c.signed_data) o["signed_data"] = signed_json(*c.signed_data);
  o["total_cost"] = price_json(c.total_cost);
  put_price(o, "total_fixed_cost", c.total_fixed_cost);
  o["total_energy"] = number(c.total_energy);
  put_price(o, "total_energy_cost", c.total_energy_cost);
  o["total_time"] = number(c.total_time);
  put_price(o, "total_time_cost", c.total_time_cost);
  if (c.total_parking_time) o["total_parking_time"] = number(*c.total_parking_time);
  put_price(o, "total_parking_cost", c.total_parking_cost);
  put_price(o, "total_reservation_cost", c.total_reservation_cost);
  put_opt(o, "remark", c.remark);
  put_opt(o, "invoice_reference_id", c.invoice_reference_id);
  if (c.credit) o["credit"] = true;
  put_opt(o, "credit_reference_id", c.credit_reference_id);
  if (c.home_charging_compensation) o["home_charging_compensation"] = *c.home_charging_compensation;
  o["last_updated"] = format_ocpi_time(c.last_updated);
  return o;
}

std::string encode_cdr(const Cdr &c) {
  return core::to_json_text(cdr_to_json(c));
}

std::string encode_cdr_tariffs(const std::vector<Tariff> &tariffs) {
  json::array a;
  for (const auto &tariff : tariffs)
    a.push_back(tariff_to_json(tariff));
  return core::to_json_text(a);
}

Result<Cdr> decode_cdr(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return ServiceError::invalid("a CDR must be a JSON object");
  std::optional<ServiceError> error;
  Reader r(v.get_object(), "", error);
  Cdr c;
  c.country_code = r.str("country_code");
  c.party_id = r.str("party_id");
  c.id = r.str("id");
  if (c.id.empty() || c.id.size() > 39) r.fail("id", "'id' must be 1 to 39 characters");
  c.start_date_time = time_of(r, "start_date_time");
  c.end_date_time = time_of(r, "end_date_time");
  c.session_id = r.opt_str("session_id");
  if (auto t = r.object_reader("cdr_token", true)) {
    c.cdr_token.country_code = t->str("country_code");
    c.cdr_token.party_id = t->str("party_id");
    c.cdr_token.uid = t->str("uid");
    c.cdr_token.type = enum_of(*t, "type", token_type_names, CdrTokenType::Rfid);
    c.cdr_token.contract_id = t->str("contract_id");
  }
  c.auth_method = enum_of(r, "auth_method", auth_method_names, AuthMethod::Whitelist);
  c.authorization_reference = r.opt_str("authorization_reference");
  if (auto l = r.object_reader("cdr_location", true)) c.cdr_location = location_of(*l);
  c.meter_id = r.opt_str("meter_id");
  auto currency = r.str("currency");
  if (auto cur = core::Currency::parse(currency))
    c.currency = *cur;
  else if (r.has("currency"))
    r.fail("currency", "'currency' must be an ISO 4217 code such as EUR");
  c.tariffs = tariffs_of(r, error);
  c.charging_periods = periods_of(r);
  c.signed_data = signed_of(r);
  c.total_cost = price_of(r, "total_cost", true).value_or(Price{});
  c.total_fixed_cost = price_of(r, "total_fixed_cost", false);
  c.total_energy = decimal(r, "total_energy", true).value_or(core::Decimal{});
  c.total_energy_cost = price_of(r, "total_energy_cost", false);
  c.total_time = decimal(r, "total_time", true).value_or(core::Decimal{});
  c.total_time_cost = price_of(r, "total_time_cost", false);
  c.total_parking_time = decimal(r, "total_parking_time", false);
  c.total_parking_cost = price_of(r, "total_parking_cost", false);
  c.total_reservation_cost = price_of(r, "total_reservation_cost", false);
  c.remark = r.opt_str("remark");
  c.invoice_reference_id = r.opt_str("invoice_reference_id");
  c.credit = r.opt_bool("credit").value_or(false);
  c.credit_reference_id = r.opt_str("credit_reference_id");
  if (c.credit && !c.credit_reference_id)
    r.fail("credit_reference_id", "'credit_reference_id' is required for a credit CDR");
  c.home_charging_compensation = r.opt_bool("home_charging_compensation");
  c.last_updated = time_of(r, "last_updated");
  if (error) return *error;
  return c;
}

std::optional<SignedData> signed_data_of(const std::vector<MeterSample> &samples) {
  std::optional<SignedData> out;
  for (const auto &s : samples) {
    std::string nature = "Intermediate";
    if (s.context == "Transaction.Begin") nature = "Start";
    if (s.context == "Transaction.End") nature = "End";
    if (s.signed_data) {
      // OCPP 2.x SignedMeterValueType, kept as the station sent it.
      boost::system::error_code ec;
      auto v = json::parse(*s.signed_data, ec);
      if (ec || !v.is_object()) continue;
      const auto &o = v.get_object();
      const auto *data = o.if_contains("signedMeterData");
      if (!data || !data->is_string()) continue;
      if (!out) {
        out.emplace();
        const auto *method = o.if_contains("encodingMethod");
        out->encoding_method = method && method->is_string() ? std::string(method->get_string()) : "unknown";
        const auto *key = o.if_contains("publicKey");
        if (key && key->is_string() && !key->get_string().empty()) out->public_key = std::string(key->get_string());
      }
      out->signed_values.push_back({nature, s.value, std::string(data->get_string())});
    } else if (s.format == "SignedData") {
      // OCPP 1.6: the value itself is the signed blob (OCMF and others name their encoding in it).
      if (!out) {
        out.emplace();
        out->encoding_method = s.value.starts_with("OCMF|") ? "OCMF" : "unknown";
      }
      out->signed_values.push_back({nature, "", s.value});
    }
  }
  return out;
}

} // namespace gridlane::domain
