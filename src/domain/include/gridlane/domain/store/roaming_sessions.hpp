#pragma once
//! Sessions and CDRs of roaming tokens (the OCPI Sessions and CDRs Sender modules; migration
//! 0025): which partner each belongs to, when it last changed (the GET lists' date filters) and
//! how far its pushes went. A CDR is recorded once per partner: the record is what makes its
//! POST happen exactly once, across retries and restarts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gridlane/domain/lists.hpp"
#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

//! A transaction that runs with a partner's token.
struct RoamingSession {
  std::int64_t transaction_id = 0;
  std::int64_t partner_id = 0;
  Timestamp last_updated{};                //!< the Session's last_updated
  std::optional<Timestamp> last_pushed_at; //!< the last PATCH enqueued while it runs (the pace)
  std::int64_t periods_sent = 0;           //!< charging periods the partner has already
};

//! Which of a partner's records a GET list holds: last_updated in [from, to).
struct RoamingWindow {
  std::optional<Timestamp> from; //!< inclusive
  std::optional<Timestamp> to;   //!< exclusive
};

class RoamingSessionStore {
public:
  virtual ~RoamingSessionStore() = default;

  //! Records a session as the partner's; false (nothing written) when it is recorded already.
  virtual bool insert_roaming_session(const RoamingSession &s) = 0;
  virtual std::optional<RoamingSession> roaming_session(std::int64_t transaction_id) = 0;
  //! Writes last_updated, last_pushed_at and periods_sent.
  virtual void update_roaming_session(const RoamingSession &s) = 0;
  //! A page of the partner's sessions, by last_updated then transaction id, and their count.
  virtual Paged<RoamingSession> roaming_sessions(std::int64_t partner_id, const RoamingWindow &w, PageRequest page) = 0;

  //! Records CDR `cdr_id` as the partner's at `at` (its last_updated); false when it was already.
  virtual bool insert_roaming_cdr(std::string_view cdr_id, std::int64_t partner_id, Timestamp at) = 0;
  //! A page of the ids of the partner's CDRs, by last_updated then id, and their count.
  virtual Paged<std::string> roaming_cdr_ids(std::int64_t partner_id, const RoamingWindow &w, PageRequest page) = 0;
};

} // namespace gridlane::domain
