#include "gridlane/services/diagnostics_service.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>

#include "gridlane/core/digest.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"
#include "gridlane/services/multipart.hpp"

namespace gridlane::services {
namespace fs = std::filesystem;
using domain::ServiceError;

namespace {

constexpr std::string_view token_prefix = "dlu";

//! A token as random_token makes it: "dlu_" + 43 base64url characters. Anything else is unknown
//! without asking the store.
bool well_formed_token(std::string_view t) {
  if (t.size() != token_prefix.size() + 1 + 43 || !t.starts_with("dlu_")) return false;
  for (char c : t.substr(4)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

auto &log() {
  return core::log(core::Component::Services);
}

enum class Claim { Claimed, Unknown, Expired, Spent };

} // namespace

std::string safe_file_name(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (char c : name) {
    if (out.size() == 100) break;
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    out += ok ? c : '_';
  }
  while (!out.empty() && out.front() == '.')
    out.erase(out.begin());
  return out.empty() ? "upload.log" : out;
}

DiagnosticsService::DiagnosticsService(domain::StoreExecutor &store, const core::Clock &clock, domain::EventBus &bus,
                                       BlockingRunner files, DiagnosticsOptions options)
    : store_(store), clock_(clock), bus_(bus), files_(std::move(files)), options_(std::move(options)) {}

void DiagnosticsService::set_public_url(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  std::lock_guard lock(mutex_);
  public_url_ = std::move(url);
}

std::optional<ServiceError> DiagnosticsService::host_upload(domain::Repository &r, const domain::StationId &station,
                                                            domain::Command &command) const {
  std::string *location = nullptr;
  auto type = domain::LogType::DiagnosticsLog;
  if (auto *d = std::get_if<domain::commands::GetDiagnostics>(&command)) location = &d->location;
  if (auto *l = std::get_if<domain::commands::GetLog>(&command)) {
    location = &l->location;
    type = l->log_type;
  }
  if (!location || !location->empty()) return std::nullopt;
  std::string base;
  {
    std::lock_guard lock(mutex_);
    base = public_url_;
  }
  if (base.empty()) return ServiceError::invalid("'location' is required (no upload endpoint is served)", "location");
  auto token = core::random_token(token_prefix);
  domain::DiagnosticsUpload u;
  u.station = station;
  u.token_hash = core::token_hash(token);
  u.log_type = type;
  u.created_at = clock_.now();
  u.expires_at = u.created_at + options_.token_ttl;
  r.insert_diagnostics_upload(u);
  *location = base + std::string(domain::diagnostics_upload_path) + token;
  return std::nullopt;
}

void DiagnosticsService::receive(UploadRequest request, std::function<void(UploadAnswer)> done) {
  if (request.method != "PUT" && request.method != "POST")
    return done(UploadAnswer{405, "an upload is a PUT or a POST"});
  if (!well_formed_token(request.token)) return done(UploadAnswer{404, "no such upload"});
  // What to keep: a PUT's body; a multipart POST's file part; any other POST's body.
  std::size_t offset = 0;
  std::size_t length = request.body.size();
  std::string name = request.path_name;
  std::string type = request.content_type.empty() ? "application/octet-stream" : request.content_type;
  if (request.method == "POST" && multipart_boundary(request.content_type)) {
    auto part = multipart_file(request.content_type, request.body);
    if (!part) return done(UploadAnswer{400, part.error().message});
    offset = part->offset;
    length = part->length;
    if (!part->file_name.empty()) name = part->file_name;
    type = part->content_type;
  }
  const int ok_status = request.method == "PUT" ? 201 : 200;
  auto claimed = std::make_shared<domain::DiagnosticsUpload>();
  run_unit<Claim>(
      store_,
      [hash = core::token_hash(request.token), now = clock_.now(), claimed](domain::Repository &r) {
        auto u = r.diagnostics_upload_by_token(hash);
        if (!u) return Claim::Unknown;
        if (u->used_at) return Claim::Spent;
        if (now >= u->expires_at) return Claim::Expired;
        if (!r.claim_diagnostics_upload(u->id, now)) return Claim::Spent;
        *claimed = *u;
        return Claim::Claimed;
      },
      [this, claimed, name = safe_file_name(name), type, body = std::move(request.body), offset, length, ok_status,
       done](Outcome<Claim> o) mutable {
        if (!o.ok()) return done(UploadAnswer{500, "could not check the upload"});
        switch (o.value()) {
        case Claim::Unknown: return done(UploadAnswer{404, "no such upload"});
        case Claim::Expired: return done(UploadAnswer{403, "the upload URL has expired"});
        case Claim::Spent: return done(UploadAnswer{403, "the upload URL has been used"});
        case Claim::Claimed: break;
        }
        store_file(*claimed, name, type, std::move(body), offset, length, ok_status, std::move(done));
      });
}

void DiagnosticsService::store_file(const domain::DiagnosticsUpload &upload, const std::string &file_name,
                                    const std::string &content_type, std::string body, std::size_t offset,
                                    std::size_t length, int ok_status, std::function<void(UploadAnswer)> done) {
  // Several requests share `done` through the runner's two paths; exactly one of them calls it.
  auto finish = std::make_shared<std::function<void(UploadAnswer)>>(std::move(done));
  auto give_back = [this, id = upload.id, finish](const UploadAnswer &a) {
    run_unit<Done>(
        store_,
        [id](domain::Repository &r) {
          r.release_diagnostics_upload(id);
          return Done{};
        },
        [finish, a](const Outcome<Done> &) { (*finish)(a); });
  };
  auto work = [this, upload, file_name, content_type, body = std::move(body), offset, length, ok_status, finish,
               give_back]() {
    domain::DiagnosticsFile f;
    f.upload_id = upload.id;
    f.station = upload.station;
    f.log_type = upload.log_type;
    f.file_name = file_name;
    f.content_type = content_type;
    f.size_bytes = static_cast<std::int64_t>(length);
    f.stored_path = safe_file_name(upload.station.str()) + "/" + std::to_string(upload.id) + "-" + file_name;
    try {
      const std::string_view data(body.data() + offset, length);
      f.sha256 = core::sha256_hex(data);
      const fs::path path = fs::path(options_.dir) / f.stored_path;
      fs::create_directories(path.parent_path());
      const fs::path partial = path.string() + ".part";
      {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out.write(data.data(), static_cast<std::streamsize>(data.size()));
        out.flush();
        if (!out) throw std::runtime_error("could not write " + partial.string());
      }
      fs::rename(partial, path);
    } catch (const std::exception &e) {
      log().error("[{}] diagnostics upload {}: {}", upload.station.str(), upload.id, e.what());
      return give_back(UploadAnswer{500, "could not store the file"});
    }
    f.received_at = clock_.now();
    run_unit<Done>(
        store_,
        [f](domain::Repository &r) {
          r.insert_diagnostics_file(f);
          return Done{};
        },
        [finish, ok_status, f](const Outcome<Done> &o) {
          if (!o.ok()) {
            log().error("[{}] diagnostics file not recorded: {}", f.station.str(), o.error());
            return (*finish)(UploadAnswer{500, "could not record the file"});
          }
          log().info("[{}] diagnostics file {} received: {} bytes, sha256 {}", f.station.str(), f.file_name,
                     f.size_bytes, f.sha256);
          (*finish)(UploadAnswer{ok_status, "stored " + std::to_string(f.size_bytes) + " bytes, sha256 " + f.sha256});
        });
  };
  files_(std::move(work), [give_back](core::JobRefusal why) {
    give_back(UploadAnswer{503, "busy, try again later (" + std::string(core::to_string(why)) + ")"});
  });
}

void DiagnosticsService::read_file(const domain::DiagnosticsFile &file,
                                   std::function<void(std::optional<std::string>)> done) {
  auto finish = std::make_shared<std::function<void(std::optional<std::string>)>>(std::move(done));
  files_(
      [this, file, finish]() {
        std::optional<std::string> bytes;
        try {
          std::ifstream in(fs::path(options_.dir) / file.stored_path, std::ios::binary);
          if (in) {
            std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (static_cast<std::int64_t>(data.size()) == file.size_bytes && core::sha256_hex(data) == file.sha256)
              bytes = std::move(data);
            else
              log().error("[{}] diagnostics file {} no longer matches its record", file.station.str(), file.id);
          }
        } catch (const std::exception &e) {
          log().error("[{}] diagnostics file {}: {}", file.station.str(), file.id, e.what());
        }
        (*finish)(std::move(bytes));
      },
      [finish](core::JobRefusal) { (*finish)(std::nullopt); });
}

void DiagnosticsService::events(const StationContext &who, std::vector<domain::MonitoringEvent> events,
                                std::string payload, Reply<Done> reply) {
  const auto now = clock_.now();
  for (auto &e : events) {
    e.station = who.id;
    e.received_at = now;
  }
  run_unit<std::vector<domain::MonitoringEvent>>(
      store_,
      [who, events = std::move(events), payload = std::move(payload), now](domain::Repository &r) mutable {
        r.record_event(domain::StationEvent{who.id, "NotifyEvent", payload, now});
        for (auto &e : events)
          e.id = r.insert_monitoring_event(e);
        return events;
      },
      [this, reply = std::move(reply)](Outcome<std::vector<domain::MonitoringEvent>> o) {
        if (!o.ok()) return reply(Outcome<Done>::failure(o.error()));
        // Published after the commit: a subscriber reading the store finds the event.
        for (const auto &e : o.value()) {
          domain::MonitoringEventReported ev;
          ev.station = e.station;
          ev.at = e.occurred_at;
          ev.event_id = e.event_id;
          ev.trigger = e.trigger;
          ev.component = e.where.component;
          if (e.where.evse_id) ev.evse_id = static_cast<int>(*e.where.evse_id);
          ev.variable = e.where.variable;
          ev.actual_value = e.actual_value;
          ev.cleared = e.cleared;
          ev.tech_code = e.tech_code;
          bus_.publish(ev);
        }
        reply(Outcome<Done>::success(Done{}));
      });
}

void DiagnosticsService::monitoring_report(const StationContext &who, std::vector<domain::StationMonitor> monitors,
                                           std::string payload, Reply<Done> reply) {
  const auto now = clock_.now();
  run_unit<Done>(
      store_,
      [who, monitors = std::move(monitors), payload = std::move(payload), now](domain::Repository &r) mutable {
        r.record_event(domain::StationEvent{who.id, "NotifyMonitoringReport", payload, now});
        for (auto &m : monitors) {
          m.station = who.id;
          m.reported_at = now;
          r.upsert_station_monitor(m);
        }
        return Done{};
      },
      std::move(reply));
}

void DiagnosticsService::customer_information(const StationContext &who, domain::CustomerInformationPart part,
                                              std::string payload, Reply<Done> reply) {
  const auto now = clock_.now();
  part.station = who.id;
  part.received_at = now;
  run_unit<Done>(
      store_,
      [who, part = std::move(part), payload = std::move(payload), now](domain::Repository &r) {
        r.record_event(domain::StationEvent{who.id, "NotifyCustomerInformation", payload, now});
        r.insert_customer_information(part);
        return Done{};
      },
      std::move(reply));
}

} // namespace gridlane::services
