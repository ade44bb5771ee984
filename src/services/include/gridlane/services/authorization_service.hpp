#pragma once
//! Id-token authorisation, shared by every protocol version: Gridlane's own tokens, then the
//! tokens eMSPs pushed (roaming, OCPI Tokens) with their whitelist policy and, where it asks
//! for one, a real-time authorisation at the eMSP (docs/ocpi.md "Tokens and authorisation").
#include <atomic>
#include <chrono>
#include <optional>

#include "gridlane/core/time.hpp"
#include "gridlane/services/realtime_auth.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::services {

//! How long an eMSP's real-time answer stands for the transaction start that follows it (a 1.6
//! Authorize then StartTransaction; a 2.x Authorize then TransactionEvent Started).
inline constexpr std::chrono::minutes realtime_decision_lifetime{10};

//! The rules, as a function of the stored tokens and `now`: a token of Gridlane's own first:
//! unknown -> Unknown; a stored non-Accepted status wins; past its expiry -> Expired. Else a
//! roaming token (roaming_authorization). With check_concurrent, a tag that already has an
//! active transaction -> ConcurrentTx.
domain::Authorization authorize_token(domain::Repository &repo, std::string_view id_tag, domain::Timestamp now,
                                      bool check_concurrent,
                                      std::optional<std::int64_t> own_transaction = std::nullopt);

//! The whitelist policy of a roaming token without asking its eMSP (mod_tokens WhitelistType):
//! ALWAYS / ALLOWED: valid -> Accepted, else Invalid. ALLOWED_OFFLINE / NEVER: the eMSP's
//! real-time answer of the last realtime_decision_lifetime when there is one; without one,
//! ALLOWED_OFFLINE counts as "the eMSP could not be asked" (valid -> Accepted) and NEVER is
//! Invalid. `decision` is the remembered answer, if any.
domain::Authorization roaming_authorization(const domain::RoamingToken &t,
                                            const std::optional<domain::RealtimeDecision> &decision,
                                            domain::Timestamp now);
//! Whether a token's whitelist asks for a real-time authorisation at each Authorize.
bool needs_realtime(domain::WhitelistType w);
//! The OCPP status for the eMSP's answer; Unreachable falls back on the whitelist: ALLOWED_OFFLINE
//! accepts a valid token, anything else refuses.
domain::Authorization realtime_verdict(const domain::RoamingToken &t, const RealtimeAnswer &answer);

class AuthorizationService {
public:
  AuthorizationService(domain::StoreExecutor &store, const core::Clock &clock) : store_(store), clock_(clock) {}
  //! The live values shared with the other services and the API (by default its own).
  void set_live(LiveValues &live) { live_ = &live; }
  //! Real-time authorisation at eMSPs (roaming); without one (null: detached at shutdown),
  //! ALLOWED_OFFLINE and NEVER tokens are decided as if the eMSP could not be reached.
  void set_realtime(RealtimeAuthorizer *realtime) { realtime_.store(realtime); }
  //! Where a refused token is published (AuthorizationRefused, read by alerts); null: nowhere.
  void set_bus(domain::EventBus *bus) { bus_.store(bus); }
  void authorize(const StationContext &who, std::string id_tag, Reply<domain::Authorization> reply);

private:
  void ask_emsp(RealtimeAuthorizer &realtime, RealtimeQuestion question, Reply<domain::Authorization> reply);

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  LiveValues own_live_;
  LiveValues *live_ = &own_live_;
  std::atomic<RealtimeAuthorizer *> realtime_{nullptr};
  std::atomic<domain::EventBus *> bus_{nullptr};
};

} // namespace gridlane::services
