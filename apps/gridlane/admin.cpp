#include "admin.hpp"

#include <boost/json.hpp>
#include <iostream>

#include "gridlane/core/password.hpp"
#include "gridlane/store/sqlite_store.hpp"

namespace gridlane::app {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

json::value opt(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value opt(const std::optional<Timestamp>& v) {
  return v ? json::value(core::format_iso8601(*v)) : json::value(nullptr);
}
json::value opt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object station_json(const Station& s, const std::vector<StatusReport>& statuses) {
  json::array connectors;
  for (const auto& st : statuses) {
    connectors.push_back(json::object{{"evse_id", st.evse_id},
                                      {"connector_id", st.connector_id},
                                      {"status", to_string(st.status)},
                                      {"error_code", st.error_code},
                                      {"info", opt(st.info)},
                                      {"vendor_id", opt(st.vendor_id)},
                                      {"vendor_error_code", opt(st.vendor_error_code)},
                                      {"station_time", opt(st.station_time)},
                                      {"received_at", core::format_iso8601(st.received_at)}});
  }
  const auto& i = s.identity;
  return json::object{
      {"id", s.id.str()},
      {"registration", to_string(s.registration)},
      {"enabled", s.enabled},
      {"has_password", s.password_hash.has_value()},
      {"protocol", s.protocol ? json::value(core::to_string(*s.protocol)) : json::value(nullptr)},
      {"vendor", i.vendor},
      {"model", i.model},
      {"serial_number", opt(i.serial_number)},
      {"charge_box_serial_number", opt(i.charge_box_serial_number)},
      {"firmware_version", opt(i.firmware_version)},
      {"iccid", opt(i.iccid)},
      {"imsi", opt(i.imsi)},
      {"meter_type", opt(i.meter_type)},
      {"meter_serial_number", opt(i.meter_serial_number)},
      {"created_at", opt(s.created_at)},
      {"last_boot_at", opt(s.last_boot_at)},
      {"last_seen_at", opt(s.last_seen_at)},
      {"connectors", connectors},
  };
}

json::object sample_json(const MeterSample& m) {
  return json::object{{"timestamp", core::format_iso8601(m.timestamp)},
                      {"value", m.value},
                      {"measurand", opt(m.measurand)},
                      {"phase", opt(m.phase)},
                      {"location", opt(m.location)},
                      {"unit", opt(m.unit)},
                      {"context", opt(m.context)},
                      {"format", opt(m.format)},
                      {"signed_data", opt(m.signed_data)}};
}

json::object transaction_json(const Transaction& t, const std::vector<MeterSample>& samples,
                              const std::vector<TransactionEventRecord>& events) {
  json::array meter;
  for (const auto& m : samples) meter.push_back(sample_json(m));
  json::array evs;
  for (const auto& e : events)
    evs.push_back(json::object{{"seq_no", e.seq_no},
                               {"event_type", e.event_type},
                               {"trigger_reason", e.trigger_reason},
                               {"timestamp", core::format_iso8601(e.timestamp)},
                               {"offline", e.offline},
                               {"charging_state", opt(e.charging_state)},
                               {"id_token", opt(e.id_token)},
                               {"received_at", core::format_iso8601(e.received_at)}});
  return json::object{
      {"id", t.id},
      {"station_id", t.station.str()},
      {"station_transaction_id", t.station_tx_id},
      {"protocol", core::to_string(t.protocol)},
      {"evse_id", t.evse_id},
      {"connector_id", t.connector_id},
      {"id_tag", t.id_tag},
      {"reservation_id", opt(t.reservation_id)},
      {"state", to_string(t.state)},
      {"authorization", to_string(t.start_authorization.status)},
      {"meter_start_wh", t.meter_start_wh},
      {"meter_stop_wh", opt(t.meter_stop_wh)},
      {"energy_wh", t.energy_wh},
      {"started_at", core::format_iso8601(t.started_at)},
      {"start_received_at", core::format_iso8601(t.start_received_at)},
      {"stopped_at", opt(t.stopped_at)},
      {"stop_received_at", opt(t.stop_received_at)},
      {"stop_reason", opt(t.stop_reason)},
      {"stop_id_tag", opt(t.stop_id_tag)},
      {"charging_state", opt(t.charging_state)},
      {"number_of_phases", t.number_of_phases ? json::value(*t.number_of_phases) : json::value(nullptr)},
      {"remote_start_id", opt(t.remote_start_id)},
      {"offline_events", t.offline_events},
      {"meter_values", meter},
      {"events", evs},
  };
}

} // namespace

void AdminCommands::attach(CLI::App& cli) {
  auto* admin = cli.add_subcommand("admin", "Manage stations, id tokens and transactions");
  admin->require_subcommand(1);

  auto* station = admin->add_subcommand("station", "Register or accept a station");
  station->require_subcommand(1);
  station_add_ = station->add_subcommand("add", "Register a station");
  station_add_->add_option("id", station_id_, "Station identity (as in /ocpp/{id})")->required();
  station_add_->add_option("--password", password_, "HTTP Basic password (security profile 1); stored as argon2id");
  station_add_->add_flag("--pending", pending_, "Register as pending: BootNotification answered Pending until accepted");
  station_accept_ = station->add_subcommand("accept", "Accept a pending station");
  station_accept_->add_option("id", station_id_, "Station identity")->required();

  station_show_ = station->add_subcommand("show", "A station's details, status history, anomalies and kept messages (JSON)");
  station_show_->add_option("id", station_id_, "Station identity")->required();

  auto* token = admin->add_subcommand("token", "Manage id tokens");
  token->require_subcommand(1);
  token_add_ = token->add_subcommand("add", "Add or update an id token");
  token_add_->add_option("tag", tag_, "The id tag (at most 20 characters for OCPP 1.6)")->required();
  token_add_->add_option("--status", token_status_, "Accepted, Blocked, Expired or Invalid")
      ->check(CLI::IsMember({"Accepted", "Blocked", "Expired", "Invalid"}));
  token_add_->add_option("--expires", expires_, "Expiry, ISO 8601 with zone (e.g. 2027-01-01T00:00:00Z)");
  token_add_->add_option("--parent", parent_, "Parent (group) id tag");

  stations_ = admin->add_subcommand("stations", "List stations with their connectors");
  stations_->add_flag("--json", json_, "Print JSON");
  transactions_ = admin->add_subcommand("transactions", "List transactions with their meter values");
  transactions_->add_flag("--json", json_, "Print JSON");
  transactions_->add_option("--station", filter_station_, "Only this station's transactions");
}

int AdminCommands::run(const core::Config& config) {
  store::SqliteStore store{{config.database.path, config.database.synchronous, config.database.max_batch}};
  auto now = core::SystemClock{}.now();

  if (station_add_->parsed()) {
    auto id = StationId::parse(station_id_);
    if (!id) throw std::invalid_argument("station identity must be 1-48 characters without ':' or '/'");
    std::optional<std::string> hash;
    if (!password_.empty()) hash = core::hash_password(password_);
    store.run([&](Repository& r) {
      if (r.station(*id)) throw std::invalid_argument("station " + id->str() + " already exists");
      Station s;
      s.id = *id;
      s.registration = pending_ ? RegistrationStatus::Pending : RegistrationStatus::Accepted;
      s.password_hash = hash;
      s.created_at = now;
      r.insert_station(s);
    });
    std::cout << "station " << id->str() << " added (" << (pending_ ? "Pending" : "Accepted") << ")\n";
    return 0;
  }
  if (station_accept_->parsed()) {
    auto id = StationId::parse(station_id_);
    if (!id) throw std::invalid_argument("bad station identity");
    store.run([&](Repository& r) {
      if (!r.station(*id)) throw std::invalid_argument("no station " + id->str());
      r.set_registration(*id, RegistrationStatus::Accepted);
    });
    std::cout << "station " << id->str() << " accepted\n";
    return 0;
  }
  if (station_show_->parsed()) {
    auto id = StationId::parse(station_id_);
    if (!id) throw std::invalid_argument("bad station identity");
    json::object out;
    store.run([&](Repository& r) {
      auto s = r.station(*id);
      if (!s) throw std::invalid_argument("no station " + id->str());
      out = station_json(*s, r.current_statuses(*id));
      json::array history;
      for (const auto& st : r.status_history(*id, 100000))
        history.push_back(json::object{{"evse_id", st.evse_id},
                                       {"connector_id", st.connector_id},
                                       {"status", to_string(st.status)},
                                       {"error_code", st.error_code},
                                       {"info", opt(st.info)},
                                       {"station_time", opt(st.station_time)},
                                       {"received_at", core::format_iso8601(st.received_at)}});
      out["status_history"] = std::move(history);
      json::array anomalies;
      for (const auto& a : r.anomalies(*id))
        anomalies.push_back(json::object{{"kind", a.kind}, {"detail", a.detail}, {"at", core::format_iso8601(a.at)}});
      out["anomalies"] = std::move(anomalies);
      json::array events;
      for (const auto& e : r.events(*id)) {
        boost::system::error_code ec;
        auto payload = json::parse(e.payload, ec);
        events.push_back(json::object{{"kind", e.kind}, {"payload", ec ? json::value(e.payload) : payload},
                                      {"at", core::format_iso8601(e.at)}});
      }
      out["messages"] = std::move(events);
      json::array model;
      auto flag = [](const std::optional<bool>& b) { return b ? json::value(*b) : json::value(nullptr); };
      for (const auto& v : r.device_variables(*id)) {
        model.push_back(json::object{
            {"component", v.component},
            {"component_instance", v.component_instance.empty() ? json::value(nullptr) : json::value(v.component_instance)},
            {"evse_id", v.evse_id < 0 ? json::value(nullptr) : json::value(v.evse_id)},
            {"connector_id", v.connector_id < 0 ? json::value(nullptr) : json::value(v.connector_id)},
            {"variable", v.variable},
            {"variable_instance", v.variable_instance.empty() ? json::value(nullptr) : json::value(v.variable_instance)},
            {"attribute_type", v.attribute_type},
            {"value", opt(v.value)},
            {"mutability", opt(v.mutability)},
            {"persistent", flag(v.persistent)},
            {"constant", flag(v.constant)},
            {"data_type", opt(v.data_type)},
            {"unit", opt(v.unit)},
            {"min_limit", v.min_limit ? json::value(*v.min_limit) : json::value(nullptr)},
            {"max_limit", v.max_limit ? json::value(*v.max_limit) : json::value(nullptr)},
            {"values_list", opt(v.values_list)},
            {"supports_monitoring", flag(v.supports_monitoring)}});
      }
      out["device_model"] = std::move(model);
    });
    std::cout << json::serialize(out) << "\n";
    return 0;
  }
  if (token_add_->parsed()) {
    if (tag_.empty() || tag_.size() > 36) throw std::invalid_argument("id tag must be 1-36 characters");
    if (!parent_.empty() && parent_.size() > 36) throw std::invalid_argument("parent tag must be at most 36 characters");
    IdToken t;
    t.id = tag_;
    t.status = parse_token_status(token_status_).value_or(TokenStatus::Accepted);
    if (!expires_.empty()) {
      t.expires_at = core::parse_iso8601(expires_);
      if (!t.expires_at) throw std::invalid_argument("--expires must be ISO 8601 with a zone, e.g. 2027-01-01T00:00:00Z");
    }
    if (!parent_.empty()) t.parent_id = parent_;
    store.run([&](Repository& r) { r.upsert_id_token(t); });
    std::cout << "token " << tag_ << " " << token_status_ << "\n";
    return 0;
  }
  if (stations_->parsed()) {
    json::array out;
    store.run([&](Repository& r) {
      for (const auto& s : r.stations()) out.push_back(station_json(s, r.current_statuses(s.id)));
    });
    if (json_) {
      std::cout << json::serialize(out) << "\n";
    } else {
      for (const auto& v : out) {
        const auto& s = v.as_object();
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
    store.run([&](Repository& r) {
      for (const auto& t : r.transactions(f))
        out.push_back(transaction_json(t, r.meter_samples(t.id), r.transaction_events(t.id)));
    });
    if (json_) {
      std::cout << json::serialize(out) << "\n";
    } else {
      for (const auto& v : out) {
        const auto& t = v.as_object();
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
