// Firmware files and the firmware and security reports of stations (docs/operations.md "Firmware").
#include "gridlane/services/firmware_service.hpp"

#include <fstream>
#include <system_error>

#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"

namespace gridlane::services {
using namespace gridlane::domain;
namespace fs = std::filesystem;

namespace {

bool plain_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

} // namespace

std::optional<ServiceError> check_upload(const FirmwareUpload &u) {
  if (u.file_name.empty() || u.file_name.size() > 128 || u.file_name.front() == '.')
    return ServiceError::invalid("'file_name' is 1 to 128 characters and does not start with '.'", "file_name");
  for (char c : u.file_name)
    if (!plain_name_char(c))
      return ServiceError::invalid("'file_name' may hold letters, digits, '.', '_' and '-' only", "file_name");
  if (u.vendor.empty() || u.vendor.size() > 50)
    return ServiceError::invalid("'vendor' is 1 to 50 characters", "vendor");
  if (u.version.empty() || u.version.size() > 50)
    return ServiceError::invalid("'version' is 1 to 50 characters", "version");
  if (u.models.size() > 100) return ServiceError::invalid("at most 100 models", "models");
  for (const auto &m : u.models)
    if (m.empty() || m.size() > 20) return ServiceError::invalid("each model is 1 to 20 characters", "models");
  // OCPP 2.0.1 FirmwareType: signature at most 800, signingCertificate at most 5500 characters.
  if (u.signature && (u.signature->empty() || u.signature->size() > 800))
    return ServiceError::invalid("'signature' is 1 to 800 characters (base64)", "signature");
  if (u.signing_certificate && (u.signing_certificate->empty() || u.signing_certificate->size() > 5500))
    return ServiceError::invalid("'signing_certificate' is 1 to 5500 characters (PEM)", "signing_certificate");
  return std::nullopt;
}

FirmwareService::FirmwareService(StoreExecutor &store, const core::Clock &clock, EventBus &bus, fs::path directory)
    : store_(store), clock_(clock), bus_(bus), directory_(std::move(directory)) {}

void FirmwareService::firmware_status(const StationContext &who, FirmwareState status,
                                      std::optional<std::int64_t> request_id, std::string action, std::string payload,
                                      Reply<Done> reply) {
  auto now = clock_.now();
  FirmwareStatusRecord record{who.id, status, request_id, now};
  run_unit<Done>(
      store_,
      [record, now, action = std::move(action), payload = std::move(payload)](Repository &r) {
        r.record_event(StationEvent{record.station, action, payload, now});
        r.record_firmware_status(record);
        return Done{};
      },
      [this, record, reply = std::move(reply)](Outcome<Done> o) {
        if (o.ok())
          bus_.publish(FirmwareStatusChanged{record.station, record.received_at, record.status, record.request_id});
        reply(std::move(o));
      });
}

void FirmwareService::security_event(const StationContext &who, std::string type, std::optional<Timestamp> occurred_at,
                                     std::optional<std::string> tech_info, std::string payload, Reply<Done> reply) {
  auto now = clock_.now();
  SecurityEventRecord e;
  e.station = who.id;
  e.type = std::move(type);
  e.occurred_at = occurred_at.value_or(now);
  e.tech_info = std::move(tech_info);
  e.received_at = now;
  run_unit<Done>(
      store_,
      [e, payload = std::move(payload)](Repository &r) {
        r.record_event(StationEvent{e.station, "SecurityEventNotification", payload, e.received_at});
        r.insert_security_event(e);
        return Done{};
      },
      [this, e, reply = std::move(reply)](Outcome<Done> o) {
        if (o.ok()) bus_.publish(SecurityEventReported{e.station, e.received_at, e.type, e.tech_info});
        reply(std::move(o));
      });
}

void FirmwareService::set_public_base(std::string base) {
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  std::lock_guard lock{mutex_};
  public_base_ = std::move(base);
}

std::string FirmwareService::public_base() const {
  std::lock_guard lock{mutex_};
  return public_base_;
}

std::string FirmwareService::url_of(const FirmwareFile &f) const {
  return public_base() + "/firmware/" + std::to_string(f.id) + "/" + f.file_name;
}

void FirmwareService::add_file(FirmwareUpload upload, std::string bytes, std::string uploaded_by,
                               Reply<Result<FirmwareFile>> reply) {
  if (auto why = check_upload(upload)) return reply(Outcome<Result<FirmwareFile>>::success(*why));
  if (bytes.empty()) return reply(Outcome<Result<FirmwareFile>>::success(ServiceError::invalid("the file is empty")));
  FirmwareFile f;
  f.file_name = std::move(upload.file_name);
  f.vendor = std::move(upload.vendor);
  f.models = std::move(upload.models);
  f.version = std::move(upload.version);
  f.signature = std::move(upload.signature);
  f.signing_certificate = std::move(upload.signing_certificate);
  f.size_bytes = static_cast<std::int64_t>(bytes.size());
  f.sha256 = core::sha256_hex(bytes);
  f.uploaded_by = std::move(uploaded_by);
  f.uploaded_at = clock_.now();
  // A random name: two uploads of the same bytes are two files, each deleted on its own.
  f.stored_name = f.sha256.substr(0, 16) + "-" + core::random_token("fw").substr(3, 16) + ".bin";
  std::error_code ec;
  fs::create_directories(directory_, ec);
  const auto path = directory_ / f.stored_name;
  const auto part = directory_ / (f.stored_name + ".part");
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      fs::remove(part, ec);
      core::log(core::Component::Services).error("firmware: cannot write {}", part.string());
      return reply(Outcome<Result<FirmwareFile>>::failure("cannot write the firmware file"));
    }
  }
  fs::rename(part, path, ec);
  if (ec) {
    fs::remove(part, ec);
    return reply(Outcome<Result<FirmwareFile>>::failure("cannot store the firmware file"));
  }
  run_unit<Result<FirmwareFile>>(
      store_,
      [f](Repository &r) mutable -> Result<FirmwareFile> {
        f.id = r.insert_firmware_file(f);
        return f;
      },
      [path, reply = std::move(reply)](Outcome<Result<FirmwareFile>> o) {
        if (!o.ok()) {
          std::error_code rm;
          fs::remove(path, rm); // not recorded: the bytes go too
        }
        reply(std::move(o));
      });
}

void FirmwareService::delete_file(std::int64_t id, Reply<Result<bool>> reply) {
  auto stored = std::make_shared<std::optional<std::string>>();
  run_unit<Result<bool>>(
      store_,
      [id, stored](Repository &r) -> Result<bool> {
        auto f = r.firmware_file(id);
        if (!f) return ServiceError::not_found("no such firmware file");
        for (auto state : {CampaignState::Running, CampaignState::Paused, CampaignState::Draft})
          for (const auto &c : r.campaigns_in(state))
            if (c.file_id == id)
              return ServiceError::conflict("campaign " + std::to_string(c.id) + " (" +
                                            std::string(name_of(campaign_states, c.state)) +
                                            ") uses this file; cancel it first");
        r.delete_firmware_file(id);
        *stored = f->stored_name;
        return true;
      },
      [this, stored, reply = std::move(reply)](Outcome<Result<bool>> o) {
        if (o.ok() && *stored) {
          std::error_code ec;
          fs::remove(directory_ / **stored, ec);
        }
        reply(std::move(o));
      });
}

} // namespace gridlane::services
