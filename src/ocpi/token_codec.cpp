// The Token module's objects (mod_tokens.asciidoc "Object description") on the wire. Strings
// are checked as types.asciidoc defines them: CiString is printable ASCII, string printable
// UTF-8, each with its maximum length (in characters).
#include "gridlane/ocpi/token_codec.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <utility>

#include "gridlane/domain/roaming_names.hpp"
#include "gridlane/ocpi/wire.hpp"

namespace gridlane::ocpi {
using domain::AllowedType;
using domain::OcpiProfileType;
using domain::OcpiTokenType;
using domain::Result;
using domain::RoamingToken;
using domain::ServiceError;
using domain::WhitelistType;
namespace json = boost::json;

namespace {

template <class E, std::size_t N> using Names = domain::NameTable<E, N>;
using domain::name_of;
using domain::value_of;
constexpr const auto &token_types = domain::ocpi_token_types;
constexpr const auto &whitelists = domain::ocpi_whitelists;
constexpr const auto &profile_types = domain::ocpi_profile_types;
constexpr const auto &allowed_types = domain::ocpi_allowed_types;

bool printable_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

//! Code points of valid UTF-8 without control characters (C0, DEL, C1); nullopt when it is not.
std::optional<std::size_t> printable_utf8_length(std::string_view s) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return std::nullopt;
    } else if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
    } else {
      return std::nullopt; // a continuation byte first, an overlong lead or beyond U+10FFFF
    }
    if (s.size() - i <= extra) return std::nullopt;
    for (std::size_t k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return std::nullopt;
    if (c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0) return std::nullopt; // U+0080..U+009F
    i += extra + 1;
    ++count;
  }
  return count;
}

enum class Text { CiString, String };

//! Reads the fields of one JSON object, each against its row of a field table; the first
//! refusal is kept with its field path.
class Fields {
public:
  Fields(const json::object &o, std::string prefix) : o_(o), prefix_(std::move(prefix)) {}

  bool has(std::string_view name) const { return o_.if_contains(name) != nullptr; }
  bool is_null(std::string_view name) const {
    const auto *v = o_.if_contains(name);
    return v && v->is_null();
  }
  std::string path(std::string_view name) const { return prefix_ + std::string(name); }

  //! A string field; `required` refuses one that is absent or null; `min` its minimum length.
  std::optional<std::string> text(std::string_view name, Text kind, std::size_t max, bool required,
                                  std::size_t min = 0) {
    const auto *v = o_.if_contains(name);
    if (!v || v->is_null()) {
      if (required) fail(name, "is required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      fail(name, "must be a string");
      return std::nullopt;
    }
    std::string s(v->get_string());
    std::optional<std::size_t> length;
    if (kind == Text::CiString)
      length = printable_ascii(s) ? std::optional{s.size()} : std::nullopt;
    else
      length = printable_utf8_length(s);
    if (!length) {
      fail(name, kind == Text::CiString ? "must be printable ASCII" : "must be printable UTF-8");
      return std::nullopt;
    }
    if (*length > max) {
      fail(name, "is longer than " + std::to_string(max) + " characters");
      return std::nullopt;
    }
    if (*length < min) {
      fail(name, min == max ? "must be " + std::to_string(min) + " characters" : "must not be empty");
      return std::nullopt;
    }
    return s;
  }

  template <class E, std::size_t N>
  std::optional<E> choice(std::string_view name, const Names<E, N> &names, bool required) {
    const auto *v = o_.if_contains(name);
    if (!v || v->is_null()) {
      if (required) fail(name, "is required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      fail(name, "must be a string");
      return std::nullopt;
    }
    auto e = value_of(names, std::string_view(v->get_string()));
    if (!e) fail(name, "is not one of its enum's values");
    return e;
  }

  std::optional<bool> boolean(std::string_view name, bool required) {
    const auto *v = o_.if_contains(name);
    if (!v || v->is_null()) {
      if (required) fail(name, "is required");
      return std::nullopt;
    }
    if (!v->is_bool()) {
      fail(name, "must be true or false");
      return std::nullopt;
    }
    return v->get_bool();
  }

  std::optional<core::Timestamp> datetime(std::string_view name, bool required) {
    auto s = text(name, Text::String, 64, required);
    if (!s) return std::nullopt;
    auto t = parse_datetime(*s);
    if (!t) fail(name, "must be an RFC 3339 DateTime (\"2019-06-19T02:11:11Z\")");
    return t;
  }

  const json::value *value(std::string_view name) const { return o_.if_contains(name); }

  void fail(std::string_view name, std::string_view what) { fail_path(path(name), what); }
  void fail_path(const std::string &field, std::string_view what) {
    if (!error_) error_ = ServiceError::invalid(field + " " + std::string(what), field);
  }
  void merge(const std::optional<ServiceError> &e) {
    if (!error_ && e) error_ = e;
  }
  const std::optional<ServiceError> &error() const { return error_; }

private:
  const json::object &o_;
  std::string prefix_;
  std::optional<ServiceError> error_;
};

bool letters(std::string_view s) {
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  return true;
}
bool alphanumeric(std::string_view s) {
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

// Field readers shared by the whole object and the PATCH: each reads one field when present.
void read_country(Fields &f, std::optional<std::string> &out, bool required) {
  out = f.text("country_code", Text::CiString, 2, required, 2);
  if (out && !letters(*out)) f.fail("country_code", "must be an ISO 3166-1 alpha-2 code");
}
void read_party(Fields &f, std::optional<std::string> &out, bool required) {
  out = f.text("party_id", Text::CiString, 3, required, 3);
  if (out && !alphanumeric(*out)) f.fail("party_id", "must be 3 letters or digits");
}
void read_language(Fields &f, std::optional<std::string> &out) {
  out = f.text("language", Text::String, 2, false, 2);
  if (out && !letters(*out)) f.fail("language", "must be an ISO 639-1 code");
}
std::optional<domain::EnergyContract> read_energy_contract(Fields &f) {
  const auto *v = f.value("energy_contract");
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_object()) {
    f.fail("energy_contract", "must be an object");
    return std::nullopt;
  }
  Fields c(v->get_object(), f.path("energy_contract") + ".");
  domain::EnergyContract out;
  auto supplier = c.text("supplier_name", Text::String, 64, true);
  auto contract = c.text("contract_id", Text::String, 64, false);
  f.merge(c.error());
  if (!supplier) return std::nullopt;
  out.supplier_name = *supplier;
  out.contract_id = contract;
  return out;
}

Result<RoamingToken> token_from(const json::value &json, const std::string &prefix) {
  if (!json.is_object())
    return ServiceError::invalid("the Token must be a JSON object", prefix.empty() ? "body" : prefix);
  Fields f(json.get_object(), prefix);
  RoamingToken t;
  std::optional<std::string> cc, pid;
  read_country(f, cc, true);
  read_party(f, pid, true);
  auto uid = f.text("uid", Text::CiString, 36, true, 1);
  auto type = f.choice("type", token_types, true);
  auto contract = f.text("contract_id", Text::CiString, 36, true, 1);
  t.visual_number = f.text("visual_number", Text::String, 64, false);
  auto issuer = f.text("issuer", Text::String, 64, true);
  t.group_id = f.text("group_id", Text::CiString, 36, false, 1);
  auto valid = f.boolean("valid", true);
  auto whitelist = f.choice("whitelist", whitelists, true);
  read_language(f, t.language);
  t.default_profile_type = f.choice("default_profile_type", profile_types, false);
  t.energy_contract = read_energy_contract(f);
  auto updated = f.datetime("last_updated", true);
  if (f.error()) return *f.error();
  t.party = {*cc, *pid};
  t.uid = *uid;
  t.type = *type;
  t.contract_id = *contract;
  t.issuer = *issuer;
  t.valid = *valid;
  t.whitelist = *whitelist;
  t.last_updated = *updated;
  return t;
}

} // namespace

bool ci_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

Result<RoamingToken> token_from_json(const json::value &json) {
  return token_from(json, "");
}

Result<RoamingToken> patch_token(RoamingToken current, const json::value &patch) {
  if (!patch.is_object()) return ServiceError::invalid("the PATCH body must be a JSON object", "body");
  Fields f(patch.get_object(), "");
  // The key identifies the object: a PATCH may repeat it, not change it.
  std::optional<std::string> cc, pid;
  read_country(f, cc, false);
  read_party(f, pid, false);
  if (cc && !ci_equal(*cc, current.party.country_code)) f.fail("country_code", "cannot be changed by a PATCH");
  if (pid && !ci_equal(*pid, current.party.party_id)) f.fail("party_id", "cannot be changed by a PATCH");
  if (auto uid = f.text("uid", Text::CiString, 36, false, 1); uid && !ci_equal(*uid, current.uid))
    f.fail("uid", "cannot be changed by a PATCH");
  if (auto type = f.choice("type", token_types, false); type && *type != current.type)
    f.fail("type", "cannot be changed by a PATCH");
  if (f.has("contract_id"))
    if (auto v = f.text("contract_id", Text::CiString, 36, true, 1)) current.contract_id = *v;
  if (f.has("visual_number")) current.visual_number = f.text("visual_number", Text::String, 64, false);
  if (f.has("issuer"))
    if (auto v = f.text("issuer", Text::String, 64, true)) current.issuer = *v;
  if (f.has("group_id")) current.group_id = f.text("group_id", Text::CiString, 36, false, 1);
  if (f.has("valid"))
    if (auto v = f.boolean("valid", true)) current.valid = *v;
  if (f.has("whitelist"))
    if (auto v = f.choice("whitelist", whitelists, true)) current.whitelist = *v;
  if (f.has("language")) read_language(f, current.language);
  if (f.has("default_profile_type"))
    current.default_profile_type = f.choice("default_profile_type", profile_types, false);
  if (f.has("energy_contract")) current.energy_contract = read_energy_contract(f);
  auto updated = f.datetime("last_updated", true);
  if (f.error()) return *f.error();
  current.last_updated = *updated;
  return current;
}

json::object token_to_json(const RoamingToken &t) {
  json::object o;
  o["country_code"] = t.party.country_code;
  o["party_id"] = t.party.party_id;
  o["uid"] = t.uid;
  o["type"] = name_of(token_types, t.type);
  o["contract_id"] = t.contract_id;
  if (t.visual_number) o["visual_number"] = *t.visual_number;
  o["issuer"] = t.issuer;
  if (t.group_id) o["group_id"] = *t.group_id;
  o["valid"] = t.valid;
  o["whitelist"] = name_of(whitelists, t.whitelist);
  if (t.language) o["language"] = *t.language;
  if (t.default_profile_type) o["default_profile_type"] = name_of(profile_types, *t.default_profile_type);
  if (t.energy_contract) {
    json::object c;
    c["supplier_name"] = t.energy_contract->supplier_name;
    if (t.energy_contract->contract_id) c["contract_id"] = *t.energy_contract->contract_id;
    o["energy_contract"] = std::move(c);
  }
  o["last_updated"] = format_datetime(t.last_updated);
  return o;
}

json::object location_references_to_json(const services::LocationRef &l) {
  json::object o;
  o["location_id"] = l.location_id;
  // evse_uids has cardinality *: an empty list is left out (empty optionals are omitted).
  if (!l.evse_uids.empty()) {
    json::array uids;
    for (const auto &u : l.evse_uids)
      uids.emplace_back(u);
    o["evse_uids"] = std::move(uids);
  }
  return o;
}

Result<AuthorizationInfo> authorization_info_from_json(const json::value &json) {
  if (!json.is_object()) return ServiceError::invalid("the AuthorizationInfo must be a JSON object", "data");
  Fields f(json.get_object(), "data.");
  AuthorizationInfo out;
  auto allowed = f.choice("allowed", allowed_types, true);
  out.authorization_reference = f.text("authorization_reference", Text::CiString, 36, false);
  if (const auto *loc = f.value("location"); loc && !loc->is_null()) {
    if (!loc->is_object()) {
      f.fail("location", "must be an object");
    } else {
      Fields l(loc->get_object(), "data.location.");
      services::LocationRef ref;
      if (auto id = l.text("location_id", Text::CiString, 36, true, 1)) ref.location_id = *id;
      if (const auto *uids = l.value("evse_uids"); uids && !uids->is_null()) {
        if (!uids->is_array()) {
          l.fail("evse_uids", "must be an array");
        } else {
          for (const auto &u : uids->get_array()) {
            if (!u.is_string() || !printable_ascii(u.get_string()) || u.get_string().empty() ||
                u.get_string().size() > 36) {
              l.fail("evse_uids", "must hold CiString(36) values");
              break;
            }
            ref.evse_uids.emplace_back(u.get_string());
          }
        }
      }
      f.merge(l.error());
      out.location = std::move(ref);
    }
  }
  const auto *token = f.value("token");
  if (!token || token->is_null()) f.fail("token", "is required");
  if (f.error()) return *f.error();
  auto t = token_from(*token, "data.token.");
  if (!t) return t.error();
  out.allowed = *allowed;
  out.token = std::move(*t);
  return out;
}

std::string_view token_type_name(OcpiTokenType t) {
  return name_of(token_types, t);
}
std::optional<OcpiTokenType> token_type_from_name(std::string_view name) {
  return value_of(token_types, name);
}
std::string_view whitelist_name(WhitelistType w) {
  return name_of(whitelists, w);
}
std::optional<WhitelistType> whitelist_from_name(std::string_view name) {
  return value_of(whitelists, name);
}
std::string_view allowed_type_name(AllowedType a) {
  return name_of(allowed_types, a);
}
std::optional<AllowedType> allowed_type_from_name(std::string_view name) {
  return value_of(allowed_types, name);
}

} // namespace gridlane::ocpi
