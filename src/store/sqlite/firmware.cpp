// Firmware (migration 0029): uploaded files, each station's FirmwareStatusNotifications and
// SecurityEventNotifications, campaigns and their stations. Enums are written by their name
// tables; a campaign's filter and a file's models are JSON columns only this codec reads.
#include <boost/json.hpp>

#include "gridlane/domain/firmware.hpp"
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;
namespace json = boost::json;

namespace {

json::value parse_or_null(const std::string &text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? json::value{} : v;
}

std::string models_text(const std::vector<std::string> &models) {
  json::array a;
  for (const auto &m : models)
    a.emplace_back(m);
  return json::serialize(a);
}
std::vector<std::string> models_of(const std::string &text) {
  std::vector<std::string> out;
  auto v = parse_or_null(text);
  if (!v.is_array()) return out;
  for (const auto &m : v.get_array())
    if (m.is_string()) out.emplace_back(m.get_string());
  return out;
}

std::string filter_text(const CampaignFilter &f) {
  json::object o;
  if (f.vendor) o["vendor"] = *f.vendor;
  if (f.model) o["model"] = *f.model;
  if (f.version) o["version"] = *f.version;
  if (f.location_id) o["location_id"] = *f.location_id;
  if (!f.stations.empty()) {
    json::array a;
    for (const auto &s : f.stations)
      a.emplace_back(s.str());
    o["stations"] = std::move(a);
  }
  return json::serialize(o);
}
CampaignFilter filter_of(const std::string &text) {
  CampaignFilter f;
  auto v = parse_or_null(text);
  if (!v.is_object()) return f;
  const auto &o = v.get_object();
  auto str = [&o](const char *key) -> std::optional<std::string> {
    const auto *x = o.if_contains(key);
    if (!x || !x->is_string()) return std::nullopt;
    return std::string(x->get_string());
  };
  f.vendor = str("vendor");
  f.model = str("model");
  f.version = str("version");
  f.location_id = str("location_id");
  if (const auto *a = o.if_contains("stations"); a && a->is_array())
    for (const auto &s : a->get_array())
      if (s.is_string()) f.stations.push_back(StationId::unchecked(std::string(s.get_string())));
  return f;
}

constexpr std::string_view file_columns =
    "id, file_name, stored_name, vendor, models, version, size_bytes, sha256, signature, signing_certificate, "
    "uploaded_by, uploaded_at";
FirmwareFile read_file(const Statement &s) {
  FirmwareFile f;
  f.id = s.int64(0);
  f.file_name = s.text(1);
  f.stored_name = s.text(2);
  f.vendor = s.text(3);
  f.models = models_of(s.text(4));
  f.version = s.text(5);
  f.size_bytes = s.int64(6);
  f.sha256 = s.text(7);
  f.signature = s.opt_text(8);
  f.signing_certificate = s.opt_text(9);
  f.uploaded_by = s.text(10);
  f.uploaded_at = from_unix_ms(s.int64(11));
  return f;
}

constexpr std::string_view campaign_columns =
    "id, name, file_id, filter, canary_percent, max_concurrent, failure_threshold, retries, retry_interval_s, state, "
    "pause_reason, created_by, created_at, started_at, finished_at, failures_acknowledged";
Campaign read_campaign(const Statement &s) {
  Campaign c;
  c.id = s.int64(0);
  c.name = s.text(1);
  c.file_id = s.int64(2);
  c.filter = filter_of(s.text(3));
  c.canary_percent = static_cast<int>(s.int64(4));
  c.max_concurrent = static_cast<int>(s.int64(5));
  c.failure_threshold = static_cast<int>(s.int64(6));
  if (auto v = s.opt_int64(7)) c.retries = static_cast<int>(*v);
  if (auto v = s.opt_int64(8)) c.retry_interval_s = static_cast<int>(*v);
  c.state = value_of(campaign_states, s.text(9)).value_or(CampaignState::Paused);
  c.pause_reason = s.opt_text(10);
  c.created_by = s.text(11);
  c.created_at = from_unix_ms(s.int64(12));
  c.started_at = ts(s.opt_int64(13));
  c.finished_at = ts(s.opt_int64(14));
  c.failures_acknowledged = static_cast<int>(s.int64(15));
  return c;
}

constexpr std::string_view campaign_station_columns =
    "campaign_id, station_id, position, canary, state, command_id, firmware_status, detail, sent_at, updated_at";
CampaignStation read_campaign_station(const Statement &s) {
  CampaignStation c;
  c.campaign_id = s.int64(0);
  c.station = StationId::unchecked(s.text(1));
  c.position = static_cast<int>(s.int64(2));
  c.canary = s.int64(3) != 0;
  c.state = value_of(campaign_station_states, s.text(4)).value_or(CampaignStationState::Failed);
  c.command_id = s.opt_int64(5);
  if (auto t = s.opt_text(6)) c.firmware_status = value_of(firmware_states, *t);
  c.detail = s.opt_text(7);
  c.sent_at = ts(s.opt_int64(8));
  c.updated_at = from_unix_ms(s.int64(9));
  return c;
}

} // namespace

std::int64_t SqliteRepository::insert_firmware_file(const FirmwareFile &f) {
  auto st = db_.prepare("INSERT INTO firmware_files (file_name, stored_name, vendor, models, version, size_bytes, "
                        "sha256, signature, signing_certificate, uploaded_by, uploaded_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  st.bind(1, f.file_name)
      .bind(2, f.stored_name)
      .bind(3, f.vendor)
      .bind(4, models_text(f.models))
      .bind(5, f.version)
      .bind(6, f.size_bytes)
      .bind(7, f.sha256)
      .bind(8, f.signature)
      .bind(9, f.signing_certificate)
      .bind(10, f.uploaded_by)
      .bind(11, to_unix_ms(f.uploaded_at));
  st.run();
  return db_.last_insert_rowid();
}

std::optional<FirmwareFile> SqliteRepository::firmware_file(std::int64_t id) {
  auto st = db_.prepare(select(file_columns, "FROM firmware_files WHERE id = ?1"));
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_file(st);
}

std::vector<FirmwareFile> SqliteRepository::firmware_files() {
  auto st = db_.prepare(select(file_columns, "FROM firmware_files ORDER BY id"));
  std::vector<FirmwareFile> out;
  while (st.step())
    out.push_back(read_file(st));
  return out;
}

void SqliteRepository::set_firmware_signature(std::int64_t id, const std::optional<std::string> &signature,
                                              const std::optional<std::string> &signing_certificate) {
  auto st = db_.prepare("UPDATE firmware_files SET signature = ?2, signing_certificate = ?3 WHERE id = ?1");
  st.bind(1, id).bind(2, signature).bind(3, signing_certificate);
  st.run();
}

bool SqliteRepository::delete_firmware_file(std::int64_t id) {
  auto st = db_.prepare("DELETE FROM firmware_files WHERE id = ?1");
  st.bind(1, id);
  st.run();
  return sqlite3_changes(db_.handle()) > 0;
}

void SqliteRepository::record_firmware_status(const FirmwareStatusRecord &r) {
  auto st = db_.prepare(
      "INSERT INTO firmware_status_history (station_id, status, request_id, received_at) VALUES (?1, ?2, ?3, ?4)");
  st.bind(1, r.station.str())
      .bind(2, name_of(firmware_states, r.status))
      .bind(3, r.request_id)
      .bind(4, to_unix_ms(r.received_at));
  st.run();
}

std::vector<FirmwareStatusRecord> SqliteRepository::firmware_statuses(const StationId &station, std::size_t limit) {
  auto st = db_.prepare("SELECT station_id, status, request_id, received_at FROM firmware_status_history "
                        "WHERE station_id = ?1 ORDER BY id DESC LIMIT ?2");
  st.bind(1, station.str()).bind(2, static_cast<std::int64_t>(limit));
  std::vector<FirmwareStatusRecord> out;
  while (st.step()) {
    FirmwareStatusRecord r;
    r.station = StationId::unchecked(st.text(0));
    r.status = value_of(firmware_states, st.text(1)).value_or(FirmwareState::Idle);
    r.request_id = st.opt_int64(2);
    r.received_at = from_unix_ms(st.int64(3));
    out.push_back(std::move(r));
  }
  return out;
}

std::int64_t SqliteRepository::insert_security_event(const SecurityEventRecord &e) {
  auto st = db_.prepare("INSERT INTO security_events (station_id, type, occurred_at, tech_info, received_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)");
  st.bind(1, e.station.str())
      .bind(2, e.type)
      .bind(3, to_unix_ms(e.occurred_at))
      .bind(4, e.tech_info)
      .bind(5, to_unix_ms(e.received_at));
  st.run();
  return db_.last_insert_rowid();
}

std::vector<SecurityEventRecord> SqliteRepository::security_events(const StationId &station, std::size_t limit) {
  auto st = db_.prepare("SELECT id, station_id, type, occurred_at, tech_info, received_at FROM security_events "
                        "WHERE station_id = ?1 ORDER BY id DESC LIMIT ?2");
  st.bind(1, station.str()).bind(2, static_cast<std::int64_t>(limit));
  std::vector<SecurityEventRecord> out;
  while (st.step()) {
    SecurityEventRecord e;
    e.id = st.int64(0);
    e.station = StationId::unchecked(st.text(1));
    e.type = st.text(2);
    e.occurred_at = from_unix_ms(st.int64(3));
    e.tech_info = st.opt_text(4);
    e.received_at = from_unix_ms(st.int64(5));
    out.push_back(std::move(e));
  }
  return out;
}

namespace {
void bind_campaign(Statement &st, const Campaign &c) {
  st.bind(1, c.name)
      .bind(2, c.file_id)
      .bind(3, filter_text(c.filter))
      .bind(4, c.canary_percent)
      .bind(5, c.max_concurrent)
      .bind(6, c.failure_threshold)
      .bind(7, c.retries)
      .bind(8, c.retry_interval_s)
      .bind(9, name_of(campaign_states, c.state))
      .bind(10, c.pause_reason)
      .bind(11, c.created_by)
      .bind(12, to_unix_ms(c.created_at))
      .bind(13, ms(c.started_at))
      .bind(14, ms(c.finished_at))
      .bind(15, c.failures_acknowledged);
}
} // namespace

std::int64_t SqliteRepository::insert_campaign(const Campaign &c) {
  auto st = db_.prepare("INSERT INTO firmware_campaigns (name, file_id, filter, canary_percent, max_concurrent, "
                        "failure_threshold, retries, retry_interval_s, state, pause_reason, created_by, created_at, "
                        "started_at, finished_at, failures_acknowledged) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
  bind_campaign(st, c);
  st.run();
  return db_.last_insert_rowid();
}

void SqliteRepository::update_campaign(const Campaign &c) {
  auto st = db_.prepare("UPDATE firmware_campaigns SET name = ?1, file_id = ?2, filter = ?3, canary_percent = ?4, "
                        "max_concurrent = ?5, failure_threshold = ?6, retries = ?7, retry_interval_s = ?8, state = ?9, "
                        "pause_reason = ?10, created_by = ?11, created_at = ?12, started_at = ?13, finished_at = ?14, "
                        "failures_acknowledged = ?15 WHERE id = ?16");
  bind_campaign(st, c);
  st.bind(16, c.id);
  st.run();
}

std::optional<Campaign> SqliteRepository::campaign(std::int64_t id) {
  auto st = db_.prepare(select(campaign_columns, "FROM firmware_campaigns WHERE id = ?1"));
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_campaign(st);
}

std::vector<Campaign> SqliteRepository::campaigns() {
  auto st = db_.prepare(select(campaign_columns, "FROM firmware_campaigns ORDER BY id"));
  std::vector<Campaign> out;
  while (st.step())
    out.push_back(read_campaign(st));
  return out;
}

std::vector<Campaign> SqliteRepository::campaigns_in(CampaignState state) {
  auto st = db_.prepare(select(campaign_columns, "FROM firmware_campaigns WHERE state = ?1 ORDER BY id"));
  st.bind(1, name_of(campaign_states, state));
  std::vector<Campaign> out;
  while (st.step())
    out.push_back(read_campaign(st));
  return out;
}

void SqliteRepository::put_campaign_station(const CampaignStation &s) {
  auto st = db_.prepare("INSERT OR REPLACE INTO firmware_campaign_stations (campaign_id, station_id, position, "
                        "canary, state, command_id, firmware_status, detail, sent_at, updated_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  std::optional<std::string_view> status;
  if (s.firmware_status) status = name_of(firmware_states, *s.firmware_status);
  st.bind(1, s.campaign_id)
      .bind(2, s.station.str())
      .bind(3, s.position)
      .bind(4, s.canary ? 1 : 0)
      .bind(5, name_of(campaign_station_states, s.state))
      .bind(6, s.command_id)
      .bind(7, status)
      .bind(8, s.detail)
      .bind(9, ms(s.sent_at))
      .bind(10, to_unix_ms(s.updated_at));
  st.run();
}

std::vector<CampaignStation> SqliteRepository::campaign_stations(std::int64_t campaign_id) {
  auto st = db_.prepare(
      select(campaign_station_columns, "FROM firmware_campaign_stations WHERE campaign_id = ?1 ORDER BY position"));
  st.bind(1, campaign_id);
  std::vector<CampaignStation> out;
  while (st.step())
    out.push_back(read_campaign_station(st));
  return out;
}

} // namespace gridlane::store::sqlite
