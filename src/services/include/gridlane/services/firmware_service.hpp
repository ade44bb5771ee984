#pragma once
//! Firmware (docs/operations.md "Firmware"): the files operators upload and stations download,
//! and what stations report about updates (FirmwareStatusNotification) and security
//! (SecurityEventNotification), recorded per station and published as FirmwareStatusChanged and
//! SecurityEventReported. Shared by the API and the OCPP adapters; campaigns are
//! FirmwareCampaigns (firmware_campaigns.hpp).
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/firmware.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/services/async.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::services {

//! What the OCPP adapters hand over (1.6 and 2.x alike).
class FirmwareReports {
public:
  virtual ~FirmwareReports() = default;
  //! A FirmwareStatusNotification (2.x: with its requestId); `payload` is kept as the station's event.
  virtual void firmware_status(const StationContext &who, domain::FirmwareState status,
                               std::optional<std::int64_t> request_id, std::string action, std::string payload,
                               Reply<Done> reply) = 0;
  //! A SecurityEventNotification.
  virtual void security_event(const StationContext &who, std::string type, std::optional<domain::Timestamp> occurred_at,
                              std::optional<std::string> tech_info, std::string payload, Reply<Done> reply) = 0;
};

//! A file's metadata as an upload names it.
struct FirmwareUpload {
  std::string file_name;
  std::string vendor;
  std::vector<std::string> models;
  std::string version;
  std::optional<std::string> signature;
  std::optional<std::string> signing_certificate;
};

//! Checks an upload's names: file_name [A-Za-z0-9._-] (1-128, not starting with '.'), vendor and
//! version 1-50 characters (OCPP's CiString50 of a BootNotification), models 1-20 characters each.
std::optional<domain::ServiceError> check_upload(const FirmwareUpload &u);

class FirmwareService final : public FirmwareReports {
public:
  FirmwareService(domain::StoreExecutor &store, const core::Clock &clock, domain::EventBus &bus,
                  std::filesystem::path directory);

  void firmware_status(const StationContext &who, domain::FirmwareState status, std::optional<std::int64_t> request_id,
                       std::string action, std::string payload, Reply<Done> reply) override;
  void security_event(const StationContext &who, std::string type, std::optional<domain::Timestamp> occurred_at,
                      std::optional<std::string> tech_info, std::string payload, Reply<Done> reply) override;

  //! Where files are kept (created when missing).
  const std::filesystem::path &directory() const { return directory_; }
  //! The base of download URLs ("http://host:port"), set once the listener is bound.
  void set_public_base(std::string base);
  std::string public_base() const;
  //! The URL a station downloads `f` from: <base>/firmware/<id>/<file name>.
  std::string url_of(const domain::FirmwareFile &f) const;

  //! Writes the bytes to the directory, hashes them and records the file. Blocking (disk and
  //! SHA-256 of up to [firmware] max_file_mb): call on a worker, never a network or store thread.
  void add_file(FirmwareUpload upload, std::string bytes, std::string uploaded_by,
                Reply<domain::Result<domain::FirmwareFile>> reply);
  //! Deletes the record and the bytes; nullopt error when gone. Refused (409) while a running or
  //! paused campaign uses it.
  void delete_file(std::int64_t id, Reply<domain::Result<bool>> reply);
  //! The stored path of a file.
  std::filesystem::path path_of(const domain::FirmwareFile &f) const { return directory_ / f.stored_name; }

private:
  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  domain::EventBus &bus_;
  std::filesystem::path directory_;
  mutable std::mutex mutex_;
  std::string public_base_;
};

} // namespace gridlane::services
