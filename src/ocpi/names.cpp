// OCPI's enum names (the tables of domain/roaming_names.hpp) and DateTime format (types.asciidoc).
#include <array>
#include <chrono>
#include <utility>

#include "gridlane/domain/roaming_names.hpp"
#include "gridlane/ocpi/wire.hpp"

namespace gridlane::ocpi {
using domain::InterfaceRole;
using domain::OcpiModule;
using domain::OcpiRole;

using domain::name_of;
using domain::value_of;
constexpr const auto &modules = domain::ocpi_modules;
constexpr const auto &roles = domain::ocpi_roles;

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
  return name_of(domain::ocpi_interface_roles, r);
}
std::optional<InterfaceRole> interface_role_from_name(std::string_view name) {
  return value_of(domain::ocpi_interface_roles, name);
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
