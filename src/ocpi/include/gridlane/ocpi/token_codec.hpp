#pragma once
//! The OCPI 2.2.1 Token objects on the wire (mod_tokens.asciidoc): Token both ways, a PATCH
//! merged onto a stored token, LocationReferences out and AuthorizationInfo in. Every refusal
//! is ServiceError::invalid naming the field path ("energy_contract.supplier_name"), which
//! the module answers as OCPI 2001.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "gridlane/domain/result.hpp"
#include "gridlane/domain/roaming.hpp"
#include "gridlane/domain/store/roaming_tokens.hpp"
#include "gridlane/services/realtime_auth.hpp"

namespace gridlane::ocpi {

//! A whole Token object (a PUT, or the token of an AuthorizationInfo), validated against its
//! field table. partner_id is left 0: the caller knows who sent it.
domain::Result<domain::RoamingToken> token_from_json(const boost::json::value &json);
//! A PATCH: only the fields present, each validated, applied to `current`. last_updated is
//! required (mod_tokens "Any request to the PATCH method SHALL contain the last_updated
//! field"); a key field (country_code, party_id, uid, type) may be present only unchanged;
//! null clears an optional field.
domain::Result<domain::RoamingToken> patch_token(domain::RoamingToken current, const boost::json::value &patch);
boost::json::object token_to_json(const domain::RoamingToken &t);

//! The eMSP's answer to POST {uid}/authorize.
struct AuthorizationInfo {
  domain::AllowedType allowed = domain::AllowedType::NotAllowed;
  domain::RoamingToken token;
  std::optional<services::LocationRef> location;
  std::optional<std::string> authorization_reference;
};
domain::Result<AuthorizationInfo> authorization_info_from_json(const boost::json::value &json);
boost::json::object location_references_to_json(const services::LocationRef &l);

std::string_view token_type_name(domain::OcpiTokenType t); //!< "RFID", "APP_USER", ...
std::optional<domain::OcpiTokenType> token_type_from_name(std::string_view name);
std::string_view whitelist_name(domain::WhitelistType w); //!< "ALWAYS", "ALLOWED_OFFLINE", ...
std::optional<domain::WhitelistType> whitelist_from_name(std::string_view name);
std::string_view allowed_type_name(domain::AllowedType a); //!< "ALLOWED", "NO_CREDIT", ...
std::optional<domain::AllowedType> allowed_type_from_name(std::string_view name);

//! OCPI CiString equality (ASCII, without regard to case): party codes and uids.
bool ci_equal(std::string_view a, std::string_view b);

} // namespace gridlane::ocpi
