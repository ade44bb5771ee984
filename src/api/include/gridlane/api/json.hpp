#pragma once
//! Domain objects as the JSON the operator API and the admin CLI print.
#include <boost/json/value.hpp>
#include <vector>

#include "gridlane/domain/model.hpp"
#include "gridlane/domain/operators.hpp"

namespace gridlane::api {

boost::json::object station_json(const domain::Station &s, const std::vector<domain::StatusReport> &statuses);
boost::json::object status_json(const domain::StatusReport &st);
boost::json::object sample_json(const domain::MeterSample &m);
boost::json::object transaction_json(const domain::Transaction &t, const std::vector<domain::MeterSample> &samples,
                                     const std::vector<domain::TransactionEventRecord> &events);
boost::json::object device_variable_json(const domain::DeviceVariable &v);
boost::json::object command_json(const domain::CommandRecord &c);
boost::json::object token_json(const domain::IdToken &t);
boost::json::object audit_json(const domain::AuditEntry &e);
//! A message a station sent and Gridlane kept; the payload as JSON when it parses.
boost::json::object station_event_json(const domain::StationEvent &e);
boost::json::object anomaly_json(const domain::Anomaly &a);
boost::json::object compat_json(const domain::StationCompat &c);

} // namespace gridlane::api
