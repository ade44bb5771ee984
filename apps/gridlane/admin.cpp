#include "admin.hpp"

#include <boost/json.hpp>
#include <cstdlib>
#include <iostream>

#include "gridlane/api/json.hpp"
#include "gridlane/core/json_text.hpp"
#include "gridlane/core/password.hpp"
#include "gridlane/services/admin_service.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::app {
namespace json = boost::json;
using namespace gridlane::domain;
using namespace gridlane::api;

namespace {

//! Runs a unit of work of the administration service and waits for its commit.
template <class T, class Fn> Result<T> in_unit(store::Store &store, Fn fn) {
  std::optional<Result<T>> out;
  store.run([&](Repository &r) { out.emplace(fn(r)); });
  return std::move(*out);
}

//! A refusal of the rules: its message, as the API gives it in `detail`, and exit status 1.
int refused(const ServiceError &e) {
  std::cerr << "gridlane: " << e.message << "\n";
  return 1;
}

//! An option's value when it was given (even empty), nullopt otherwise.
std::optional<std::string> given(const CLI::App *cmd, const char *option, const std::string &value) {
  return cmd->count(option) > 0 ? std::optional{value} : std::nullopt;
}

} // namespace

void AdminCommands::attach(CLI::App &cli) {
  auto *admin = cli.add_subcommand("admin", "Manage stations, id tokens and transactions");
  admin->require_subcommand(1);

  auto *station = admin->add_subcommand("station", "Register or accept a station");
  station->require_subcommand(1);
  station_add_ = station->add_subcommand("add", "Register a station");
  station_add_->add_option("id", station_id_, "Station identity (as in /ocpp/{id})")->required();
  station_add_->add_option("--password", password_,
                           "HTTP Basic password (security profile 1), 16 to 40 characters; stored as argon2id");
  station_add_->add_option("--site", site_, "The site the station belongs to (1 to 64 characters)");
  station_add_->add_flag("--pending", pending_,
                         "Register as pending: BootNotification answered Pending until accepted");
  station_accept_ = station->add_subcommand("accept", "Accept a pending station");
  station_accept_->add_option("id", station_id_, "Station identity")->required();

  station_show_ =
      station->add_subcommand("show", "A station's details, status history, anomalies and kept messages (JSON)");
  station_show_->add_option("id", station_id_, "Station identity")->required();
  station_compat_ = station->add_subcommand(
      "compat", "Show or set a station's compatibility settings (a running server applies them when the station "
                "next connects; PUT /api/v1/stations/{id}/compat applies them at once)");
  station_compat_->add_option("id", station_id_, "Station identity")->required();
  station_compat_
      ->add_option("--timestamps-without-offset", compat_timestamps_, "on: a date-time without zone is read as UTC")
      ->check(CLI::IsMember({"on", "off"}));
  station_compat_
      ->add_option("--extra-properties-in-answers", compat_extra_properties_,
                   "on: an unknown top-level property in an answer is dropped")
      ->check(CLI::IsMember({"on", "off"}));

  auto *token = admin->add_subcommand("token", "Manage id tokens");
  token->require_subcommand(1);
  token_add_ = token->add_subcommand("add", "Add or update an id token");
  token_add_->add_option("tag", tag_, "The id tag, 1 to 36 characters (OCPP 1.6 stations take at most 20)")->required();
  // Values are checked by the administration service, with the API's messages.
  token_add_->add_option("--status", token_status_, "Accepted, Blocked, Expired or Invalid");
  token_add_->add_option("--expires", expires_, "Expiry, ISO 8601 with zone (e.g. 2027-01-01T00:00:00Z)");
  token_add_->add_option("--parent", parent_, "Parent (group) id tag");

  auto *user = admin->add_subcommand("user", "Manage operator API users");
  user->require_subcommand(1);
  user_add_ = user->add_subcommand("add", "Add a user (the password is read from GRIDLANE_PASSWORD or --password)");
  user_add_->add_option("username", username_, "User name")->required();
  user_add_->add_option("--role", role_, "admin, operator or viewer (default viewer)");
  user_add_->add_option("--password", password_, "Password (at least 12 characters)");

  auto *key = admin->add_subcommand("api-key", "Manage API keys for integrations");
  key->require_subcommand(1);
  api_key_create_ = key->add_subcommand("create", "Create an API key; it is printed once");
  api_key_create_->add_option("name", key_name_, "What the key is for")->required();
  api_key_create_->add_option("--role", role_, "admin, operator or viewer (default viewer)");

  locations_.attach(*admin);
  invoices_.attach(*admin);
  cdrs_.attach(*admin);
  reports_.attach(*admin);
  accounts_.attach(*admin);
  tariffs_.attach(*admin);
  energy_.attach(*admin);
  drivers_.attach(*admin);
  ocpi_.attach(*admin);
  stations_ = admin->add_subcommand("stations", "List stations with their connectors");
  stations_->add_flag("--json", json_, "Print JSON");
  transactions_ = admin->add_subcommand("transactions", "List transactions with their meter values");
  transactions_->add_flag("--json", json_, "Print JSON");
  transactions_->add_option("--station", filter_station_, "Only this station's transactions");
  tariff_assignments_.attach(*admin); // last: it joins `admin tariff` when the tariff commands made it
}

int AdminCommands::run(const core::Config &config) {
  auto opened = store::open(config.database);
  auto &store = *opened;
  auto now = core::SystemClock{}.now();
  if (auto done = locations_.run(store, now)) return *done;
  if (auto done = invoices_.run(store, now)) return *done;
  if (auto done = cdrs_.run(store)) return *done;
  if (auto done = reports_.run(store)) return *done;
  if (auto done = accounts_.run(store, now)) return *done;
  if (auto done = tariffs_.run(store, now)) return *done;
  if (auto done = energy_.run(store, now)) return *done;
  if (auto done = drivers_.run(store)) return *done;
  if (auto done = ocpi_.run(store, config)) return *done;
  if (auto done = tariff_assignments_.run(store, now)) return *done;

  core::SystemClock clock;
  services::AdminService admin{clock};

  if (station_add_->parsed()) {
    auto draft = admin.check_station(
        {station_id_, given(station_add_, "--password", password_), given(station_add_, "--site", site_), pending_});
    if (!draft) return refused(draft.error());
    services::AdminService::seal(*draft);
    auto created = in_unit<Station>(store, [&](Repository &r) { return admin.create_station(r, *draft); });
    if (!created) return refused(created.error());
    std::cout << "station " << created->id.str() << " added (" << (pending_ ? "Pending" : "Accepted") << ")\n";
    return 0;
  }
  if (station_accept_->parsed()) {
    auto id = admin.check_station_id(station_id_);
    if (!id) return refused(id.error());
    auto accepted = in_unit<Station>(store, [&](Repository &r) { return admin.accept_station(r, *id); });
    if (!accepted) return refused(accepted.error());
    std::cout << "station " << id->str() << " accepted\n";
    return 0;
  }
  if (user_add_->parsed()) {
    if (password_.empty()) {
      if (const char *env = std::getenv("GRIDLANE_PASSWORD")) password_ = env;
    }
    auto draft = admin.check_user({username_, password_, role_});
    if (!draft) return refused(draft.error());
    services::AdminService::seal(*draft);
    auto created = in_unit<User>(store, [&](Repository &r) -> Result<User> {
      auto u = admin.create_user(r, *draft);
      if (u)
        r.insert_audit(
            AuditEntry{0, now, "cli", "admin user add", u->username, std::string(to_string(u->role)), {}, 0});
      return u;
    });
    if (!created) return refused(created.error());
    std::cout << "user " << created->username << " added (" << to_string(created->role) << ")\n";
    return 0;
  }
  if (api_key_create_->parsed()) {
    auto key = admin.check_api_key({key_name_, role_, "cli"});
    if (!key) return refused(key.error());
    auto created = in_unit<services::CreatedApiKey>(store, [&](Repository &r) -> Result<services::CreatedApiKey> {
      auto k = admin.create_api_key(r, *key);
      if (k)
        r.insert_audit(
            AuditEntry{0, now, "cli", "admin api-key create", k->key.name, std::string(to_string(k->key.role)), {}, 0});
      return k;
    });
    if (!created) return refused(created.error());
    std::cout << created->secret << "\n";
    return 0;
  }
  if (station_compat_->parsed()) {
    auto id = admin.check_station_id(station_id_);
    if (!id) return refused(id.error());
    StationCompat compat;
    bool found = false;
    store.run([&](Repository &r) {
      if (!(found = r.station(*id).has_value())) return;
      compat = r.station_compat(*id);
      if (compat_timestamps_.empty() && compat_extra_properties_.empty()) return;
      if (!compat_timestamps_.empty()) compat.timestamps_without_offset = compat_timestamps_ == "on";
      if (!compat_extra_properties_.empty()) compat.extra_properties_in_answers = compat_extra_properties_ == "on";
      r.set_station_compat(*id, compat, now);
      r.insert_audit(
          AuditEntry{0, now, "cli", "admin station compat", id->str(), json::serialize(compat_json(compat)), {}, 0});
    });
    if (!found) return refused(ServiceError::not_found("no such station"));
    std::cout << json::serialize(compat_json(compat)) << "\n";
    return 0;
  }
  if (station_show_->parsed()) {
    auto id = admin.check_station_id(station_id_);
    if (!id) return refused(id.error());
    json::object out;
    bool found = false;
    store.run([&](Repository &r) {
      auto s = r.station(*id);
      if (!(found = s.has_value())) return;
      out = station_json(*s, r.current_statuses(*id));
      out["compat"] = compat_json(r.station_compat(*id));
      json::array history;
      for (const auto &st : r.status_history(*id, 100000))
        history.push_back(status_json(st));
      out["status_history"] = std::move(history);
      json::array anomalies;
      for (const auto &a : r.anomalies(*id))
        anomalies.push_back(anomaly_json(a));
      out["anomalies"] = std::move(anomalies);
      json::array events;
      for (const auto &e : r.events(*id))
        events.push_back(station_event_json(e));
      out["messages"] = std::move(events);
      json::array model;
      for (const auto &v : r.device_variables(*id))
        model.push_back(device_variable_json(v));
      out["device_model"] = std::move(model);
    });
    if (!found) return refused(ServiceError::not_found("no such station"));
    std::cout << core::to_json_text(out) << "\n";
    return 0;
  }
  if (token_add_->parsed()) {
    auto token = admin.check_token(
        {tag_, token_status_, given(token_add_, "--expires", expires_), given(token_add_, "--parent", parent_)});
    if (!token) return refused(token.error());
    auto stored = in_unit<IdToken>(store, [&](Repository &r) { return admin.put_token(r, *token); });
    if (!stored) return refused(stored.error());
    std::cout << "token " << stored->id << " " << to_string(stored->status) << "\n";
    return 0;
  }
  if (stations_->parsed()) {
    json::array out;
    store.run([&](Repository &r) {
      // Page by page, each with its connectors in one query (not one query per station).
      PageRequest page{1000, 0};
      for (;;) {
        auto listed = r.list_stations({}, page);
        for (const auto &row : listed.items)
          out.push_back(station_json(row.station, row.statuses));
        page.offset += listed.items.size();
        if (listed.items.size() < page.limit) break;
      }
    });
    if (json_) {
      std::cout << core::to_json_text(out) << "\n";
    } else {
      for (const auto &v : out) {
        const auto &s = v.as_object();
        std::cout << s.at("id").as_string() << "  " << s.at("registration").as_string() << "  "
                  << s.at("vendor").as_string() << " " << s.at("model").as_string() << "  "
                  << (s.at("protocol").is_null() ? "-" : std::string(s.at("protocol").as_string())) << "  last seen "
                  << (s.at("last_seen_at").is_null() ? "never" : std::string(s.at("last_seen_at").as_string())) << "\n";
      }
    }
    return 0;
  }
  if (transactions_->parsed()) {
    json::array out;
    TransactionFilter f;
    if (!filter_station_.empty()) f.station = StationId::unchecked(filter_station_);
    f.limit = 100000;
    store.run([&](Repository &r) {
      // Three queries in all: the transactions, then the samples and events of all of them.
      auto txs = r.transactions(f);
      std::vector<std::int64_t> ids;
      ids.reserve(txs.size());
      for (const auto &t : txs)
        ids.push_back(t.id);
      auto samples = r.meter_samples_of(ids);
      auto events = r.transaction_events_of(ids);
      for (const auto &t : txs)
        out.push_back(transaction_json(t, samples[t.id], events[t.id]));
    });
    if (json_) {
      std::cout << core::to_json_text(out) << "\n";
    } else {
      for (const auto &v : out) {
        const auto &t = v.as_object();
        std::cout << t.at("id").as_int64() << "  " << t.at("station_id").as_string() << "/"
                  << t.at("connector_id").as_int64() << "  " << t.at("id_tag").as_string() << "  "
                  << t.at("state").as_string() << "  " << t.at("energy_wh").as_int64() << " Wh\n";
      }
    }
    return 0;
  }
  return 1;
}

} // namespace gridlane::app
