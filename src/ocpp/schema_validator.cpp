#include "gridlane/ocpp/schema_validator.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <deque>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "gridlane/core/time.hpp"

namespace gridlane::ocpp {
namespace json = boost::json;

namespace {

enum TypeBit : unsigned {
  T_STRING = 1,
  T_INTEGER = 2,
  T_NUMBER = 4,
  T_BOOLEAN = 8,
  T_OBJECT = 16,
  T_ARRAY = 32,
  T_NULL = 64,
};

struct Node {
  unsigned types = 0; // 0: any type
  std::vector<std::string> enum_values;
  bool has_enum = false;
  std::optional<std::size_t> min_length, max_length, min_items, max_items;
  std::optional<double> minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of;
  enum class Format { None, DateTime, Uri } format = Format::None;
  std::vector<std::pair<std::string, const Node *>> properties;
  std::vector<std::string> required;
  bool additional_allowed = true;
  const Node *items = nullptr;
};

unsigned type_bit(std::string_view t) {
  if (t == "string") return T_STRING;
  if (t == "integer") return T_INTEGER;
  if (t == "number") return T_NUMBER;
  if (t == "boolean") return T_BOOLEAN;
  if (t == "object") return T_OBJECT;
  if (t == "array") return T_ARRAY;
  if (t == "null") return T_NULL;
  throw std::invalid_argument("schema: unknown type " + std::string(t));
}

std::string describe_types(unsigned types) {
  static constexpr std::pair<unsigned, const char *> names[] = {
      {T_STRING, "string"}, {T_INTEGER, "integer"}, {T_NUMBER, "number"}, {T_BOOLEAN, "boolean"},
      {T_OBJECT, "object"}, {T_ARRAY, "array"},     {T_NULL, "null"}};
  std::string out;
  for (auto [bit, name] : names) {
    if (types & bit) out += (out.empty() ? "" : " or ") + std::string(name);
  }
  return out;
}

bool is_integral(const json::value &v) {
  if (v.is_int64() || v.is_uint64()) return true;
  if (v.is_double()) {
    double d = v.get_double();
    return std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.2e18;
  }
  return false;
}

// RFC 3986 scheme ":" ...: enough to tell a URI from free text, which is what OCPP relies on.
bool looks_like_uri(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20) return false;
  }
  return true;
}

class Compiled final : public CompiledSchema {
public:
  explicit Compiled(const json::value &root) : root_(root) {
    if (!root.is_object()) throw std::invalid_argument("schema: root must be an object");
    top_ = build(root.as_object());
  }

  std::optional<ValidationError> validate(const json::value &value) const override {
    std::string path;
    return check(*top_, value, path);
  }

  std::optional<ValidationError> validate(json::value &value, const Leniency &leniency,
                                          std::vector<Relaxation> &used) const override {
    std::string path;
    relax(*top_, value, path, leniency, used);
    return check(*top_, value, path);
  }

private:
  const Node *definition(std::string_view ref) {
    constexpr std::string_view prefix = "#/definitions/";
    if (ref.substr(0, prefix.size()) != prefix) throw std::invalid_argument("schema: unsupported $ref");
    std::string name{ref.substr(prefix.size())};
    if (auto it = defs_.find(name); it != defs_.end()) return it->second;
    const auto *defs = root_.as_object().if_contains("definitions");
    const json::value *def = defs && defs->is_object() ? defs->as_object().if_contains(name) : nullptr;
    if (!def || !def->is_object()) throw std::invalid_argument("schema: missing definition " + name);
    Node &node = nodes_.emplace_back();
    defs_.emplace(name, &node); // registered before filling: definitions may refer to themselves
    fill(node, def->as_object());
    return &node;
  }

  const Node *build(const json::object &s) {
    if (const auto *ref = s.if_contains("$ref")) return definition(ref->as_string());
    Node &node = nodes_.emplace_back();
    fill(node, s);
    return &node;
  }

  static std::optional<double> number(const json::object &s, std::string_view key) {
    const auto *v = s.if_contains(key);
    if (!v || !v->is_number()) return std::nullopt;
    return v->to_number<double>();
  }

  void fill(Node &n, const json::object &s) {
    if (const auto *t = s.if_contains("type")) {
      if (t->is_string()) {
        n.types = type_bit(t->as_string());
      } else if (t->is_array()) {
        for (const auto &e : t->as_array())
          n.types |= type_bit(e.as_string());
      }
    }
    if (const auto *e = s.if_contains("enum")) {
      n.has_enum = true;
      for (const auto &v : e->as_array()) {
        if (!v.is_string()) throw std::invalid_argument("schema: only string enums are supported");
        n.enum_values.emplace_back(v.as_string());
      }
    }
    if (auto v = number(s, "minLength")) n.min_length = static_cast<std::size_t>(*v);
    if (auto v = number(s, "maxLength")) n.max_length = static_cast<std::size_t>(*v);
    if (auto v = number(s, "minItems")) n.min_items = static_cast<std::size_t>(*v);
    if (auto v = number(s, "maxItems")) n.max_items = static_cast<std::size_t>(*v);
    n.minimum = number(s, "minimum");
    n.maximum = number(s, "maximum");
    n.multiple_of = number(s, "multipleOf");
    // draft-04 spells exclusive bounds as booleans beside minimum/maximum; draft-06 as numbers.
    if (const auto *x = s.if_contains("exclusiveMinimum")) {
      if (x->is_bool() && x->get_bool())
        n.exclusive_minimum = std::exchange(n.minimum, std::nullopt);
      else if (x->is_number())
        n.exclusive_minimum = x->to_number<double>();
    }
    if (const auto *x = s.if_contains("exclusiveMaximum")) {
      if (x->is_bool() && x->get_bool())
        n.exclusive_maximum = std::exchange(n.maximum, std::nullopt);
      else if (x->is_number())
        n.exclusive_maximum = x->to_number<double>();
    }
    if (const auto *f = s.if_contains("format"); f && f->is_string()) {
      if (f->as_string() == "date-time")
        n.format = Node::Format::DateTime;
      else if (f->as_string() == "uri")
        n.format = Node::Format::Uri;
    }
    if (const auto *p = s.if_contains("properties"); p && p->is_object()) {
      for (const auto &[key, sub] : p->as_object()) {
        n.properties.emplace_back(std::string(key), build(sub.as_object()));
      }
    }
    if (const auto *r = s.if_contains("required"); r && r->is_array()) {
      for (const auto &key : r->as_array())
        n.required.emplace_back(key.as_string());
    }
    if (const auto *a = s.if_contains("additionalProperties"); a && a->is_bool()) {
      n.additional_allowed = a->get_bool();
    }
    if (const auto *i = s.if_contains("items"); i && i->is_object()) n.items = build(i->as_object());
  }

  // Rewrites what the leniency accepts into what the schema demands, so that validation and
  // decoding then see a conforming value; every rewrite is reported.
  void relax(const Node &n, json::value &v, std::string &path, const Leniency &leniency,
             std::vector<Relaxation> &used) const {
    if (v.is_string()) {
      if (!leniency.timestamps_without_offset || n.format != Node::Format::DateTime) return;
      auto &s = v.get_string();
      if (core::parse_iso8601(s) || !core::parse_iso8601(s, core::MissingOffset::ReadAsUtc)) return;
      used.push_back(Relaxation{Relaxation::Kind::TimestampWithoutOffset, path.empty() ? "/" : path, std::string(s)});
      s.append("Z");
      return;
    }
    if (v.is_array() && n.items) {
      auto &a = v.get_array();
      for (std::size_t i = 0; i < a.size(); ++i) {
        auto mark = path.size();
        path += '/';
        path += std::to_string(i);
        relax(*n.items, a[i], path, leniency, used);
        path.resize(mark);
      }
      return;
    }
    if (!v.is_object()) return;
    auto &o = v.get_object();
    auto known = [&](std::string_view key) -> const Node * {
      for (const auto &[pname, pnode] : n.properties) {
        if (pname == key) return pnode;
      }
      return nullptr;
    };
    if (path.empty() && leniency.unknown_top_level_properties && !n.additional_allowed) {
      for (auto it = o.begin(); it != o.end();) {
        if (known(it->key())) {
          ++it;
          continue;
        }
        std::string where(1, '/'); // (not "/" + key: GCC 12 warns about that wrongly)
        where.append(it->key().data(), it->key().size());
        used.push_back(Relaxation{Relaxation::Kind::UnknownProperty, std::move(where), json::serialize(it->value())});
        it = o.erase(it);
      }
    }
    for (auto &[key, sub] : o) {
      const Node *child = known(key);
      if (!child) continue;
      auto mark = path.size();
      path += '/';
      path.append(key.data(), key.size());
      relax(*child, sub, path, leniency, used);
      path.resize(mark);
    }
  }

  static std::optional<ValidationError> fail(ValidationError::Kind kind, const std::string &path, std::string message) {
    return ValidationError{kind, path.empty() ? "/" : path, std::move(message)};
  }

  static std::string where(const std::string &path) { return path.empty() ? "payload" : "'" + path + "'"; }

  std::optional<ValidationError> check(const Node &n, const json::value &v, std::string &path) const {
    using K = ValidationError::Kind;
    if (n.types) {
      bool ok = ((n.types & T_STRING) && v.is_string()) || ((n.types & T_INTEGER) && is_integral(v)) ||
                ((n.types & T_NUMBER) && v.is_number()) || ((n.types & T_BOOLEAN) && v.is_bool()) ||
                ((n.types & T_OBJECT) && v.is_object()) || ((n.types & T_ARRAY) && v.is_array()) ||
                ((n.types & T_NULL) && v.is_null());
      if (!ok) return fail(K::Type, path, where(path) + " must be " + describe_types(n.types));
    }
    switch (v.kind()) {
    case json::kind::string: {
      std::string_view s = v.get_string();
      if (n.has_enum) {
        bool found = false;
        for (const auto &e : n.enum_values)
          found = found || e == s;
        if (!found) return fail(K::Enum, path, where(path) + " has a value outside its enumeration");
      }
      if (n.max_length || n.min_length) {
        // JSON Schema counts characters (code points), not bytes.
        std::size_t chars = 0;
        for (unsigned char c : s)
          chars += (c & 0xC0) != 0x80;
        if (n.max_length && chars > *n.max_length)
          return fail(K::Length, path, where(path) + " is longer than " + std::to_string(*n.max_length));
        if (n.min_length && chars < *n.min_length)
          return fail(K::Length, path, where(path) + " is shorter than " + std::to_string(*n.min_length));
      }
      if (n.format == Node::Format::DateTime && !core::parse_iso8601(s))
        return fail(K::Format, path, where(path) + " is not an RFC 3339 date-time");
      if (n.format == Node::Format::Uri && !looks_like_uri(s))
        return fail(K::Format, path, where(path) + " is not a URI");
      break;
    }
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: {
      // Boost.JSON keeps an integer above INT64_MAX as uint64; the generated types hold int64.
      if ((n.types & T_INTEGER) && v.is_uint64())
        return fail(K::Range, path, where(path) + " is beyond the range of a 64-bit integer");
      double d = v.to_number<double>();
      if ((n.minimum && d < *n.minimum) || (n.exclusive_minimum && d <= *n.exclusive_minimum) ||
          (n.maximum && d > *n.maximum) || (n.exclusive_maximum && d >= *n.exclusive_maximum))
        return fail(K::Range, path, where(path) + " is out of range");
      if (n.multiple_of && *n.multiple_of > 0) {
        double q = d / *n.multiple_of;
        if (std::fabs(q - std::round(q)) > 1e-6)
          return fail(K::Range, path,
                      where(path) + " is not a multiple of " + json::serialize(json::value(*n.multiple_of)));
      }
      break;
    }
    case json::kind::object: {
      const auto &o = v.get_object();
      for (const auto &name : n.required) {
        if (!o.contains(name))
          return fail(K::Required, path, "required property '" + name + "' is missing at " + where(path));
      }
      for (const auto &[key, sub] : o) {
        const Node *child = nullptr;
        for (const auto &[pname, pnode] : n.properties) {
          if (pname == key) {
            child = pnode;
            break;
          }
        }
        if (!child) {
          if (!n.additional_allowed)
            return fail(K::Additional, path, "property '" + std::string(key) + "' is not allowed at " + where(path));
          continue;
        }
        auto mark = path.size();
        path += '/';
        path.append(key.data(), key.size());
        if (auto e = check(*child, sub, path)) return e;
        path.resize(mark);
      }
      break;
    }
    case json::kind::array: {
      const auto &a = v.get_array();
      if (n.min_items && a.size() < *n.min_items)
        return fail(K::Cardinality, path, where(path) + " needs at least " + std::to_string(*n.min_items) + " items");
      if (n.max_items && a.size() > *n.max_items)
        return fail(K::Cardinality, path, where(path) + " allows at most " + std::to_string(*n.max_items) + " items");
      if (n.items) {
        for (std::size_t i = 0; i < a.size(); ++i) {
          auto mark = path.size();
          path += '/';
          path += std::to_string(i);
          if (auto e = check(*n.items, a[i], path)) return e;
          path.resize(mark);
        }
      }
      break;
    }
    default: break;
    }
    return std::nullopt;
  }

  json::value root_;
  std::deque<Node> nodes_;
  std::unordered_map<std::string, const Node *> defs_;
  const Node *top_ = nullptr;
};

} // namespace

std::shared_ptr<const CompiledSchema> CompiledSchema::compile(const json::value &schema) {
  return std::make_shared<Compiled>(schema);
}

} // namespace gridlane::ocpp
