#pragma once
//! Hosted diagnostics uploads and their files, monitors, monitoring events and customer
//! information (domain/diagnostics.hpp). Lists are per station, newest first, paged.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "gridlane/domain/diagnostics.hpp"

namespace gridlane::domain {

class DiagnosticsStore {
public:
  virtual ~DiagnosticsStore() = default;

  virtual std::int64_t insert_diagnostics_upload(const DiagnosticsUpload &u) = 0;
  virtual std::optional<DiagnosticsUpload> diagnostics_upload_by_token(std::string_view token_hash) = 0;
  //! Spends the upload's token: true if it was unspent (exactly one caller wins).
  virtual bool claim_diagnostics_upload(std::int64_t id, Timestamp at) = 0;
  //! Gives a claimed token back (the file could not be kept).
  virtual void release_diagnostics_upload(std::int64_t id) = 0;
  virtual std::int64_t insert_diagnostics_file(const DiagnosticsFile &f) = 0;
  virtual std::optional<DiagnosticsFile> diagnostics_file(std::int64_t id) = 0;
  virtual std::vector<DiagnosticsFile> diagnostics_files(const StationId &station, std::size_t limit,
                                                         std::size_t offset) = 0;
  virtual std::int64_t count_diagnostics_files(const StationId &station) = 0;

  //! A monitor of the station, replacing the one of the same id.
  virtual void upsert_station_monitor(const StationMonitor &m) = 0;
  virtual std::vector<StationMonitor> station_monitors(const StationId &station, std::size_t limit,
                                                       std::size_t offset) = 0;
  virtual std::int64_t count_station_monitors(const StationId &station) = 0;

  virtual std::int64_t insert_monitoring_event(const MonitoringEvent &e) = 0;
  virtual std::vector<MonitoringEvent> monitoring_events(const StationId &station, std::size_t limit,
                                                         std::size_t offset) = 0;
  virtual std::int64_t count_monitoring_events(const StationId &station) = 0;

  virtual std::int64_t insert_customer_information(const CustomerInformationPart &p) = 0;
  virtual std::vector<CustomerInformationPart> customer_information(const StationId &station, std::size_t limit,
                                                                    std::size_t offset) = 0;
  virtual std::int64_t count_customer_information(const StationId &station) = 0;
};

} // namespace gridlane::domain
