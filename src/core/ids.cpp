#include "gridlane/core/ids.hpp"

#include <cstdint>
#include <random>

namespace gridlane::core {

namespace {
//! OCPP 2.x identifierString (Part 2, primitive datatypes): a-z A-Z 0-9 * - _ = : + | @ .
//! The identity drops ':' (OCPP-J: it separates user and password in Basic auth) and keeps the
//! space, which both OCPP-J specifications use in their own example identity ("RDAM 123").
//! Everything allowed is ASCII, so an identity is always valid UTF-8 and safe in JSON, logs
//! and file names.
constexpr bool identity_char(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
  case '*':
  case '-':
  case '_':
  case '=':
  case '+':
  case '|':
  case '@':
  case '.':
  case ' ': return true;
  default: return false;
  }
}
} // namespace

std::optional<StationId> StationId::parse(std::string_view text) {
  if (text.empty() || text.size() > max_length) return std::nullopt;
  for (unsigned char c : text) {
    if (!identity_char(c)) return std::nullopt;
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

std::string random_hex_id() {
  std::random_device rd;
  std::uint64_t v = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  static constexpr char hex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (auto &c : id) {
    c = hex[v & 15];
    v >>= 4;
  }
  return id;
}

} // namespace gridlane::core
