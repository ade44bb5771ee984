#include "admin.hpp"

#include <boost/json.hpp>
#include <cstdlib>
#include <iostream>

#include "gridlane/api/json.hpp"
#include "gridlane/core/json_text.hpp"
#include "gridlane/core/password.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::app {
namespace json = boost::json;
using namespace gridlane::domain;
using namespace gridlane::api;

namespace {} // namespace

void AdminCommands::attach(CLI::App &cli) {
  auto *admin = cli.add_subcommand("admin", "Manage stations, id tokens and transactions");
  admin->require_subcommand(1);

  auto *station = admin->add_subcommand("station", "Register or accept a station");
  station->require_subcommand(1);
  station_add_ = station->add_subcommand("add", "Register a station");
  station_add_->add_option("id", station_id_, "Station identity (as in /ocpp/{id})")->required();
  station_add_->add_option("--password", password_, "HTTP Basic password (security profile 1); stored as argon2id");
  station_add_->add_option("--site", site_, "The site the station belongs to");
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
  token_add_->add_option("tag", tag_, "The id tag (at most 20 characters for OCPP 1.6)")->required();
  token_add_->add_option("--status", token_status_, "Accepted, Blocked, Expired or Invalid")
      ->check(CLI::IsMember({"Accepted", "Blocked", "Expired", "Invalid"}));
  token_add_->add_option("--expires", expires_, "Expiry, ISO 8601 with zone (e.g. 2027-01-01T00:00:00Z)");
  token_add_->add_option("--parent", parent_, "Parent (group) id tag");

  auto *user = admin->add_subcommand("user", "Manage operator API users");
  user->require_subcommand(1);
  user_add_ = user->add_subcommand("add", "Add a user (the password is read from GRIDLANE_PASSWORD or --password)");
  user_add_->add_option("username", username_, "User name")->required();
  user_add_->add_option("--role", role_, "admin, operator or viewer")
      ->check(CLI::IsMember({"admin", "operator", "viewer"}));
  user_add_->add_option("--password", password_, "Password (at least 12 characters)");

  auto *key = admin->add_subcommand("api-key", "Manage API keys for integrations");
  key->require_subcommand(1);
  api_key_create_ = key->add_subcommand("create", "Create an API key; it is printed once");
  api_key_create_->add_option("name", key_name_, "What the key is for")->required();
  api_key_create_->add_option("--role", role_, "admin, operator or viewer")
      ->check(CLI::IsMember({"admin", "operator", "viewer"}));

  locations_.attach(*admin);
  stations_ = admin->add_subcommand("stations", "List stations with their connectors");
  stations_->add_flag("--json", json_, "Print JSON");
  transactions_ = admin->add_subcommand("transactions", "List transactions with their meter values");
  transactions_->add_flag("--json", json_, "Print JSON");
  transactions_->add_option("--station", filter_station_, "Only this station's transactions");
}

int AdminCommands::run(const core::Config &config) {
  auto opened = store::open(config.database);
  auto &store = *opened;
  auto now = core::SystemClock{}.now();
  if (auto done = locations_.run(store, now)) return *done;

  if (station_add_->parsed()) {
    auto id = StationId::parse(station_id_);
    if (!id) throw std::invalid_argument("station identity must be 1-48 characters without ':' or '/'");
    std::optional<std::string> hash;
    if (!password_.empty()) hash = core::hash_password(password_);
    store.run([&](Repository &r) {
      if (r.station(*id)) throw std::invalid_argument("station " + id->str() + " already exists");
      Station s;
      s.id = *id;
      s.registration = pending_ ? RegistrationStatus::Pending : RegistrationStatus::Accepted;
      s.password_hash = hash;
      s.created_at = now;
      if (!site_.empty()) s.site = site_;
      r.insert_station(s);
    });
    std::cout << "station " << id->str() << " added (" << (pending_ ? "Pending" : "Accepted") << ")\n";
    return 0;
  }
  if (station_accept_->parsed()) {
    auto id = StationId::parse(station_id_);
    if (!id) throw std::invalid_argument("bad station identity");
    store.run([&](Repository &r) {
      if (!r.station(*id)) throw std::invalid_argument("no station " + id->str());
      r.set_registration(*id, RegistrationStatus::Accepted);
    });
    std::cout << "station " << id->str() << " accepted\n";
    return 0;
  }
  if (user_add_->parsed()) {
    if (password_.empty()) {
      if (const char *env = std::getenv("GRIDLANE_PASSWORD")) password_ = env;
    }
    if (password_.size() < 12)
      throw std::invalid_argument("password must be at least 12 characters (--password or GRIDLANE_PASSWORD)");
    User u;
    u.username = username_;
    u.password_hash = core::hash_password(password_);
    u.role = parse_role(role_).value_or(Role::Viewer);
    u.created_at = now;
    store.run([&](Repository &r) {
      if (r.user_by_name(u.username)) throw std::invalid_argument("user " + u.username + " already exists");
      r.insert_user(u);
      r.insert_audit(AuditEntry{0, now, "cli", "admin user add", u.username, std::string(to_string(u.role)), {}, 0});
    });
    std::cout << "user " << u.username << " added (" << to_string(u.role) << ")\n";
    return 0;
  }
  if (api_key_create_->parsed()) {
    ApiKey k;
    k.name = key_name_;
    k.role = parse_role(role_).value_or(Role::Viewer);
    k.created_by = "cli";
    k.created_at = now;
    auto secret = core::random_token("glk");
    k.key_hash = core::token_hash(secret);
    store.run([&](Repository &r) {
      r.insert_api_key(k);
      r.insert_audit(AuditEntry{0, now, "cli", "admin api-key create", k.name, std::string(to_string(k.role)), {}, 0});
    });
    std::cout << secret << "\n";
    return 0;
  }
  if (station_compat_->parsed()) {
    auto id = StationId::parse(station_id_);
    if (!id) throw std::invalid_argument("bad station identity");
    StationCompat compat;
    store.run([&](Repository &r) {
      if (!r.station(*id)) throw std::invalid_argument("no station " + id->str());
      compat = r.station_compat(*id);
      if (compat_timestamps_.empty() && compat_extra_properties_.empty()) return;
      if (!compat_timestamps_.empty()) compat.timestamps_without_offset = compat_timestamps_ == "on";
      if (!compat_extra_properties_.empty()) compat.extra_properties_in_answers = compat_extra_properties_ == "on";
      r.set_station_compat(*id, compat, now);
      r.insert_audit(
          AuditEntry{0, now, "cli", "admin station compat", id->str(), json::serialize(compat_json(compat)), {}, 0});
    });
    std::cout << json::serialize(compat_json(compat)) << "\n";
    return 0;
  }
  if (station_show_->parsed()) {
    auto id = StationId::parse(station_id_);
    if (!id) throw std::invalid_argument("bad station identity");
    json::object out;
    store.run([&](Repository &r) {
      auto s = r.station(*id);
      if (!s) throw std::invalid_argument("no station " + id->str());
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
    std::cout << core::to_json_text(out) << "\n";
    return 0;
  }
  if (token_add_->parsed()) {
    if (tag_.empty() || tag_.size() > 36) throw std::invalid_argument("id tag must be 1-36 characters");
    if (!parent_.empty() && parent_.size() > 36)
      throw std::invalid_argument("parent tag must be at most 36 characters");
    IdToken t;
    t.id = tag_;
    t.status = parse_token_status(token_status_).value_or(TokenStatus::Accepted);
    if (!expires_.empty()) {
      t.expires_at = core::parse_iso8601(expires_);
      if (!t.expires_at)
        throw std::invalid_argument("--expires must be ISO 8601 with a zone, e.g. 2027-01-01T00:00:00Z");
    }
    if (!parent_.empty()) t.parent_id = parent_;
    store.run([&](Repository &r) { r.upsert_id_token(t); });
    std::cout << "token " << tag_ << " " << token_status_ << "\n";
    return 0;
  }
  if (stations_->parsed()) {
    json::array out;
    store.run([&](Repository &r) {
      for (const auto &s : r.stations())
        out.push_back(station_json(s, r.current_statuses(s.id)));
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
      for (const auto &t : r.transactions(f))
        out.push_back(transaction_json(t, r.meter_samples(t.id), r.transaction_events(t.id)));
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
