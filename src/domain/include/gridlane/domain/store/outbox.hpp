#pragma once
//! The roaming outbox: every push to a partner, stored in the unit of work that decides it and
//! kept until the partner accepted it (ocpi::Outbox delivers).
#include <cstddef>
#include <cstdint>
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
  //! It failed; tried again at `retry_at`.
  virtual void mark_failed(std::int64_t id, Timestamp at, std::string_view error, Timestamp retry_at) = 0;
  //! One entry per partner that has or had items.
  virtual std::vector<DeliveryState> delivery_states() = 0;
};

} // namespace gridlane::domain
