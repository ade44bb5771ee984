#pragma once
//! The one codec between a Command and its JSON: the `params` object of the operator API
//! (POST /stations/{id}/commands, docs/api.md) and, in the same shape, the `params` column of
//! the commands table. One codec for both, so what the store keeps is exactly what the API
//! accepts and shows, and a stored command reads back as the Command that was sent.
//! It lives in the domain library (JSON confined to its .cpp) because both the API and the store
//! use it, and neither may depend on the other.
#include <string>
#include <string_view>

#include "gridlane/domain/commands.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::domain {

//! The command of API kind `kind` from its params (a JSON object as text). Unknown parameters are
//! ignored; a missing or malformed one is ServiceError::invalid naming the field (HTTP 422).
//! A charging profile may be given in the OCPP 1.6 (csChargingProfiles) or 2.x (ChargingProfileType)
//! shape; both decode into the one ChargingProfile.
Result<Command> decode_command(std::string_view kind, std::string_view params_json);

//! The command's params as JSON text, in the shape decode_command reads (a charging profile in
//! the 2.x shape). decode_command(kind_of(c), encode_params(c)) == c.
std::string encode_params(const Command &c);

} // namespace gridlane::domain
