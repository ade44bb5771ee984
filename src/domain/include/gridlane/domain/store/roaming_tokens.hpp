#pragma once
//! Tokens pushed by eMSPs (the OCPI Tokens module, receiver side), and the last real-time
//! authorisation an eMSP gave for each (so a transaction start shortly after an accepted
//! Authorize is accepted without asking again).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/domain/lists.hpp"
#include "gridlane/domain/roaming.hpp"

namespace gridlane::domain {

//! OCPI's AllowedType: the eMSP's answer to a real-time authorisation.
enum class AllowedType { Allowed, Blocked, Expired, NoCredit, NotAllowed };

//! One real-time authorisation as the eMSP answered it.
struct RealtimeDecision {
  AllowedType allowed = AllowedType::NotAllowed;
  Timestamp at{};
  std::optional<std::string> authorization_reference; //!< the eMSP's, for the Session and the CDR
};

class RoamingTokenStore {
public:
  virtual ~RoamingTokenStore() = default;

  //! Inserts or replaces the token (key: party, uid, type; the party and uid compared without
  //! regard to case, as OCPI's CiString). Replacing it forgets its last real-time decision.
  virtual void upsert_roaming_token(const RoamingToken &t) = 0;
  virtual std::optional<RoamingToken> roaming_token(const PartyId &party, std::string_view uid, OcpiTokenType type) = 0;
  //! The token a station presents, whoever issued it (the newest when several parties use the uid).
  virtual std::optional<RoamingToken> roaming_token_by_uid(std::string_view uid) = 0;
  //! Records the eMSP's answer to a real-time authorisation of a stored token (none: no-op).
  virtual void remember_realtime_decision(const PartyId &party, std::string_view uid, OcpiTokenType type,
                                          const RealtimeDecision &d) = 0;
  //! The last real-time answer for the token, if any since it was last replaced.
  virtual std::optional<RealtimeDecision> realtime_decision(const PartyId &party, std::string_view uid,
                                                            OcpiTokenType type) = 0;
  //! The tokens a partner pushed, by party and uid (the operator's view), `limit` from `offset`.
  virtual std::vector<RoamingToken> roaming_tokens_of(std::int64_t partner_id, std::size_t offset,
                                                      std::size_t limit) = 0;
};

} // namespace gridlane::domain
