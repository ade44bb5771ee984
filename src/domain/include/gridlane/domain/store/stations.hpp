#pragma once
//! Stations, the current and past status of their connectors, the device model they report
//! (OCPP 2.x), and the compatibility settings an operator sets for them.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

class StationStore {
public:
  virtual ~StationStore() = default;

  virtual std::optional<Station> station(const StationId &id) = 0;
  virtual std::vector<Station> stations() = 0;
  //! Throws when the id is taken (an operator creating a station that exists is an error).
  virtual void insert_station(const Station &s) = 0;
  //! Stores the station unless its id is taken; true when this call stored it. Two writers
  //! racing store one row (a station that connects twice at once, unknown to both).
  virtual bool insert_station_if_absent(const Station &s) = 0;
  virtual void update_station_boot(const StationId &id, const StationIdentity &identity, Timestamp at) = 0;
  virtual void set_registration(const StationId &id, RegistrationStatus status) = 0;
  virtual void set_password_hash(const StationId &id, const std::optional<std::string> &hash) = 0;
  //! Writes last_seen_at and the protocol. How often is the services' decision (LiveValues).
  virtual void touch_station(const StationId &id, ProtocolVersion protocol, Timestamp at) = 0;
  virtual void set_enabled(const StationId &id, bool enabled) = 0;
  virtual void set_site(const StationId &id, const std::optional<std::string> &site) = 0;
  //! Deletes a station with its status, device model and reports; transactions are kept.
  virtual bool delete_station(const StationId &id) = 0;

  // Connector status: the current value (one per connector, an upsert) and the history of changes
  virtual void record_status(const StatusReport &r) = 0;
  virtual std::vector<StatusReport> current_statuses(const StationId &id) = 0;
  virtual std::vector<StatusReport> status_history(const StationId &id, std::size_t limit) = 0;
  //! Oldest first.
  virtual std::vector<StatusReport> status_history(const StationId &id, std::size_t limit, std::size_t offset) = 0;

  // Device model (OCPP 2.x)
  //! One row per (component, instance, EVSE, connector, variable, instance, attribute): an upsert.
  virtual void upsert_device_variable(const StationId &station, const DeviceVariable &v, Timestamp at) = 0;
  virtual std::vector<DeviceVariable> device_variables(const StationId &station) = 0;
  //! Records a report part; returns the previous last seqNo of that report (-1 for its first part).
  virtual std::int64_t record_report_part(const StationId &station, const ReportPart &part, Timestamp at) = 0;
  virtual bool has_complete_report(const StationId &station) = 0;

  // Per-station compatibility settings (migration 0006)
  //! The station's settings; all off when none were set.
  virtual StationCompat station_compat(const StationId &station) = 0;
  virtual void set_station_compat(const StationId &station, const StationCompat &compat, Timestamp at) = 0;
  //! Every station with at least one setting on.
  virtual std::vector<std::pair<StationId, StationCompat>> stations_with_compat() = 0;
};

} // namespace gridlane::domain
