#pragma once
//! Tokens pushed by eMSPs (the OCPI Tokens module, receiver side).
#include <optional>
#include <string_view>
#include <vector>

#include "gridlane/domain/lists.hpp"
#include "gridlane/domain/roaming.hpp"

namespace gridlane::domain {

class RoamingTokenStore {
public:
  virtual ~RoamingTokenStore() = default;

  //! Inserts or replaces the token (key: party, uid, type).
  virtual void upsert_roaming_token(const RoamingToken &t) = 0;
  virtual std::optional<RoamingToken> roaming_token(const PartyId &party, std::string_view uid, OcpiTokenType type) = 0;
  //! The token a station presents, whoever issued it (the newest when several parties use the uid).
  virtual std::optional<RoamingToken> roaming_token_by_uid(std::string_view uid) = 0;
};

} // namespace gridlane::domain
