#include "gridlane/core/json_text.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>

namespace gridlane::core {
namespace json = boost::json;

namespace {

void append_string(std::string &out, json::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        out += "\\u00";
        out.push_back(hex[(c >> 4) & 0xF]);
        out.push_back(hex[c & 0xF]);
      } else {
        out.push_back(c);
      }
    }
  }
  out.push_back('"');
}

template <class Int> void append_int(std::string &out, Int i) {
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, i).ptr;
  out.append(buf, end);
}

void append_value(std::string &out, const json::value &v);

void append_object(std::string &out, const json::object &o) {
  out.push_back('{');
  bool first = true;
  for (const auto &kv : o) {
    if (!first) out.push_back(',');
    first = false;
    append_string(out, kv.key());
    out.push_back(':');
    append_value(out, kv.value());
  }
  out.push_back('}');
}

void append_array(std::string &out, const json::array &a) {
  out.push_back('[');
  bool first = true;
  for (const auto &item : a) {
    if (!first) out.push_back(',');
    first = false;
    append_value(out, item);
  }
  out.push_back(']');
}

void append_value(std::string &out, const json::value &v) {
  switch (v.kind()) {
  case json::kind::null: out += "null"; break;
  case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
  case json::kind::int64: append_int(out, v.get_int64()); break;
  case json::kind::uint64: append_int(out, v.get_uint64()); break;
  case json::kind::double_: append_decimal(out, v.get_double()); break;
  case json::kind::string: append_string(out, v.get_string()); break;
  case json::kind::array: append_array(out, v.get_array()); break;
  case json::kind::object: append_object(out, v.get_object()); break;
  }
}

} // namespace

void append_decimal(std::string &out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  if (d == 0) d = 0; // -0 as 0
  // Fixed notation with the fewest digits that read back exactly: 16.5, 16, 0.1, 0.0000001.
  // From 1e21 up, as JavaScript writes numbers, the exponent form (1.7976931348623157e+308): no
  // OCPP or API field carries such a value, and a 309-digit integer does not read back in every
  // parser (Boost.JSON 1.81 reads the largest double written out in full as infinity). The
  // longest fixed text is a subnormal (about 330 characters).
  char buf[400];
  const auto format = std::fabs(d) < 1e21 ? std::chars_format::fixed : std::chars_format::scientific;
  auto end = std::to_chars(buf, buf + sizeof buf, d, format).ptr;
  out.append(buf, end);
}

std::string to_json_text(const json::value &v) {
  std::string out;
  out.reserve(128);
  append_value(out, v);
  return out;
}

std::string to_json_text(const json::object &o) {
  std::string out;
  out.reserve(128);
  append_object(out, o);
  return out;
}

std::string to_json_text(const json::array &a) {
  std::string out;
  out.reserve(128);
  append_array(out, a);
  return out;
}

} // namespace gridlane::core
