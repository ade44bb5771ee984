#pragma once
//! OCPI's spellings of the roaming enums (types.asciidoc and the modules' enum tables), written
//! once: the OCPI codecs (src/ocpi) and the store's rows (src/store/sqlite) both read and write
//! them through these tables.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

#include "gridlane/domain/names.hpp"
#include "gridlane/domain/roaming.hpp"
#include "gridlane/domain/store/roaming_tokens.hpp"

namespace gridlane::domain {

inline constexpr NameTable<OcpiRole, 7> ocpi_roles{{
    {OcpiRole::Cpo, "CPO"},
    {OcpiRole::Emsp, "EMSP"},
    {OcpiRole::Hub, "HUB"},
    {OcpiRole::Nap, "NAP"},
    {OcpiRole::Nsp, "NSP"},
    {OcpiRole::Other, "OTHER"},
    {OcpiRole::Scsp, "SCSP"},
}};

//! ModuleID: lower case, as in the version details' endpoints.
inline constexpr NameTable<OcpiModule, 9> ocpi_modules{{
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

inline constexpr NameTable<InterfaceRole, 2> ocpi_interface_roles{{
    {InterfaceRole::Sender, "SENDER"},
    {InterfaceRole::Receiver, "RECEIVER"},
}};

inline constexpr NameTable<OcpiTokenType, 4> ocpi_token_types{{
    {OcpiTokenType::AdHocUser, "AD_HOC_USER"},
    {OcpiTokenType::AppUser, "APP_USER"},
    {OcpiTokenType::Other, "OTHER"},
    {OcpiTokenType::Rfid, "RFID"},
}};

inline constexpr NameTable<WhitelistType, 4> ocpi_whitelists{{
    {WhitelistType::Always, "ALWAYS"},
    {WhitelistType::Allowed, "ALLOWED"},
    {WhitelistType::AllowedOffline, "ALLOWED_OFFLINE"},
    {WhitelistType::Never, "NEVER"},
}};

inline constexpr NameTable<OcpiProfileType, 4> ocpi_profile_types{{
    {OcpiProfileType::Cheap, "CHEAP"},
    {OcpiProfileType::Fast, "FAST"},
    {OcpiProfileType::Green, "GREEN"},
    {OcpiProfileType::Regular, "REGULAR"},
}};

inline constexpr NameTable<AllowedType, 5> ocpi_allowed_types{{
    {AllowedType::Allowed, "ALLOWED"},
    {AllowedType::Blocked, "BLOCKED"},
    {AllowedType::Expired, "EXPIRED"},
    {AllowedType::NoCredit, "NO_CREDIT"},
    {AllowedType::NotAllowed, "NOT_ALLOWED"},
}};

} // namespace gridlane::domain
