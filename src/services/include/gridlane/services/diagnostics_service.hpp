#pragma once
//! Diagnostics and monitoring (docs/operations.md "Diagnostics and monitoring"): the log uploads
//! Gridlane hosts for GetDiagnostics (1.6) and GetLog (2.x), and what 2.x stations report of
//! block N (NotifyEvent, NotifyMonitoringReport, NotifyCustomerInformation).
//!
//! A GetDiagnostics/GetLog command without a location gets, in the API's unit of work, a URL of
//! Gridlane's upload endpoint carrying a fresh one-time token (only its hash is stored; it
//! expires after token_ttl). The endpoint (a plain mount, serve_ops.cpp) hands each PUT or POST
//! to receive(): the token is checked and spent, the file written under `dir` on the blocking
//! pool with its size and SHA-256, and recorded.
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/commands.hpp"
#include "gridlane/domain/diagnostics.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/services/async.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::services {

struct DiagnosticsOptions {
  std::string dir;                      //!< where received files are kept (created when missing)
  std::chrono::seconds token_ttl{3600}; //!< how long an upload URL may be used
};

//! One request to the upload endpoint, as the plain mount saw it.
struct UploadRequest {
  std::string method;       //!< PUT or POST
  std::string token;        //!< the path segment after /diagnostics/upload/
  std::string path_name;    //!< a further segment, taken as the file's name (PUT .../TOKEN/name.log)
  std::string content_type; //!< the request's Content-Type header
  std::string body;
};

struct UploadAnswer {
  int status = 200; //!< 200/201 stored; 400 bad body; 403 expired or spent; 404 unknown token; 405; 500
  std::string message;
};

class DiagnosticsService {
public:
  //! `files` runs blocking file I/O (never a network or store thread).
  DiagnosticsService(domain::StoreExecutor &store, const core::Clock &clock, domain::EventBus &bus,
                     BlockingRunner files, DiagnosticsOptions options);

  //! The base of upload URLs handed to stations ("http://host:port"); set once the listener is
  //! bound, before serving. Without one, hosted uploads are refused.
  void set_public_url(std::string url);
  const DiagnosticsOptions &options() const { return options_; }

  //! In a unit of work (the API's, before the command is stored): a GetDiagnostics/GetLog whose
  //! location is empty gets a hosted upload; other commands are left alone.
  std::optional<domain::ServiceError> host_upload(domain::Repository &r, const domain::StationId &station,
                                                  domain::Command &command) const;

  //! The upload endpoint's request; `done` runs once, on any thread.
  void receive(UploadRequest request, std::function<void(UploadAnswer)> done);

  //! Reads a stored file on the blocking pool: its bytes, or nullopt when it is gone or altered
  //! (its size or SHA-256 no longer what was recorded).
  void read_file(const domain::DiagnosticsFile &file, std::function<void(std::optional<std::string>)> done);

  // What 2.x stations report (the v2 adapter); each kept verbatim as a station event too.
  void events(const StationContext &who, std::vector<domain::MonitoringEvent> events, std::string payload,
              Reply<Done> reply);
  void monitoring_report(const StationContext &who, std::vector<domain::StationMonitor> monitors, std::string payload,
                         Reply<Done> reply);
  void customer_information(const StationContext &who, domain::CustomerInformationPart part, std::string payload,
                            Reply<Done> reply);

private:
  void store_file(const domain::DiagnosticsUpload &upload, const std::string &file_name,
                  const std::string &content_type, std::string body, std::size_t offset, std::size_t length,
                  int ok_status, std::function<void(UploadAnswer)> done);

  domain::StoreExecutor &store_;
  const core::Clock &clock_;
  domain::EventBus &bus_;
  BlockingRunner files_;
  DiagnosticsOptions options_;
  mutable std::mutex mutex_;
  std::string public_url_; //!< guarded by mutex_
};

//! A station's file name made safe to keep: its last path segment, [A-Za-z0-9._-] only (others
//! become '_'), at most 100 characters, never starting with '.'; "upload.log" when nothing is left.
std::string safe_file_name(std::string_view name);

} // namespace gridlane::services
