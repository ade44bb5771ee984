// Firmware (docs/operations.md "Firmware"): files (upload as the raw body, list, signature,
// delete), each station's firmware statuses and security events, campaigns and their progress.
#include <algorithm>

#include "gridlane/services/firmware_campaigns.hpp"
#include "gridlane/services/firmware_service.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

void Api::set_firmware(services::FirmwareService &files, services::FirmwareCampaigns *campaigns,
                       services::BlockingRunner io) {
  impl_->firmware = &files;
  impl_->campaigns = campaigns;
  impl_->firmware_io = std::move(io);
}

namespace {

json::value opt(const std::optional<std::string> &v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value opt_time(const std::optional<Timestamp> &v) {
  return v ? json::value(core::format_iso8601(*v)) : json::value(nullptr);
}

json::object file_json(const FirmwareFile &f, const services::FirmwareService &files) {
  json::array models;
  for (const auto &m : f.models)
    models.emplace_back(m);
  return json::object{{"id", f.id},
                      {"file_name", f.file_name},
                      {"vendor", f.vendor},
                      {"models", std::move(models)},
                      {"version", f.version},
                      {"size_bytes", f.size_bytes},
                      {"sha256", f.sha256},
                      {"signature", opt(f.signature)},
                      {"signing_certificate", opt(f.signing_certificate)},
                      {"url", files.url_of(f)},
                      {"uploaded_by", f.uploaded_by},
                      {"uploaded_at", core::format_iso8601(f.uploaded_at)}};
}

json::object filter_json(const CampaignFilter &f) {
  json::object o{{"vendor", opt(f.vendor)},
                 {"model", opt(f.model)},
                 {"version", opt(f.version)},
                 {"location_id", opt(f.location_id)}};
  json::array stations;
  for (const auto &s : f.stations)
    stations.emplace_back(s.str());
  o["stations"] = std::move(stations);
  return o;
}

json::object campaign_json(const Campaign &c, const std::vector<CampaignStation> &stations) {
  json::object progress;
  for (const auto &[state, name] : campaign_station_states)
    progress[name] = 0;
  int canaries = 0;
  for (const auto &s : stations) {
    progress[name_of(campaign_station_states, s.state)] =
        progress[name_of(campaign_station_states, s.state)].as_int64() + 1;
    if (s.canary) ++canaries;
  }
  progress["total"] = static_cast<std::int64_t>(stations.size());
  progress["canary"] = canaries;
  return json::object{
      {"id", c.id},
      {"name", c.name},
      {"file_id", c.file_id},
      {"filter", filter_json(c.filter)},
      {"canary_percent", c.canary_percent},
      {"max_concurrent", c.max_concurrent},
      {"failure_threshold_percent", c.failure_threshold},
      {"retries", c.retries ? json::value(*c.retries) : json::value(nullptr)},
      {"retry_interval_s", c.retry_interval_s ? json::value(*c.retry_interval_s) : json::value(nullptr)},
      {"state", name_of(campaign_states, c.state)},
      {"pause_reason", opt(c.pause_reason)},
      {"progress", std::move(progress)},
      {"created_by", c.created_by},
      {"created_at", core::format_iso8601(c.created_at)},
      {"started_at", opt_time(c.started_at)},
      {"finished_at", opt_time(c.finished_at)}};
}

json::object campaign_station_json(const CampaignStation &s) {
  return json::object{{"station_id", s.station.str()},
                      {"position", s.position},
                      {"canary", s.canary},
                      {"state", name_of(campaign_station_states, s.state)},
                      {"command_id", s.command_id ? json::value(*s.command_id) : json::value(nullptr)},
                      {"firmware_status", s.firmware_status ? json::value(name_of(firmware_states, *s.firmware_status))
                                                            : json::value(nullptr)},
                      {"detail", opt(s.detail)},
                      {"sent_at", opt_time(s.sent_at)},
                      {"updated_at", core::format_iso8601(s.updated_at)}};
}

//! The page of `all` that `page` asks for.
template <class T, class F> json::object page_of(const std::vector<T> &all, const PageRequest &page, F to_json) {
  json::array items;
  for (std::size_t i = page.offset; i < all.size() && items.size() < page.limit; ++i)
    items.push_back(to_json(all[i]));
  return page_json(std::move(items), page, static_cast<std::int64_t>(all.size()));
}

bool ready(const CtxPtr &c) {
  if (c->api->firmware) return true;
  c->fail(ServiceError::unavailable("firmware management is not running"));
  return false;
}

std::vector<std::string> split_models(const std::string &text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

} // namespace

void list_firmware_files(const CtxPtr &c) {
  if (!ready(c)) return;
  auto page = c->page();
  if (!page) return c->fail(page.error());
  const auto *files = c->api->firmware;
  c->api->unit(c, 200, [page = *page, files](Repository &r) -> Result<json::value> {
    return json::value(
        page_of(r.firmware_files(), page, [files](const FirmwareFile &f) { return file_json(f, *files); }));
  });
}

void upload_firmware_file(const CtxPtr &c) {
  if (!ready(c)) return;
  services::FirmwareUpload u;
  u.file_name = c->query_param("file_name").value_or("");
  u.vendor = c->query_param("vendor").value_or("");
  u.version = c->query_param("version").value_or("");
  if (auto models = c->query_param("models")) u.models = split_models(*models);
  u.signature = c->query_param("signature");
  if (auto why = services::check_upload(u)) return c->fail(*why);
  if (c->req.body.empty()) return c->fail(ServiceError::invalid("the request body (the file's bytes) is empty"));
  auto *files = c->api->firmware;
  auto work = [c, files, u = std::move(u)]() mutable {
    files->add_file(std::move(u), std::move(c->req.body), c->who.actor,
                    [c, files](services::Outcome<Result<FirmwareFile>> o) {
                      if (!o.ok()) return c->fail(ServiceError::internal(o.error()));
                      if (!o.value()) return c->fail(o.value().error());
                      c->reply(201, file_json(*o.value(), *files));
                    });
  };
  if (c->api->firmware_io) {
    c->api->firmware_io(std::move(work), [c](core::JobRefusal why) {
      if (why == core::JobRefusal::Failed) return c->problem(500, "internal error");
      c->problem(503, "busy; try again later", std::chrono::seconds{1});
    });
    return;
  }
  c->api->run_blocking(c, std::move(work));
}

void get_firmware_file(const CtxPtr &c) {
  if (!ready(c)) return;
  auto id = c->path_number("firmware file");
  if (!id) return c->fail(id.error());
  const auto *files = c->api->firmware;
  c->api->unit(c, 200, [id = *id, files](Repository &r) -> Result<json::value> {
    auto f = r.firmware_file(id);
    if (!f) return ServiceError::not_found("no such firmware file");
    return json::value(file_json(*f, *files));
  });
}

void patch_firmware_file(const CtxPtr &c) {
  if (!ready(c)) return;
  auto id = c->path_number("firmware file");
  if (!id) return c->fail(id.error());
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  for (const auto &[key, value] : *body)
    if (key != "signature" && key != "signing_certificate")
      return c->fail(ServiceError::invalid("only signature and signing_certificate may change", std::string(key)));
  auto signature = optional_text_member(*body, "signature", true);
  if (!signature) return c->fail(signature.error());
  auto certificate = optional_text_member(*body, "signing_certificate", true);
  if (!certificate) return c->fail(certificate.error());
  const bool has_signature = body->contains("signature");
  const bool has_certificate = body->contains("signing_certificate");
  services::FirmwareUpload check{"f", "v", {}, "1", *signature, *certificate};
  if (auto why = services::check_upload(check)) return c->fail(*why);
  const auto *files = c->api->firmware;
  c->api->unit(c, 200,
               [id = *id, files, signature = *signature, certificate = *certificate, has_signature,
                has_certificate](Repository &r) -> Result<json::value> {
                 auto f = r.firmware_file(id);
                 if (!f) return ServiceError::not_found("no such firmware file");
                 if (has_signature) f->signature = signature;
                 if (has_certificate) f->signing_certificate = certificate;
                 r.set_firmware_signature(id, f->signature, f->signing_certificate);
                 return json::value(file_json(*f, *files));
               });
}

void delete_firmware_file(const CtxPtr &c) {
  if (!ready(c)) return;
  auto id = c->path_number("firmware file");
  if (!id) return c->fail(id.error());
  c->api->firmware->delete_file(*id, [c](services::Outcome<Result<bool>> o) {
    if (!o.ok()) return c->fail(ServiceError::internal(o.error()));
    if (!o.value()) return c->fail(o.value().error());
    c->reply(204, json::value(nullptr));
  });
}

void station_firmware(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  c->api->unit(c, 200, [id = *id](Repository &r) -> Result<json::value> {
    auto s = r.station(id);
    if (!s) return ServiceError::not_found("no such station");
    auto latest = r.firmware_statuses(id, 1);
    json::object o{{"station_id", id.str()},
                   {"vendor", s->identity.vendor},
                   {"model", s->identity.model},
                   {"firmware_version", opt(s->identity.firmware_version)}};
    if (latest.empty()) {
      o["status"] = nullptr;
      o["request_id"] = nullptr;
      o["updated_at"] = nullptr;
    } else {
      o["status"] = name_of(firmware_states, latest.front().status);
      o["request_id"] = latest.front().request_id ? json::value(*latest.front().request_id) : json::value(nullptr);
      o["updated_at"] = core::format_iso8601(latest.front().received_at);
    }
    return json::value(std::move(o));
  });
}

void station_firmware_history(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [id = *id, page = *page](Repository &r) -> Result<json::value> {
    if (!r.station(id)) return ServiceError::not_found("no such station");
    auto all = r.firmware_statuses(id, page.offset + page.limit + 1000);
    return json::value(page_of(all, page, [](const FirmwareStatusRecord &s) {
      return json::object{{"status", name_of(firmware_states, s.status)},
                          {"request_id", s.request_id ? json::value(*s.request_id) : json::value(nullptr)},
                          {"received_at", core::format_iso8601(s.received_at)}};
    }));
  });
}

void station_security_events(const CtxPtr &c) {
  auto id = c->path_station();
  if (!id) return c->fail(id.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [id = *id, page = *page](Repository &r) -> Result<json::value> {
    if (!r.station(id)) return ServiceError::not_found("no such station");
    auto all = r.security_events(id, page.offset + page.limit + 1000);
    return json::value(page_of(all, page, [](const SecurityEventRecord &e) {
      return json::object{{"id", e.id},
                          {"type", e.type},
                          {"timestamp", core::format_iso8601(e.occurred_at)},
                          {"tech_info", opt(e.tech_info)},
                          {"received_at", core::format_iso8601(e.received_at)}};
    }));
  });
}

namespace {

Result<std::optional<std::string>> filter_text(const json::object &o, std::string_view key, std::size_t max) {
  auto v = optional_text_member(o, key, true);
  if (!v) return v;
  if (*v && (v->value().empty() || v->value().size() > max))
    return ServiceError::invalid("'filter." + std::string(key) + "' is 1 to " + std::to_string(max) + " characters",
                                 "filter." + std::string(key));
  return v;
}

Result<std::optional<int>> int_member(const json::object &o, std::string_view key, int lo, int hi) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<int>{};
  if (!v->is_int64() || v->get_int64() < lo || v->get_int64() > hi) {
    // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict) on "'" + std::string&& here.
    std::string message(1, '\'');
    message.append(key).append("' is an integer from ").append(std::to_string(lo)).append(" to ");
    message.append(std::to_string(hi));
    return ServiceError::invalid(std::move(message), std::string(key));
  }
  return std::optional<int>{static_cast<int>(v->get_int64())};
}

} // namespace

void create_campaign(const CtxPtr &c) {
  if (!c->api->campaigns) return c->fail(ServiceError::unavailable("firmware campaigns are not running"));
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  static constexpr std::array known{"name",           "file_id",         "filter",
                                    "canary_percent", "max_concurrent",  "failure_threshold_percent",
                                    "retries",        "retry_interval_s"};
  for (const auto &[key, value] : *body)
    if (std::find(known.begin(), known.end(), key) == known.end())
      return c->fail(ServiceError::invalid("unknown member", std::string(key)));
  Campaign campaign;
  auto name = text_member(*body, "name");
  if (!name) return c->fail(name.error());
  campaign.name = *name;
  auto file = int_member(*body, "file_id", 1, std::numeric_limits<int>::max());
  if (!file) return c->fail(file.error());
  if (!*file) return c->fail(ServiceError::invalid("'file_id' is required", "file_id"));
  campaign.file_id = **file;
  if (const auto *f = body->if_contains("filter"); f && !f->is_null()) {
    if (!f->is_object()) return c->fail(ServiceError::invalid("'filter' is an object", "filter"));
    const auto &fo = f->get_object();
    for (const auto &[key, value] : fo)
      if (key != "vendor" && key != "model" && key != "version" && key != "location_id" && key != "stations")
        return c->fail(ServiceError::invalid("unknown filter member", "filter." + std::string(key)));
    auto vendor = filter_text(fo, "vendor", 50);
    if (!vendor) return c->fail(vendor.error());
    auto model = filter_text(fo, "model", 20);
    if (!model) return c->fail(model.error());
    auto version = filter_text(fo, "version", 50);
    if (!version) return c->fail(version.error());
    auto location = filter_text(fo, "location_id", 36);
    if (!location) return c->fail(location.error());
    campaign.filter.vendor = *vendor;
    campaign.filter.model = *model;
    campaign.filter.version = *version;
    campaign.filter.location_id = *location;
    if (const auto *s = fo.if_contains("stations"); s && !s->is_null()) {
      if (!s->is_array() || s->get_array().size() > 100000)
        return c->fail(ServiceError::invalid("'filter.stations' is an array of station ids", "filter.stations"));
      for (const auto &v : s->get_array()) {
        auto id = v.is_string() ? StationId::parse(v.get_string()) : std::nullopt;
        if (!id) return c->fail(ServiceError::invalid("'filter.stations' holds station ids", "filter.stations"));
        campaign.filter.stations.push_back(*id);
      }
    }
  }
  auto canary = int_member(*body, "canary_percent", 0, 100);
  if (!canary) return c->fail(canary.error());
  if (*canary) campaign.canary_percent = **canary;
  auto concurrent = int_member(*body, "max_concurrent", 1, 10000);
  if (!concurrent) return c->fail(concurrent.error());
  if (*concurrent) campaign.max_concurrent = **concurrent;
  auto threshold = int_member(*body, "failure_threshold_percent", 0, 100);
  if (!threshold) return c->fail(threshold.error());
  if (*threshold) campaign.failure_threshold = **threshold;
  auto retries = int_member(*body, "retries", 0, 100);
  if (!retries) return c->fail(retries.error());
  campaign.retries = *retries;
  auto interval = int_member(*body, "retry_interval_s", 0, 86400);
  if (!interval) return c->fail(interval.error());
  campaign.retry_interval_s = *interval;
  campaign.created_by = c->who.actor;
  c->api->campaigns->create(std::move(campaign), [c](services::Outcome<Result<Campaign>> o) {
    if (!o.ok()) return c->fail(ServiceError::internal(o.error()));
    if (!o.value()) return c->fail(o.value().error());
    c->reply(201, campaign_json(*o.value(), {}));
  });
}

void list_campaigns(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [page = *page](Repository &r) -> Result<json::value> {
    auto all = r.campaigns();
    std::reverse(all.begin(), all.end()); // newest first
    return json::value(
        page_of(all, page, [&r](const Campaign &k) { return campaign_json(k, r.campaign_stations(k.id)); }));
  });
}

void get_campaign(const CtxPtr &c) {
  auto id = c->path_number("campaign");
  if (!id) return c->fail(id.error());
  c->api->unit(c, 200, [id = *id](Repository &r) -> Result<json::value> {
    auto k = r.campaign(id);
    if (!k) return ServiceError::not_found("no such campaign");
    return json::value(campaign_json(*k, r.campaign_stations(id)));
  });
}

void campaign_stations(const CtxPtr &c) {
  auto id = c->path_number("campaign");
  if (!id) return c->fail(id.error());
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [id = *id, page = *page](Repository &r) -> Result<json::value> {
    if (!r.campaign(id)) return ServiceError::not_found("no such campaign");
    return json::value(page_of(r.campaign_stations(id), page, campaign_station_json));
  });
}

namespace {
void act(const CtxPtr &c, services::CampaignAction action) {
  if (!c->api->campaigns) return c->fail(ServiceError::unavailable("firmware campaigns are not running"));
  auto id = c->path_number("campaign");
  if (!id) return c->fail(id.error());
  c->api->campaigns->act(*id, action, [c](services::Outcome<Result<Campaign>> o) {
    if (!o.ok()) return c->fail(ServiceError::internal(o.error()));
    if (!o.value()) return c->fail(o.value().error());
    const auto campaign = *o.value();
    c->api->unit(c, 200, [campaign](Repository &r) -> Result<json::value> {
      return json::value(campaign_json(campaign, r.campaign_stations(campaign.id)));
    });
  });
}
} // namespace

void start_campaign(const CtxPtr &c) {
  act(c, services::CampaignAction::Start);
}
void pause_campaign(const CtxPtr &c) {
  act(c, services::CampaignAction::Pause);
}
void resume_campaign(const CtxPtr &c) {
  act(c, services::CampaignAction::Resume);
}
void cancel_campaign(const CtxPtr &c) {
  act(c, services::CampaignAction::Cancel);
}

} // namespace gridlane::api
