#pragma once
//! Alert rules, channels, alerts and their deliveries (migration 0027, services::AlertService,
//! alerts::Dispatcher).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "gridlane/domain/alerts.hpp"
#include "gridlane/domain/lists.hpp"

namespace gridlane::domain {

class AlertStore {
public:
  virtual ~AlertStore() = default;

  //! Inserts the rule with its channels (id ignored); returns its id.
  virtual std::int64_t insert_alert_rule(const AlertRule &rule) = 0;
  //! Replaces rule `rule.id` and its channels (created_at kept); false if there is none.
  virtual bool update_alert_rule(const AlertRule &rule) = 0;
  virtual bool delete_alert_rule(std::int64_t id) = 0;
  virtual std::optional<AlertRule> alert_rule(std::int64_t id) = 0;
  virtual std::vector<AlertRule> alert_rules() = 0; //!< by id

  virtual std::int64_t insert_alert_channel(const AlertChannel &channel) = 0;
  //! Removes the channel and its place in rules (its delivery log stays).
  virtual bool delete_alert_channel(std::int64_t id) = 0;
  virtual std::optional<AlertChannel> alert_channel(std::int64_t id) = 0;
  virtual std::vector<AlertChannel> alert_channels() = 0; //!< by id

  //! The alert of (rule, subject) that is not resolved, if any (there is at most one).
  virtual std::optional<Alert> unresolved_alert(std::int64_t rule_id, std::string_view subject) = 0;
  virtual std::int64_t insert_alert(const Alert &alert) = 0;
  virtual void update_alert(const Alert &alert) = 0;
  virtual std::optional<Alert> alert(std::int64_t id) = 0;
  //! Newest first (by last_at, then id).
  virtual Paged<Alert> alerts(const AlertFilter &filter, const PageRequest &page) = 0;
  virtual std::vector<Alert> unresolved_alerts() = 0;

  virtual std::int64_t insert_alert_delivery(const AlertDelivery &delivery) = 0;
  //! Pending deliveries whose next attempt has come, oldest first, at most `max`.
  virtual std::vector<AlertDelivery> due_alert_deliveries(Timestamp now, std::size_t max) = 0;
  //! When the earliest pending delivery is due, if any is pending.
  virtual std::optional<Timestamp> next_alert_delivery_at() = 0;
  //! Records an attempt's outcome (state, attempts, times, status, error).
  virtual void update_alert_delivery(const AlertDelivery &delivery) = 0;
  //! The delivery log, newest first.
  virtual Paged<AlertDelivery> alert_deliveries(const AlertDeliveryFilter &filter, const PageRequest &page) = 0;
};

} // namespace gridlane::domain
