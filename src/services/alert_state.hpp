#pragma once
// Private to services: what AlertService keeps in memory (alert_service.cpp, alert_rules.cpp).
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gridlane/core/metrics.hpp"
#include "gridlane/services/alert_service.hpp"

namespace gridlane::services {

struct AlertService::State {
  std::mutex mutex;
  bool loaded = false;
  bool stopped = false;
  std::vector<domain::AlertRule> rules;                              //!< every rule, by id
  std::map<std::string, core::Timestamp, std::less<>> offline_since; //!< stations counted offline now
  std::map<std::pair<std::int64_t, std::string>, int> streaks;       //!< (rule, station): failures in a row
  std::set<std::pair<std::int64_t, std::string>> unresolved;         //!< (rule, subject) with an alert not resolved
  std::function<void()> wake;

  void put_rule(const domain::AlertRule &rule) {
    for (auto &r : rules)
      if (r.id == rule.id) {
        r = rule;
        return;
      }
    rules.push_back(rule);
  }
};

//! One condition met (raise) or cleared (clear) for a subject.
struct AlertService::Finding {
  domain::AlertRule rule;
  std::string subject;
  std::string station;
  std::string summary;
  bool raise = true;
};

//! Stores the deliveries of `alert` to the rule's enabled channels, held by its quiet hours in
//! the station's location's zone (UTC without one). Returns how many were stored.
int enqueue_alert_deliveries(domain::Repository &r, const domain::AlertRule &rule, const domain::Alert &alert,
                             domain::AlertEvent event, core::Timestamp now);

} // namespace gridlane::services
