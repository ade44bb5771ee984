#pragma once
// The OCPI 2.2.1 field tables (tests/integration/ocpi_spec_tables.json, generated from the
// specification's asciidoc by ocpi_spec_tables.gen.js; the test eMSP checks Gridlane's requests
// with the same file): a checker of an OCPI object against its table, for unit tests of the
// codecs. Required fields, cardinality, types, string lengths, enum values, no unknown field.
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 at -O1 with the sanitizers (the Asan build) reports -Wmaybe-uninitialized inside
// libstdc++'s <regex> (std::function in its NFA states): a false positive in the library.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#ifndef GRIDLANE_UNIT_TEST_SOURCES
#define GRIDLANE_UNIT_TEST_SOURCES "tests/unit"
#endif

namespace gridlane::test {

class OcpiSpecTables {
public:
  //! Reads the tables file; `loaded()` says whether it was found.
  explicit OcpiSpecTables(const std::string &file = std::string(GRIDLANE_UNIT_TEST_SOURCES) +
                                                    "/../integration/ocpi_spec_tables.json") {
    std::ifstream in(file);
    if (!in) return;
    std::stringstream s;
    s << in.rdbuf();
    boost::system::error_code ec;
    auto v = boost::json::parse(s.str(), ec);
    if (ec || !v.is_object()) return;
    for (const auto &kv : v.at("objects").as_object())
      objects_[lower(kv.key())] = kv.value().at("fields").as_object();
    for (const auto &kv : v.at("enums").as_object()) {
      std::vector<std::string> values;
      for (const auto &x : kv.value().as_array())
        values.emplace_back(x.as_string());
      enums_[lower(kv.key())] = std::move(values);
    }
  }

  bool loaded() const { return !objects_.empty(); }

  //! Every problem of `value` as the object `type` ("Location", "CDR"), one "path: problem" a
  //! line; empty when it conforms.
  std::vector<std::string> check(const std::string &type, const boost::json::value &value) const {
    std::vector<std::string> out;
    check_object(type, value, "", out);
    return out;
  }

private:
  static std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
  }

  static std::size_t utf8_length(const std::string &s) {
    return std::size_t(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  }

  void check_object(const std::string &type, const boost::json::value &value, const std::string &path,
                    std::vector<std::string> &out) const {
    auto it = objects_.find(lower(type));
    if (it == objects_.end()) {
      out.push_back(path + ": no table for " + type);
      return;
    }
    if (!value.is_object()) {
      out.push_back((path.empty() ? "(root)" : path) + ": expected a " + type + " object");
      return;
    }
    const auto &fields = it->second;
    const auto prefix = path.empty() ? std::string() : path + ".";
    for (const auto &kv : value.as_object())
      if (!fields.contains(kv.key()))
        out.push_back(prefix + std::string(kv.key()) + ": " + type + " has no such field");
    for (const auto &f : fields) {
      const auto name = prefix + std::string(f.key());
      const auto &spec = f.value().as_object();
      const std::string field_type(spec.at("type").as_string());
      const std::string card(spec.at("card").as_string());
      const auto length = spec.contains("length") ? std::size_t(spec.at("length").as_int64()) : std::size_t(0);
      const auto *v = value.as_object().if_contains(f.key());
      if (v == nullptr || v->is_null()) {
        if (card == "1" || card == "+") out.push_back(name + ": required");
        continue;
      }
      if (card == "*" || card == "+") {
        if (!v->is_array()) {
          out.push_back(name + ": expected a list");
          continue;
        }
        if (card == "+" && v->as_array().empty()) out.push_back(name + ": needs at least one element");
        for (std::size_t i = 0; i < v->as_array().size(); ++i)
          check_value(field_type, length, v->as_array()[i], name + "[" + std::to_string(i) + "]", out);
      } else {
        check_value(field_type, length, *v, name, out);
      }
    }
  }

  void check_value(const std::string &type, std::size_t length, const boost::json::value &v, const std::string &path,
                   std::vector<std::string> &out) const {
    static const std::regex datetime(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z?$)");
    if (type == "string" || type == "CiString" || type == "URL") {
      if (!v.is_string()) {
        out.push_back(path + ": expected " + type);
        return;
      }
      const std::string s(v.as_string());
      const auto max = type == "URL" ? std::size_t(255) : length;
      if (max != 0 && utf8_length(s) > max) out.push_back(path + ": longer than " + std::to_string(max));
      return;
    }
    if (type == "DateTime") {
      if (!v.is_string() || v.as_string().size() > 25 || !std::regex_match(std::string(v.as_string()), datetime))
        out.push_back(path + ": not an OCPI DateTime");
      return;
    }
    if (type == "boolean") {
      if (!v.is_bool()) out.push_back(path + ": expected boolean");
      return;
    }
    if (type == "int") {
      if (!v.is_int64() && !v.is_uint64()) out.push_back(path + ": expected int");
      return;
    }
    if (type == "number") {
      if (!v.is_number()) out.push_back(path + ": expected number");
      return;
    }
    if (auto e = enums_.find(lower(type)); e != enums_.end()) {
      if (!v.is_string() ||
          std::find(e->second.begin(), e->second.end(), std::string(v.as_string())) == e->second.end())
        out.push_back(path + ": not a " + type + " value");
      return;
    }
    check_object(type, v, path, out);
  }

  std::map<std::string, boost::json::object> objects_;
  std::map<std::string, std::vector<std::string>> enums_;
};

} // namespace gridlane::test
