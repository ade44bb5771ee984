// OCPI's enum names and DateTime format (types.asciidoc), the one place they are spelled.
#include <array>
#include <chrono>
#include <utility>

#include "gridlane/ocpi/wire.hpp"

namespace gridlane::ocpi {
using domain::InterfaceRole;
using domain::OcpiModule;
using domain::OcpiRole;

namespace {

constexpr std::array<std::pair<OcpiModule, std::string_view>, 9> modules{{
    {OcpiModule::Cdrs, "cdrs"},
    {OcpiModule::ChargingProfiles, "chargingprofiles"},
    {OcpiModule::Commands, "commands"},
    {OcpiModule::Credentials, "credentials"},
    {OcpiModule::HubClientInfo, "hubclientinfo"},
    {OcpiModule::Locations, "locations"},
    {OcpiModule::Sessions, "sessions"},
    {OcpiModule::Tariffs, "tariffs"},
    {OcpiModule::Tokens, "tokens"},
}};

constexpr std::array<std::pair<OcpiRole, std::string_view>, 7> roles{{
    {OcpiRole::Cpo, "CPO"},
    {OcpiRole::Emsp, "EMSP"},
    {OcpiRole::Hub, "HUB"},
    {OcpiRole::Nap, "NAP"},
    {OcpiRole::Nsp, "NSP"},
    {OcpiRole::Other, "OTHER"},
    {OcpiRole::Scsp, "SCSP"},
}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N> &table, E value) {
  for (const auto &[e, name] : table)
    if (e == value) return name;
  return {};
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N> &table, std::string_view name) {
  for (const auto &[e, n] : table)
    if (n == name) return e;
  return std::nullopt;
}

} // namespace

std::string_view module_name(OcpiModule m) {
  return name_of(modules, m);
}
std::optional<OcpiModule> module_from_name(std::string_view name) {
  return value_of(modules, name);
}
std::string_view role_name(OcpiRole r) {
  return name_of(roles, r);
}
std::optional<OcpiRole> role_from_name(std::string_view name) {
  return value_of(roles, name);
}

std::string_view interface_role_name(InterfaceRole r) {
  return r == InterfaceRole::Sender ? "SENDER" : "RECEIVER";
}
std::optional<InterfaceRole> interface_role_from_name(std::string_view name) {
  if (name == "SENDER") return InterfaceRole::Sender;
  if (name == "RECEIVER") return InterfaceRole::Receiver;
  return std::nullopt;
}

std::string format_datetime(core::Timestamp t) {
  auto text = core::format_iso8601(std::chrono::floor<std::chrono::seconds>(t)); // "...T20:39:09.000Z"
  return text.substr(0, text.size() - 5) + "Z";
}

std::optional<core::Timestamp> parse_datetime(std::string_view text) {
  // OCPI DateTime is UTC; 2.2.1 senders often leave the 'Z' out (types.asciidoc: "should be UTC").
  return core::parse_iso8601(text, core::MissingOffset::ReadAsUtc);
}

} // namespace gridlane::ocpi
