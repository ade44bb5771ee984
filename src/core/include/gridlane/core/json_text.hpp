#pragma once
//! JSON text with numbers as plain decimals, for every wire Gridlane writes (OCPP frames, the
//! API, the admin CLI, events). Boost.JSON's serializer writes a double in exponent form
//! (16.5 as 1.65E1), which hand-written station parsers reject; this writes 16.5, and 16 for
//! 16.0. A double that is not finite (never stored, see docs/ocpp.md) is written as null, so
//! the output is always JSON.
#include <boost/json/fwd.hpp>
#include <string>

namespace gridlane::core {

std::string to_json_text(const boost::json::value &v);
std::string to_json_text(const boost::json::object &o);
std::string to_json_text(const boost::json::array &a);
//! Appends `d` as the shortest plain decimal that reads back as the same double.
void append_decimal(std::string &out, double d);

} // namespace gridlane::core
