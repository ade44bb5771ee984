#include "admin_ocpi.hpp"

#include <boost/json.hpp>
#include <iostream>
#include <sstream>

#include "gridlane/core/time.hpp"
#include "gridlane/ocpi/client.hpp"
#include "gridlane/ocpi/partners.hpp"
#include "refusal.hpp"

namespace gridlane::app {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

std::string_view status_text(PartnerStatus s) {
  switch (s) {
  case PartnerStatus::Planned: return "planned";
  case PartnerStatus::Registered: return "registered";
  case PartnerStatus::Suspended: return "suspended";
  case PartnerStatus::Unregistered: return "unregistered";
  }
  return "planned";
}

TokenEncoding encoding_of(const std::string &text) {
  if (text == "base64") return TokenEncoding::Base64;
  if (text == "raw") return TokenEncoding::Raw;
  refuse(ServiceError::invalid("--encoding must be base64 or raw", "encoding"));
}

//! "locations,tokens" (or "" for every module).
std::vector<OcpiModule> modules_of(const std::string &text) {
  std::vector<OcpiModule> out;
  std::stringstream in(text);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (name.empty()) continue;
    auto m = ocpi::module_from_name(name);
    if (!m) refuse(ServiceError::invalid("no such OCPI module: " + name, "modules"));
    out.push_back(*m);
  }
  return out;
}

//! Gridlane's versions URL as partners reach it.
std::string our_versions_url(const core::Config &config) {
  auto base = config.ocpi.base_url.empty() ? "http://" + config.server.host + ":" + std::to_string(config.server.port)
                                           : config.ocpi.base_url;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base + "/ocpi/versions";
}

json::object partner_json(const Partner &p) {
  json::array roles, modules, endpoints;
  for (const auto &r : p.roles)
    roles.push_back(json::object{{"role", ocpi::role_name(r.role)},
                                 {"country_code", r.party.country_code},
                                 {"party_id", r.party.party_id},
                                 {"business_name", r.business_name}});
  for (auto m : p.modules)
    modules.push_back(json::string(ocpi::module_name(m)));
  for (const auto &e : p.endpoints)
    endpoints.push_back(json::object{
        {"identifier", ocpi::module_name(e.module)}, {"role", ocpi::interface_role_name(e.role)}, {"url", e.url}});
  return json::object{{"id", p.id},
                      {"name", p.name},
                      {"status", status_text(p.status)},
                      {"encoding", p.encoding == TokenEncoding::Raw ? "raw" : "base64"},
                      {"modules", std::move(modules)},
                      {"roles", std::move(roles)},
                      {"versions_url", p.versions_url},
                      {"version", p.version},
                      {"endpoints", std::move(endpoints)},
                      {"created_at", core::format_iso8601(p.created_at)},
                      {"updated_at", core::format_iso8601(p.updated_at)}};
}

std::string parties(const Partner &p) {
  std::string out;
  for (const auto &r : p.roles)
    out += (out.empty() ? "" : " ") + std::string(ocpi::role_name(r.role)) + ":" + r.party.country_code + "*" +
           r.party.party_id;
  return out.empty() ? "-" : out;
}

void print(const Partner &p, bool as_json) {
  if (as_json) {
    std::cout << json::serialize(partner_json(p)) << "\n";
    return;
  }
  std::cout << "partner " << p.id << " \"" << p.name << "\": " << status_text(p.status) << ", "
            << (p.encoding == TokenEncoding::Raw ? "raw" : "base64") << " tokens, " << parties(p) << "\n";
  if (!p.versions_url.empty()) std::cout << "  versions " << p.versions_url << " (" << p.version << ")\n";
  for (const auto &e : p.endpoints)
    std::cout << "  " << ocpi::module_name(e.module) << " " << ocpi::interface_role_name(e.role) << " " << e.url
              << "\n";
}

template <class T> T in_unit(store::Store &store, const std::function<Result<T>(Repository &)> &fn) {
  std::optional<Result<T>> out;
  store.run([&](Repository &r) { out.emplace(fn(r)); });
  return checked(std::move(*out));
}

} // namespace

void AdminOcpiCommands::attach(CLI::App &admin) {
  auto *ocpi = admin.add_subcommand("ocpi", "OCPI 2.2.1 roaming (docs/ocpi.md)");
  ocpi->require_subcommand(1);
  auto *partner = ocpi->add_subcommand("partner", "Roaming partners: eMSPs, hubs, NSPs");
  partner->require_subcommand(1);

  add_ = partner->add_subcommand("add", "Create a Planned partner; prints its token A once");
  add_->add_option("name", name_, "The partner's label")->required();
  add_->add_option("--encoding", encoding_, "base64 (OCPI 2.2.1, the default) or raw");
  add_->add_option("--modules", modules_, "The modules it may use, comma-separated (default: all)");

  list_ = partner->add_subcommand("list", "List partners");
  list_->add_flag("--json", json_, "Print a JSON array");

  show_ = partner->add_subcommand("show", "A partner with its roles and endpoints");
  show_->add_option("id", id_, "Partner id")->required();
  show_->add_flag("--json", json_, "Print JSON");

  register_ = partner->add_subcommand("register", "Register at the partner with the versions URL and token it gave");
  register_->add_option("id", id_, "Partner id")->required();
  register_->add_option("--url", url_, "Its versions URL")->required();
  register_->add_option("--token", token_, "The token A it gave")->required();

  rotate_ = partner->add_subcommand("rotate", "Rotate the credentials tokens (PUT at the partner)");
  rotate_->add_option("id", id_, "Partner id")->required();
  suspend_ = partner->add_subcommand("suspend", "Refuse its calls and push nothing until resumed");
  suspend_->add_option("id", id_, "Partner id")->required();
  resume_ = partner->add_subcommand("resume", "Resume a suspended partner");
  resume_->add_option("id", id_, "Partner id")->required();
  unregister_ = partner->add_subcommand("unregister", "End the registration (DELETE at the partner)");
  unregister_->add_option("id", id_, "Partner id")->required();

  set_ = partner->add_subcommand("set", "Change a partner's name, token encoding or modules");
  set_->add_option("id", id_, "Partner id")->required();
  set_->add_option("--name", name_, "A new label");
  set_->add_option("--encoding", encoding_, "base64 or raw");
  set_->add_option("--modules", modules_, "The modules it may use, comma-separated ('' : all)");
}

std::optional<int> AdminOcpiCommands::run(store::Store &store, const core::Config &config) {
  const std::array all{add_, list_, show_, register_, rotate_, suspend_, resume_, unregister_, set_};
  if (std::none_of(all.begin(), all.end(), [](CLI::App *c) { return c && c->parsed(); })) return std::nullopt;
  core::SystemClock clock;
  auto client = ocpi::make_http_client({config.ocpi.allow_plain_http_to_loopback});
  ocpi::PartnerService service(store, clock, *client, config.ocpi, [&config] { return our_versions_url(config); });

  if (add_->parsed()) {
    ocpi::PartnerDraft draft{name_, encoding_.empty() ? TokenEncoding::Base64 : encoding_of(encoding_),
                             modules_of(modules_)};
    auto created = in_unit<ocpi::CreatedPartner>(store, [&](Repository &r) { return service.create(r, draft); });
    std::cout << "partner " << created.partner.id << " added (planned)\n"
              << "token A:      " << created.token << "\n"
              << "versions URL: " << created.versions_url << "\n"
              << "Give both to the partner (it POSTs its credentials), or register at it with "
                 "`gridlane admin ocpi partner register "
              << created.partner.id << " --url ... --token ...`.\n";
    return 0;
  }
  if (list_->parsed()) {
    std::vector<Partner> partners;
    store.run([&](Repository &r) { partners = r.partners(); });
    if (json_) {
      json::array out;
      for (const auto &p : partners)
        out.push_back(partner_json(p));
      std::cout << json::serialize(out) << "\n";
      return 0;
    }
    for (const auto &p : partners)
      std::cout << p.id << "\t" << status_text(p.status) << "\t" << parties(p) << "\t" << p.name << "\n";
    return 0;
  }
  if (show_->parsed()) {
    print(in_unit<Partner>(store, [&](Repository &r) { return ocpi::PartnerService::find(r, id_); }), json_);
    return 0;
  }
  if (set_->parsed()) {
    ocpi::PartnerChanges changes;
    if (set_->count("--name")) changes.name = name_;
    if (set_->count("--encoding")) changes.encoding = encoding_of(encoding_);
    if (set_->count("--modules")) changes.modules = modules_of(modules_);
    print(in_unit<Partner>(store, [&](Repository &r) { return service.change(r, id_, changes); }), false);
    return 0;
  }
  if (suspend_->parsed() || resume_->parsed()) {
    bool suspend = suspend_->parsed();
    print(in_unit<Partner>(store,
                           [&](Repository &r) { return suspend ? service.suspend(r, id_) : service.resume(r, id_); }),
          false);
    return 0;
  }
  if (register_->parsed()) print(checked(service.register_at(id_, url_, token_)), false);
  if (rotate_->parsed()) print(checked(service.rotate(id_)), false);
  if (unregister_->parsed()) print(checked(service.unregister(id_)), false);
  return 0;
}

} // namespace gridlane::app
