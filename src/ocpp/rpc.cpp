#include "gridlane/ocpp/rpc.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "gridlane/core/json_text.hpp"

namespace gridlane::ocpp {
namespace json = boost::json;

std::string_view wire_name(RpcError code, ProtocolVersion version) {
  const bool v16 = version == ProtocolVersion::Ocpp16;
  switch (code) {
  case RpcError::FormatViolation: return v16 ? "FormationViolation" : "FormatViolation";
  case RpcError::GenericError: return "GenericError";
  case RpcError::InternalError: return "InternalError";
  case RpcError::MessageTypeNotSupported: return v16 ? "ProtocolError" : "MessageTypeNotSupported";
  case RpcError::NotImplemented: return "NotImplemented";
  case RpcError::NotSupported: return "NotSupported";
  case RpcError::OccurrenceConstraintViolation:
    return v16 ? "OccurenceConstraintViolation" : "OccurrenceConstraintViolation";
  case RpcError::PropertyConstraintViolation: return "PropertyConstraintViolation";
  case RpcError::ProtocolError: return "ProtocolError";
  case RpcError::RpcFrameworkError: return v16 ? "ProtocolError" : "RpcFrameworkError";
  case RpcError::SecurityError: return "SecurityError";
  case RpcError::TypeConstraintViolation: return "TypeConstraintViolation";
  }
  return "GenericError";
}

std::optional<RpcError> parse_rpc_error(std::string_view t) {
  if (t == "FormatViolation" || t == "FormationViolation") return RpcError::FormatViolation;
  if (t == "GenericError") return RpcError::GenericError;
  if (t == "InternalError") return RpcError::InternalError;
  if (t == "MessageTypeNotSupported") return RpcError::MessageTypeNotSupported;
  if (t == "NotImplemented") return RpcError::NotImplemented;
  if (t == "NotSupported") return RpcError::NotSupported;
  if (t == "OccurrenceConstraintViolation" || t == "OccurenceConstraintViolation")
    return RpcError::OccurrenceConstraintViolation;
  if (t == "PropertyConstraintViolation") return RpcError::PropertyConstraintViolation;
  if (t == "ProtocolError") return RpcError::ProtocolError;
  if (t == "RpcFrameworkError") return RpcError::RpcFrameworkError;
  if (t == "SecurityError") return RpcError::SecurityError;
  if (t == "TypeConstraintViolation") return RpcError::TypeConstraintViolation;
  return std::nullopt;
}

RpcError error_for(ValidationError::Kind kind) {
  using K = ValidationError::Kind;
  switch (kind) {
  case K::Type: return RpcError::TypeConstraintViolation; // "somestring": 12
  case K::Required:
  case K::Cardinality: return RpcError::OccurrenceConstraintViolation; // a field missing, too few/many items
  case K::Additional: return RpcError::FormatViolation;                // not the PDU structure of the action
  case K::Enum:
  case K::Length:
  case K::Range:
  case K::Format: return RpcError::PropertyConstraintViolation; // right type, invalid value
  }
  return RpcError::FormatViolation;
}

namespace {
// JSON has no infinity, but a literal beyond the double range (1e400) parses as one: it would be
// written back as "Infinity", which is not JSON, wherever the value is stored or echoed.
bool all_finite(const json::value &v) {
  switch (v.kind()) {
  case json::kind::double_: return std::isfinite(v.get_double());
  case json::kind::array:
    for (const auto &item : v.get_array())
      if (!all_finite(item)) return false;
    return true;
  case json::kind::object:
    for (const auto &field : v.get_object())
      if (!all_finite(field.value())) return false;
    return true;
  default: return true;
  }
}
} // namespace

std::variant<Frame, FrameError> parse_frame(std::string_view text, ProtocolVersion version) {
  const bool v2 = version != ProtocolVersion::Ocpp16;
  const RpcError broken = v2 ? RpcError::RpcFrameworkError : RpcError::ProtocolError;
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) return FrameError{broken, "-1", "message is not valid JSON: " + ec.message()};
  if (!root.is_array()) return FrameError{broken, "-1", "message is not a JSON array"};
  auto &a = root.get_array();
  if (a.size() < 3) return FrameError{broken, "-1", "message has fewer than 3 elements"};
  std::string id;
  if (a[1].is_string()) id = a[1].get_string();
  if (id.empty() || id.size() > 36) {
    return FrameError{broken, "-1", "message id must be a string of 1 to 36 characters"};
  }
  if (!a[0].is_int64() && !a[0].is_uint64()) return FrameError{broken, id, "message type must be an integer"};
  // Compared as the number it is, never narrowed first: 18446744073709551615 is a uint64 that
  // does not fit an int64, and is just another unknown message type.
  const std::int64_t type = a[0].is_int64() ? a[0].get_int64() : -1;
  const bool known =
      type == 2 || type == 3 || type == 4 || (version == ProtocolVersion::Ocpp21 && (type == 5 || type == 6));
  if (!known)
    return FrameError{RpcError::MessageTypeNotSupported, id,
                      "message type " + json::serialize(a[0]) + " is not supported"};
  if (!all_finite(root))
    return FrameError{RpcError::PropertyConstraintViolation, id, "a number is beyond the range of a double"};
  Frame f;
  f.type = static_cast<MessageType>(type);
  f.id = std::move(id);
  switch (f.type) {
  case MessageType::Call:
  case MessageType::Send:
    if (a.size() != 4 || !a[2].is_string()) return FrameError{broken, f.id, "a CALL is [2, id, action, payload]"};
    f.action = a[2].get_string();
    if (!a[3].is_object())
      return FrameError{RpcError::FormatViolation, f.id, "payload of " + f.action + " must be a JSON object"};
    f.payload = std::move(a[3]);
    break;
  case MessageType::CallResult:
    if (a.size() != 3) return FrameError{broken, f.id, "a CALLRESULT is [3, id, payload]"};
    f.payload = std::move(a[2]);
    break;
  case MessageType::CallError:
  case MessageType::CallResultError:
    if (a.size() != 5 || !a[2].is_string() || !a[3].is_string())
      return FrameError{broken, f.id, "a CALLERROR is [4, id, code, description, details]"};
    f.error_code = a[2].get_string();
    f.error_description = a[3].get_string();
    f.error_details = std::move(a[4]);
    break;
  }
  return f;
}

std::string call_frame(std::string_view id, std::string_view action, json::value payload) {
  json::array a;
  a.reserve(4);
  a.emplace_back(2);
  a.emplace_back(json::string(id));
  a.emplace_back(json::string(action));
  a.emplace_back(std::move(payload));
  return core::to_json_text(a); // plain decimals: 16.5, not 1.65E1
}

std::string call_result_frame(std::string_view id, const json::value &payload) {
  json::array a{3, json::string(id), payload};
  return core::to_json_text(a); // plain decimals: 16.5, not 1.65E1
}

namespace {
// OCPP-J: the description is at most 255 characters. Cut between characters, never inside a
// UTF-8 sequence (the text may quote what the station sent): a text frame must be valid UTF-8.
std::string_view clip_description(std::string_view d) {
  if (d.size() <= 255) return d;
  std::size_t n = 255;
  while (n > 0 && (static_cast<unsigned char>(d[n]) & 0xC0) == 0x80)
    --n;
  return d.substr(0, n);
}
} // namespace

std::string call_error_frame(std::string_view id, RpcError code, ProtocolVersion version, std::string_view description,
                             const json::object &details) {
  json::array a{4, json::string(id), json::string(wire_name(code, version)),
                json::string(clip_description(description)), details};
  return core::to_json_text(a); // plain decimals: 16.5, not 1.65E1
}

std::string call_result_error_frame(std::string_view id, RpcError code, ProtocolVersion version,
                                    std::string_view description) {
  json::array a{5, json::string(id), json::string(wire_name(code, version)),
                json::string(clip_description(description)), json::object{}};
  return core::to_json_text(a); // plain decimals: 16.5, not 1.65E1
}

} // namespace gridlane::ocpp
