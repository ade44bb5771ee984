#include "gridlane/core/ids.hpp"

namespace gridlane::core {

std::optional<StationId> StationId::parse(std::string_view text) {
  if (text.empty() || text.size() > max_length) return std::nullopt;
  for (unsigned char c : text) {
    // OCPP-J: the identity must not contain ':' (it would break Basic auth); control characters
    // and '/' cannot come from a well-formed URL path segment either.
    if (c == ':' || c == '/' || c < 0x20 || c == 0x7f) return std::nullopt;
  }
  return StationId{std::string{text}};
}

std::string_view to_string(ProtocolVersion v) {
  switch (v) {
  case ProtocolVersion::Ocpp16: return "ocpp1.6";
  case ProtocolVersion::Ocpp201: return "ocpp2.0.1";
  case ProtocolVersion::Ocpp21: return "ocpp2.1";
  }
  return "unknown";
}

std::optional<ProtocolVersion> protocol_from_subprotocol(std::string_view s) {
  if (s == "ocpp1.6") return ProtocolVersion::Ocpp16;
  if (s == "ocpp2.0.1") return ProtocolVersion::Ocpp201;
  if (s == "ocpp2.1") return ProtocolVersion::Ocpp21;
  return std::nullopt;
}

} // namespace gridlane::core
