#include "admin_location.hpp"

#include <boost/json.hpp>
#include <iostream>

#include "gridlane/api/json.hpp"
#include "gridlane/api/locations.hpp"
#include "gridlane/core/json_text.hpp"
#include "gridlane/services/location_service.hpp"
#include "refusal.hpp"

namespace gridlane::app {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

json::value parse_value(const std::string &flag, const std::string &text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) throw std::invalid_argument(flag + " must be JSON here: " + text);
  return v;
}

void print(const json::value &v) {
  std::cout << core::to_json_text(v) << "\n";
}

const std::vector<std::pair<std::string, std::string>> location_spec = {
    {"--address", "address"},
    {"--city", "city"},
    {"--postal-code", "postal_code"},
    {"--state", "state"},
    {"--country", "country"},
    {"--time-zone", "time_zone"},
    {"--parking-type", "parking_type"},
    {"--latitude", "latitude"},
    {"--longitude", "longitude"},
    {"--operator", "operator"},
    {"--operator-website", "operator_website"},
    {"--suboperator", "suboperator"},
    {"--owner", "owner"},
    {"--opening-times", "opening_times"},
};
const std::vector<std::pair<std::string, std::string>> evse_spec = {
    {"--emi3-id", "emi3_id"},
    {"--status", "status"},
    {"--floor-level", "floor_level"},
    {"--physical-reference", "physical_reference"},
};
const std::vector<std::pair<std::string, std::string>> connector_spec = {
    {"--standard", "standard"},         {"--format", "format"},
    {"--power-type", "power_type"},     {"--max-voltage", "max_voltage"},
    {"--max-amperage", "max_amperage"}, {"--max-power", "max_electric_power"},
};

} // namespace

void AdminLocationCommands::add_fields(CLI::App *cmd, std::vector<Field> &fields,
                                       const std::vector<std::pair<std::string, std::string>> &spec) {
  fields.reserve(spec.size()); // options keep pointers into these
  for (const auto &[flag, key] : spec) {
    fields.push_back(Field{key, {}, nullptr});
    fields.back().option = cmd->add_option(flag, fields.back().value, "OCPI " + key + " (\"\" clears it)");
  }
}

void AdminLocationCommands::attach(CLI::App &admin) {
  auto *location = admin.add_subcommand("location", "Locations, and stations' EVSEs and connectors (OCPI 2.2.1)");
  location->require_subcommand(1);

  list_ = location->add_subcommand("list", "List locations by name");
  list_->add_option("--name", filter_name_, "Only the location of this name");
  list_->add_option("--city", filter_city_, "Only locations in this city");
  list_->add_option("--country", filter_country_, "Only locations in this country (alpha-3)");
  list_->add_option("--limit", limit_, "At most this many (default 100)");
  list_->add_option("--offset", offset_, "Skip this many");
  list_->add_flag("--json", json_, "Print JSON");

  show_ = location->add_subcommand("show", "A location with its stations and their EVSEs (JSON)");
  show_->add_option("id", id_, "Location id")->required();

  add_ = location->add_subcommand("add", "Create a location (prints it as JSON)");
  add_->add_option("name", name_, "Its name (unique; the `site` of its stations)")->required();
  add_->add_option("--id", id_, "Its id (default: 16 random hex digits)");
  add_->add_option("--publish", publish_,
                   "true: may be published (needs address, city, country, coordinates, "
                   "time zone)")
      ->check(CLI::IsMember({"true", "false"}));
  facilities_add_ = add_->add_option("--facility", facilities_, "A facility (repeat), e.g. PARKING_LOT");
  add_fields(add_, add_fields_, location_spec);

  update_ = location->add_subcommand("update", "Change the fields given (prints the location as JSON)");
  update_->add_option("id", id_, "Location id")->required();
  update_->add_option("--name", name_, "A new name (also the new `site` of its stations)");
  update_->add_option("--publish", publish_, "true or false")->check(CLI::IsMember({"true", "false"}));
  facilities_update_ = update_->add_option("--facility", facilities_, "A facility (repeat; \"\" for none)");
  add_fields(update_, update_fields_, location_spec);

  delete_ = location->add_subcommand("delete", "Delete a location that has no stations");
  delete_->add_option("id", id_, "Location id")->required();

  assign_ = location->add_subcommand("assign", "Put a station at a location");
  assign_->add_option("station", station_, "Station identity")->required();
  assign_->add_option("location", location_, "Location id");
  assign_->add_flag("--none", none_, "At no location");

  auto *evse = location->add_subcommand("evse", "A station's EVSEs (by OCPP evse id; a 1.6 station's connector id)");
  evse->require_subcommand(1);
  evse_list_ = evse->add_subcommand("list", "The station's EVSEs and connectors (JSON)");
  evse_list_->add_option("station", station_, "Station identity")->required();
  evse_put_ = evse->add_subcommand("put", "Describe an EVSE (create or replace its fields; prints it)");
  evse_put_->add_option("station", station_, "Station identity")->required();
  evse_put_->add_option("evse", evse_, "OCPP evse id")->required();
  capabilities_opt_ = evse_put_->add_option("--capability", capabilities_, "A capability (repeat), e.g. RFID_READER");
  add_fields(evse_put_, evse_fields_, evse_spec);
  evse_delete_ = evse->add_subcommand("delete", "Delete an EVSE with its connectors");
  evse_delete_->add_option("station", station_, "Station identity")->required();
  evse_delete_->add_option("evse", evse_, "OCPP evse id")->required();

  auto *connector = location->add_subcommand("connector", "Connectors of a station's EVSE");
  connector->require_subcommand(1);
  connector_put_ = connector->add_subcommand("put", "Describe a connector (create or replace; prints its EVSE)");
  connector_put_->add_option("station", station_, "Station identity")->required();
  connector_put_->add_option("evse", evse_, "OCPP evse id")->required();
  connector_put_->add_option("connector", connector_, "OCPP connector id within the EVSE")->required();
  add_fields(connector_put_, connector_fields_, connector_spec);
  connector_delete_ = connector->add_subcommand("delete", "Delete a connector");
  connector_delete_->add_option("station", station_, "Station identity")->required();
  connector_delete_->add_option("evse", evse_, "OCPP evse id")->required();
  connector_delete_->add_option("connector", connector_, "OCPP connector id")->required();
}

std::optional<int> AdminLocationCommands::run(store::Store &store, Timestamp now) {
  const services::LocationService service;
  auto station_id = [this] {
    auto id = StationId::parse(station_);
    if (!id) throw std::invalid_argument("bad station identity");
    return *id;
  };
  auto location_id = [](const std::string &text) {
    auto id = LocationId::parse(text);
    if (!id) throw std::invalid_argument("not found: no such location");
    return *id;
  };
  // The flags given, as the JSON body the API would receive for the same change.
  auto body_of = [](const std::vector<Field> &fields) {
    json::object b;
    std::optional<std::string> lat, lon;
    json::object business;
    for (const auto &f : fields) {
      if (f.option->count() == 0) continue;
      const json::value text = f.value.empty() ? json::value(nullptr) : json::value(f.value);
      if (f.key == "latitude") {
        lat = f.value;
      } else if (f.key == "longitude") {
        lon = f.value;
      } else if (f.key == "operator_website") {
        business["website"] = text;
      } else if (f.key == "operator" || f.key == "suboperator" || f.key == "owner") {
        b[f.key] = f.value.empty() ? json::value(nullptr) : json::value(json::object{{"name", f.value}});
      } else if (f.key == "opening_times" || f.key.starts_with("max_")) {
        b[f.key] = f.value.empty() ? json::value(nullptr) : parse_value("--" + f.key, f.value);
      } else {
        b[f.key] = text;
      }
    }
    if (lat || lon) {
      if (!lat || !lon || lat->empty() != lon->empty())
        throw std::invalid_argument("--latitude and --longitude go together");
      b["coordinates"] =
          lat->empty() ? json::value(nullptr) : json::value(json::object{{"latitude", *lat}, {"longitude", *lon}});
    }
    if (!business.empty()) {
      auto *op = b.if_contains("operator");
      if (!op || !op->is_object()) throw std::invalid_argument("--operator-website needs --operator");
      op->as_object()["website"] = business["website"];
    }
    return b;
  };
  auto names = [](const std::vector<std::string> &values) {
    json::array out;
    for (const auto &v : values)
      if (!v.empty()) out.push_back(json::string(v));
    return out;
  };

  if (list_->parsed()) {
    LocationFilter f;
    if (!filter_name_.empty()) f.name = filter_name_;
    if (!filter_city_.empty()) f.city = filter_city_;
    if (!filter_country_.empty()) f.country = filter_country_;
    f.limit = limit_;
    f.offset = offset_;
    std::vector<Location> found;
    store.run([&](Repository &r) { found = service.locations(r, f); });
    if (json_) {
      json::array out;
      for (const auto &l : found)
        out.push_back(api::location_json(l));
      print(out);
    } else {
      for (const auto &l : found)
        std::cout << l.id.str() << "  " << l.name << "  " << l.city.value_or("-") << "  " << l.country.value_or("-")
                  << (l.publish ? "  published" : "") << "\n";
    }
    return 0;
  }
  if (show_->parsed()) {
    json::object out;
    store.run([&](Repository &r) {
      out = api::location_json(checked(service.location(r, location_id(id_))));
      json::array stations;
      for (const auto &id : r.location_stations(LocationId::unchecked(id_))) {
        json::array evses;
        for (const auto &e : r.evses(id))
          evses.push_back(api::evse_json(e));
        stations.push_back(json::object{{"id", id.str()}, {"evses", std::move(evses)}});
      }
      out["stations"] = std::move(stations);
    });
    print(out);
    return 0;
  }
  if (add_->parsed() || update_->parsed()) {
    const bool add = add_->parsed();
    auto body = body_of(add ? add_fields_ : update_fields_);
    if (add || !name_.empty()) body["name"] = name_;
    if (add && !id_.empty()) body["id"] = id_;
    if (!publish_.empty()) body["publish"] = publish_ == "true";
    if ((add ? facilities_add_ : facilities_update_)->count() > 0) body["facilities"] = names(facilities_);
    Location saved;
    store.run([&](Repository &r) {
      if (add) {
        Location draft;
        checked(api::apply_location_fields(body, draft, true));
        saved = checked(service.create_location(r, draft, now));
      } else {
        auto current = checked(service.location(r, location_id(id_)));
        checked(api::apply_location_fields(body, current, false));
        saved = checked(service.update_location(r, current, now));
      }
    });
    print(api::location_json(saved));
    return 0;
  }
  if (delete_->parsed()) {
    store.run([&](Repository &r) { checked(service.delete_location(r, location_id(id_))); });
    std::cout << "location " << id_ << " deleted\n";
    return 0;
  }
  if (assign_->parsed()) {
    if (none_ == !location_.empty()) throw std::invalid_argument("give a location id, or --none");
    std::optional<LocationId> target;
    if (!none_) target = location_id(location_);
    auto id = station_id();
    store.run([&](Repository &r) { checked(service.assign_station(r, id, target)); });
    std::cout << "station " << id.str() << (none_ ? " is at no location" : " is at location " + location_) << "\n";
    return 0;
  }
  if (evse_list_->parsed()) {
    json::array out;
    auto id = station_id();
    store.run([&](Repository &r) {
      for (const auto &e : checked(service.evses(r, id)))
        out.push_back(api::evse_json(e));
    });
    print(out);
    return 0;
  }
  if (evse_put_->parsed()) {
    auto body = body_of(evse_fields_);
    if (capabilities_opt_->count() > 0) body["capabilities"] = names(capabilities_);
    Evse draft;
    draft.station = station_id();
    draft.evse_id = evse_;
    bool status_given = false;
    checked(api::apply_evse_fields(body, draft, status_given));
    Evse saved;
    store.run([&](Repository &r) {
      saved = checked(service.put_evse(r, draft, services::EvseWrite{status_given, false, false}, now)).value;
    });
    print(api::evse_json(saved));
    return 0;
  }
  if (evse_delete_->parsed()) {
    auto id = station_id();
    store.run([&](Repository &r) { checked(service.delete_evse(r, id, evse_)); });
    std::cout << "EVSE " << evse_ << " of station " << id.str() << " deleted\n";
    return 0;
  }
  if (connector_put_->parsed()) {
    auto id = station_id();
    auto connector = checked(api::connector_from_json(body_of(connector_fields_), connector_));
    Evse saved;
    store.run([&](Repository &r) { saved = checked(service.put_connector(r, id, evse_, connector, now)).value; });
    print(api::evse_json(saved));
    return 0;
  }
  if (connector_delete_->parsed()) {
    auto id = station_id();
    store.run([&](Repository &r) { checked(service.delete_connector(r, id, evse_, connector_)); });
    std::cout << "connector " << connector_ << " of EVSE " << evse_ << " of station " << id.str() << " deleted\n";
    return 0;
  }
  return std::nullopt;
}

} // namespace gridlane::app
