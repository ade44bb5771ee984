#include "admin_energy.hpp"

#include <boost/json.hpp>
#include <iostream>

#include "gridlane/api/energy_json.hpp"
#include "gridlane/core/json_text.hpp"
#include "gridlane/services/energy_config_service.hpp"
#include "refusal.hpp"

namespace gridlane::app {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

void print(const json::value &v) {
  std::cout << core::to_json_text(v) << "\n";
}

LocationId location_id(const std::string &text) {
  auto id = LocationId::parse(text);
  if (!id) refuse(ServiceError::not_found("no such location"));
  return *id;
}

StationId station_id(const std::string &text) {
  auto id = StationId::parse(text);
  if (!id) refuse(ServiceError::not_found("no such station"));
  return *id;
}

//! A flag's text as a JSON value: a number or true/false as such, anything else as a string.
json::value flag_value(const std::string &text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (!ec && (v.is_number() || v.is_bool())) return v;
  return json::string(text);
}

//! Sets `dotted` ("limit.per_phase_a") in `body`.
void set_path(json::object &body, const std::string &dotted, json::value v) {
  auto dot = dotted.find('.');
  if (dot == std::string::npos) {
    body[dotted] = std::move(v);
    return;
  }
  auto &inner = body[dotted.substr(0, dot)];
  if (!inner.is_object()) inner = json::object{};
  set_path(inner.as_object(), dotted.substr(dot + 1), std::move(v));
}

const std::vector<std::pair<std::string, std::string>> limit_spec = {
    {"--limit-a", "limit.per_phase_a"},
    {"--limit-kw", "limit.power_kw"},
};

} // namespace

void AdminEnergyCommands::add_fields(CLI::App *cmd, std::vector<Field> &fields,
                                     const std::vector<std::pair<std::string, std::string>> &spec) {
  fields.reserve(spec.size()); // the options keep pointers into `fields`
  for (const auto &[flag, key] : spec) {
    fields.push_back({key, {}, nullptr});
    fields.back().option = cmd->add_option(flag, fields.back().value, "Sets '" + key + "' (docs/api.md)");
  }
}

namespace {
template <class Fields> json::object body_of(const Fields &fields) {
  json::object body;
  for (const auto &f : fields)
    if (f.option->count() > 0) set_path(body, f.key, flag_value(f.value));
  return body;
}
} // namespace

void AdminEnergyCommands::attach(CLI::App &admin) {
  auto *energy = admin.add_subcommand("energy", "Energy management: a site's grid connection, circuits and EVSEs, "
                                                "demand-response events, priorities (docs/energy.md)");
  energy->require_subcommand(1);

  auto *grid = energy->add_subcommand("grid", "A location's grid connection");
  grid->require_subcommand(1);
  grid_show_ = grid->add_subcommand("show", "Print the grid connection as JSON");
  grid_show_->add_option("location", location_, "Location id")->required();
  grid_put_ = grid->add_subcommand("put", "Create or replace the grid connection (the flags not given take defaults)");
  grid_put_->add_option("location", location_, "Location id")->required();
  add_fields(grid_put_, grid_fields_,
             {{"--limit-a", "limit.per_phase_a"},
              {"--limit-kw", "limit.power_kw"},
              {"--voltage", "voltage_v"},
              {"--phases", "phases"},
              {"--fallback-a", "fallback_per_evse_a"},
              {"--demand-charge", "demand_charge_per_kw"},
              {"--site-meter", "site_meter"}});
  grid_put_->add_flag("--disabled", disabled_, "Keep the configuration but send nothing to the site's stations");
  grid_delete_ = grid->add_subcommand("delete", "Remove the grid connection with its circuits and attachments");
  grid_delete_->add_option("location", location_, "Location id")->required();

  auto *circuit = energy->add_subcommand("circuit", "Circuits under a location's grid connection");
  circuit->require_subcommand(1);
  circuit_list_ = circuit->add_subcommand("list", "Print the location's circuits as JSON");
  circuit_list_->add_option("location", location_, "Location id")->required();
  circuit_put_ = circuit->add_subcommand("put", "Create or replace a circuit");
  circuit_put_->add_option("location", location_, "Location id")->required();
  circuit_put_->add_option("id", circuit_, "Circuit id (1 to 36 of A-Z a-z 0-9 . _ -)")->required();
  add_fields(circuit_put_, circuit_fields_, {limit_spec[0], limit_spec[1], {"--parent", "parent"}, {"--name", "name"}});
  circuit_delete_ = circuit->add_subcommand("delete", "Delete a circuit with nothing under it");
  circuit_delete_->add_option("location", location_, "Location id")->required();
  circuit_delete_->add_option("id", circuit_, "Circuit id")->required();

  attach_ = energy->add_subcommand("attach", "Place an EVSE in its location's tree (create or replace)");
  attach_->add_option("location", location_, "Location id")->required();
  attach_->add_option("station", station_, "Station identity")->required();
  attach_->add_option("evse", evse_, "OCPP evse id (1.6: connector id)")->required();
  add_fields(attach_, attach_fields_,
             {{"--circuit", "circuit"},
              {"--rotation", "rotation"},
              {"--max-a", "max_current_a"},
              {"--max-kw", "max_power_kw"},
              {"--min-a", "min_current_a"}});
  attach_->add_flag("--dc", dc_, "A DC EVSE (its limit is in W)");
  attach_->add_flag("--bidirectional", bidirectional_, "May discharge (V2G) when the vehicle allows it");
  detach_ = energy->add_subcommand("detach", "Take an EVSE out of its location's tree");
  detach_->add_option("location", location_, "Location id")->required();
  detach_->add_option("station", station_, "Station identity")->required();
  detach_->add_option("evse", evse_, "OCPP evse id")->required();
  evses_ = energy->add_subcommand("evses", "Print the location's attached EVSEs as JSON");
  evses_->add_option("location", location_, "Location id")->required();

  auto *dr = energy->add_subcommand("dr", "Demand-response events: a site at most X kW from T1 to T2");
  dr->require_subcommand(1);
  dr_add_ = dr->add_subcommand("add", "Add an event (prints it with its id)");
  dr_add_->add_option("location", location_, "Location id")->required();
  add_fields(dr_add_, dr_fields_,
             {{"--from", "from"}, {"--to", "to"}, {"--max-kw", "max_power_kw"}, {"--source", "source"}});
  dr_list_ = dr->add_subcommand("list", "Print the location's events of the next 30 days (and the last day)");
  dr_list_->add_option("location", location_, "Location id")->required();
  dr_delete_ = dr->add_subcommand("delete", "Delete an event");
  dr_delete_->add_option("id", dr_id_, "Event id")->required();

  auto *priority = energy->add_subcommand("priority", "Priorities of customer groups (1..10, higher first)");
  priority->require_subcommand(1);
  priority_set_ = priority->add_subcommand("set", "Set a group's priority");
  priority_set_->add_option("group", group_, "Customer group")->required();
  priority_set_->add_option("priority", priority_, "1 to 10")->required();
  priority_list_ = priority->add_subcommand("list", "Print every group's priority as JSON");
  priority_delete_ = priority->add_subcommand("delete", "Remove a group's priority (its sessions get 1)");
  priority_delete_->add_option("group", group_, "Customer group")->required();
}

std::optional<int> AdminEnergyCommands::run(store::Store &store, Timestamp now) {
  const services::EnergyConfigService service;
  if (grid_show_->parsed()) {
    const auto id = location_id(location_);
    store.run([&](Repository &r) { print(api::grid_json(checked(service.grid(r, id)))); });
    return 0;
  }
  if (grid_put_->parsed()) {
    const auto id = location_id(location_);
    auto body = body_of(grid_fields_);
    if (disabled_) body["enabled"] = false;
    auto g = checked(api::grid_from_json(body, id));
    store.run([&](Repository &r) { print(api::grid_json(checked(service.put_grid(r, g, now)).value)); });
    return 0;
  }
  if (grid_delete_->parsed()) {
    const auto id = location_id(location_);
    store.run([&](Repository &r) { checked(service.delete_grid(r, id)); });
    return 0;
  }
  if (circuit_list_->parsed()) {
    const auto id = location_id(location_);
    store.run([&](Repository &r) {
      json::array out;
      for (const auto &c : checked(service.circuits(r, id)))
        out.push_back(api::circuit_json(c));
      print(out);
    });
    return 0;
  }
  if (circuit_put_->parsed()) {
    const auto id = location_id(location_);
    if (!services::is_circuit_id(circuit_))
      refuse(ServiceError::invalid("a circuit id is 1 to 36 of A-Z a-z 0-9 . _ -", "id"));
    auto c = checked(api::circuit_from_json(body_of(circuit_fields_), id, circuit_));
    store.run([&](Repository &r) { print(api::circuit_json(checked(service.put_circuit(r, c, now)).value)); });
    return 0;
  }
  if (circuit_delete_->parsed()) {
    const auto id = location_id(location_);
    store.run([&](Repository &r) { checked(service.delete_circuit(r, id, circuit_)); });
    return 0;
  }
  if (attach_->parsed()) {
    const auto id = location_id(location_);
    auto body = body_of(attach_fields_);
    body["dc"] = dc_;
    body["bidirectional"] = bidirectional_;
    auto a = checked(api::attachment_from_json(body, station_id(station_), evse_));
    store.run(
        [&](Repository &r) { print(api::attachment_json(checked(service.put_attachment(r, id, a, now)).value)); });
    return 0;
  }
  if (detach_->parsed()) {
    const auto id = location_id(location_);
    const auto station = station_id(station_);
    store.run([&](Repository &r) { checked(service.delete_attachment(r, id, station, evse_)); });
    return 0;
  }
  if (evses_->parsed()) {
    const auto id = location_id(location_);
    store.run([&](Repository &r) {
      json::array out;
      for (const auto &a : checked(service.attachments(r, id)))
        out.push_back(api::attachment_json(a));
      print(out);
    });
    return 0;
  }
  if (dr_add_->parsed()) {
    const auto id = location_id(location_);
    auto e = checked(api::demand_response_from_json(body_of(dr_fields_), id));
    store.run(
        [&](Repository &r) { print(api::demand_response_json(checked(service.add_demand_response(r, e, now)))); });
    return 0;
  }
  if (dr_list_->parsed()) {
    const auto id = location_id(location_);
    store.run([&](Repository &r) {
      json::array out;
      for (const auto &e :
           checked(service.demand_response(r, id, now - std::chrono::hours(24), now + std::chrono::hours(24 * 30))))
        out.push_back(api::demand_response_json(e));
      print(out);
    });
    return 0;
  }
  if (dr_delete_->parsed()) {
    store.run([&](Repository &r) { checked(service.delete_demand_response(r, dr_id_)); });
    return 0;
  }
  if (priority_set_->parsed()) {
    store.run([&](Repository &r) {
      print(api::priority_json(checked(service.put_priority(r, {group_, priority_})).value));
    });
    return 0;
  }
  if (priority_list_->parsed()) {
    store.run([&](Repository &r) {
      json::array out;
      for (const auto &p : service.priorities(r))
        out.push_back(api::priority_json(p));
      print(out);
    });
    return 0;
  }
  if (priority_delete_->parsed()) {
    store.run([&](Repository &r) { checked(service.delete_priority(r, group_)); });
    return 0;
  }
  return std::nullopt;
}

} // namespace gridlane::app
