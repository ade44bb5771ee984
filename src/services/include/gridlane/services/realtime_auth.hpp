#pragma once
//! Real-time authorisation of a roaming token at the eMSP that issued it (OCPI 2.2.1 Tokens,
//! "POST {token_uid}/authorize"), as the authorisation chain sees it: a question and a typed
//! answer, whatever carries them. src/ocpi implements it over HTTP (the roaming worker pool,
//! `[ocpi] realtime_auth_timeout_ms`); tests implement it with a fake.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/roaming.hpp"
#include "gridlane/domain/store/roaming_tokens.hpp"

namespace gridlane::services {

//! Where the driver is (OCPI LocationReferences): the station's location and its EVSEs.
struct LocationRef {
  std::string location_id;
  std::vector<std::string> evse_uids;
};

struct RealtimeQuestion {
  domain::RoamingToken token; //!< as stored: its partner is the one asked
  std::optional<LocationRef> location;
};

struct RealtimeAnswer {
  enum class Kind {
    Answered,     //!< the eMSP answered with an AuthorizationInfo
    UnknownToken, //!< the eMSP does not know the token (HTTP 404 / OCPI 2004)
    Unreachable,  //!< no answer in time, a transport failure, an error or a garbled answer
  };
  Kind kind = Kind::Unreachable;
  domain::AllowedType allowed = domain::AllowedType::NotAllowed; //!< when Answered
  std::optional<std::string> authorization_reference;
  std::string detail; //!< for the log: why it is Unreachable / what the eMSP said
};

class RealtimeAuthorizer {
public:
  virtual ~RealtimeAuthorizer() = default;
  //! Asks the token's eMSP; `done` runs exactly once, on any thread, within the configured
  //! timeout (plus scheduling). Never blocks the caller.
  virtual void authorize(RealtimeQuestion question, std::function<void(RealtimeAnswer)> done) = 0;
};

} // namespace gridlane::services
