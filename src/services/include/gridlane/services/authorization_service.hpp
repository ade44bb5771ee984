#pragma once
//! Id-token authorisation, shared by every protocol version.
#include "gridlane/core/time.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::services {

//! The rules, as a function of the stored tokens and `now`: unknown -> Unknown; a stored
//! non-Accepted status wins; past its expiry -> Expired; with check_concurrent, a tag that
//! already has an active transaction -> ConcurrentTx.
domain::Authorization authorize_token(domain::Repository &repo, std::string_view id_tag, domain::Timestamp now,
                                      bool check_concurrent,
                                      std::optional<std::int64_t> own_transaction = std::nullopt);

class AuthorizationService {
public:
  AuthorizationService(domain::StoreExecutor &store, const core::Clock &clock) : store_(store), clock_(clock) {}
  //! The live values shared with the other services and the API (by default its own).
  void set_live(LiveValues &live) { live_ = &live; }
  void authorize(const StationContext &who, std::string id_tag, Reply<domain::Authorization> reply);

private:
  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  LiveValues own_live_;
  LiveValues *live_ = &own_live_;
};

} // namespace gridlane::services
