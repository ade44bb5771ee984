#pragma once
//! Encode/decode of the primitive types the generated OCPP codecs are built from.
//! Decoding assumes a value already validated against its schema.
#include <boost/json.hpp>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/time.hpp"

namespace gridlane::ocpp::codec {

inline void decode(const boost::json::value &v, std::string &out) {
  out = v.as_string();
}
//! Total, never throws: an integer beyond int64 (18446744073709551615 passes the schema's
//! "integer") saturates, so the adapters' range checks refuse it (docs/ocpp.md).
inline void decode(const boost::json::value &v, std::int64_t &out) {
  if (v.is_int64())
    out = v.get_int64();
  else if (v.is_uint64())
    out = std::numeric_limits<std::int64_t>::max();
  else if (v.is_double()) {
    double d = v.get_double();
    out = !(d == d)      ? 0
          : d >= 9.2e18  ? std::numeric_limits<std::int64_t>::max()
          : d <= -9.2e18 ? std::numeric_limits<std::int64_t>::min()
                         : static_cast<std::int64_t>(d);
  } else
    out = 0;
}
inline void decode(const boost::json::value &v, double &out) {
  out = v.to_number<double>();
}
inline void decode(const boost::json::value &v, bool &out) {
  out = v.as_bool();
}
inline void decode(const boost::json::value &v, boost::json::object &out) {
  out = v.as_object();
}
inline void decode(const boost::json::value &v, boost::json::value &out) {
  out = v;
}
inline void decode(const boost::json::value &v, core::Timestamp &out) {
  out = core::parse_iso8601(v.as_string()).value_or(core::Timestamp{});
}
template <class T> void decode(const boost::json::value &v, std::vector<T> &out) {
  const auto &a = v.as_array();
  out.clear();
  out.reserve(a.size());
  for (const auto &item : a)
    decode(item, out.emplace_back());
}

inline boost::json::value encode(const std::string &v) {
  return boost::json::string(v);
}
inline boost::json::value encode(std::int64_t v) {
  return v;
}
inline boost::json::value encode(double v) {
  return v;
}
inline boost::json::value encode(bool v) {
  return v;
}
inline boost::json::value encode(const boost::json::object &v) {
  return v;
}
inline boost::json::value encode(const boost::json::value &v) {
  return v;
}
inline boost::json::value encode(core::Timestamp v) {
  return boost::json::string(core::format_iso8601(v));
}
template <class T> boost::json::value encode(const std::vector<T> &v) {
  boost::json::array a;
  a.reserve(v.size());
  for (const auto &item : v)
    a.push_back(encode(item));
  return a;
}

} // namespace gridlane::ocpp::codec
