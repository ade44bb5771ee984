#pragma once
//! Strong identifier types shared by every layer.
#include <compare>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace gridlane::core {

//! A charging station's identity as it appears in /ocpp/{stationId}: 1 to 48 characters of OCPP's
//! identifierString set without ':' (a-z A-Z 0-9 * - _ = + | @ . and the space).
class StationId {
public:
  static constexpr std::size_t max_length = 48;
  //! Returns nullopt for an identity OCPP-J does not allow.
  static std::optional<StationId> parse(std::string_view text);
  static StationId unchecked(std::string text) { return StationId{std::move(text)}; }

  const std::string &str() const { return value_; }
  auto operator<=>(const StationId &) const = default;

private:
  explicit StationId(std::string v) : value_(std::move(v)) {}
  std::string value_;
};

//! Which OCPP version a station speaks on a given connection.
enum class ProtocolVersion { Ocpp16, Ocpp201, Ocpp21 };
//! 16 random lower-case hex digits (64 bits from std::random_device): an id for a record whose
//! creator named none (a location, an account).
std::string random_hex_id();

std::string_view to_string(ProtocolVersion v);
std::optional<ProtocolVersion> protocol_from_subprotocol(std::string_view subprotocol);

} // namespace gridlane::core

template <> struct std::hash<gridlane::core::StationId> {
  std::size_t operator()(const gridlane::core::StationId &id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
