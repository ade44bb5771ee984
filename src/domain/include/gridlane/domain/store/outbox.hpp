#pragma once
//! The roaming outbox: every push to a partner, stored in the unit of work that decides it and
//! kept until the partner accepted it (ocpi::Outbox delivers).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "gridlane/domain/roaming.hpp"

namespace gridlane::domain {

class OutboxStore {
public:
  virtual ~OutboxStore() = default;

  //! Appends an item (id, attempts, last_error ignored; next_attempt_at = created_at); returns its id.
  virtual std::int64_t enqueue(const OutboxItem &item) = 0;
  //! Items whose turn it is at `now`: per (partner, object_key) only the oldest undelivered
  //! one, and only when its next_attempt_at has come; oldest first, at most `max`.
  virtual std::vector<OutboxItem> due_items(Timestamp now, std::size_t max) = 0;
  //! The partner accepted it: removed from the backlog, counted.
  virtual void mark_delivered(std::int64_t id, Timestamp at) = 0;
  //! The partner refused it (it answered, but not with success): counted in `attempts`, tried
  //! again at `retry_at`.
  virtual void mark_failed(std::int64_t id, Timestamp at, std::string_view error, Timestamp retry_at) = 0;
  //! The partner refused it for good: kept (visible, counted as dead), never sent again, and no
  //! longer in the way of the items of its key after it.
  virtual void mark_dead(std::int64_t id, Timestamp at, std::string_view error) = 0;
  //! The partner's consecutive failed calls (0 after an answer): the exponent of its back-off.
  virtual int partner_failures(std::int64_t partner_id) = 0;
  //! The partner could not be reached (`failures` in a row now): none of its items is due
  //! before `until`; the error is its last one.
  virtual void partner_down(std::int64_t partner_id, int failures, Timestamp until, Timestamp at,
                            std::string_view error) = 0;
  //! The partner answered: no more hold, no failures in a row.
  virtual void partner_up(std::int64_t partner_id) = 0;
  //! None of the partner's items is due before `until` (a suspended partner); failures unchanged.
  virtual void hold_partner(std::int64_t partner_id, Timestamp until) = 0;
  //! One entry per partner that has or had items.
  virtual std::vector<DeliveryState> delivery_states() = 0;
  //! The items a partner refused for good, newest first, at most `max`.
  virtual std::vector<OutboxItem> dead_items(std::int64_t partner_id, std::size_t max) = 0;
};

} // namespace gridlane::domain
