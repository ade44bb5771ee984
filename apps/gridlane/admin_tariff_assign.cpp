#include "admin_tariff_assign.hpp"

#include <boost/json.hpp>
#include <iostream>

#include "gridlane/api/tariff_assignments.hpp"
#include "gridlane/core/json_text.hpp"
#include "gridlane/services/tariff_assignment_service.hpp"
#include "refusal.hpp"

namespace gridlane::app {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

CLI::App *tariff_command(CLI::App &admin) {
  auto found = admin.get_subcommands([](CLI::App *a) { return a->get_name() == "tariff"; });
  if (!found.empty()) return found.front();
  auto *tariff = admin.add_subcommand("tariff", "Manage tariffs and where they apply");
  tariff->require_subcommand(1);
  return tariff;
}

} // namespace

void AdminTariffAssignCommands::attach(CLI::App &admin) {
  auto *tariff = tariff_command(admin);
  assign_ = tariff->add_subcommand(
      "assign", "Assign a tariff to every session (--default), a location, an EVSE or a connector; assigning "
                "again for the same target and group replaces the tariff");
  assign_->add_option("tariff", tariff_, "The tariff's id")->required();
  auto *def = assign_->add_flag("--default", default_, "For every session that no narrower assignment covers");
  auto *loc = assign_->add_option("--location", location_, "For the sessions at this location (its id)");
  auto *st = assign_->add_option("--station", station_, "With --evse: for that EVSE (or --connector) of this station");
  auto *ev = assign_->add_option("--evse", evse_, "The OCPP evse id (a 1.6 station's connector id)");
  assign_->add_option("--connector", connector_, "The connector within the EVSE (1 for a 1.6 station)")->needs(ev);
  ev->needs(st);
  st->needs(ev);
  def->excludes(loc)->excludes(st);
  loc->excludes(st);
  assign_->add_option("--group", group_, "Only for sessions of this customer group (token group or billing plan)");
  assign_->add_flag("--json", json_, "Print the assignment as JSON");

  unassign_ = tariff->add_subcommand("unassign", "Remove a tariff assignment (started sessions keep their tariff)");
  unassign_->add_option("id", id_, "The assignment's id")->required();

  list_ = tariff->add_subcommand("assignments", "List tariff assignments");
  list_->add_option("--tariff", tariff_, "Only those of this tariff");
  list_->add_option("--location", location_, "Only those of this location");
  list_->add_option("--station", station_, "Only those of this station's EVSEs and connectors");
  list_->add_option("--limit", limit_, "At most this many (default 100)");
  list_->add_option("--offset", offset_, "Skip this many");
  list_->add_flag("--json", json_, "Print JSON");
}

std::optional<int> AdminTariffAssignCommands::run(store::Store &store, core::Timestamp now) {
  const services::TariffAssignmentService service;
  if (assign_->parsed()) {
    // The flags as the body the API would receive for the same assignment.
    json::object body{{"tariff_id", tariff_}};
    if (default_) {
      body["scope"] = "default";
    } else if (!location_.empty()) {
      body["scope"] = "location";
      body["location_id"] = location_;
    } else if (!station_.empty()) {
      body["scope"] = connector_ > 0 ? "connector" : "evse";
      body["station_id"] = station_;
      body["evse_id"] = evse_;
      if (connector_ > 0) body["connector_id"] = connector_;
    } else {
      throw std::invalid_argument("say where: --default, --location ID, or --station ID --evse N [--connector N]");
    }
    if (!group_.empty()) body["customer_group"] = group_;
    auto draft = api::tariff_assignment_from_json(body);
    if (!draft) refuse(draft.error());
    std::optional<Result<services::Saved<TariffAssignment>>> saved;
    store.run([&](Repository &r) { saved = service.assign(r, *draft, now); });
    if (!*saved) refuse(saved->error());
    const auto &a = (*saved)->value;
    if (json_)
      std::cout << core::to_json_text(api::tariff_assignment_json(a)) << "\n";
    else
      std::cout << ((*saved)->created ? "assigned " : "reassigned ") << a.id << "\n";
    return 0;
  }
  if (unassign_->parsed()) {
    std::optional<Result<void>> done;
    store.run([&](Repository &r) { done = service.unassign(r, id_); });
    if (!*done) refuse(done->error());
    std::cout << "unassigned " << id_ << "\n";
    return 0;
  }
  if (list_->parsed()) {
    TariffAssignmentFilter f;
    if (!tariff_.empty()) f.tariff_id = tariff_;
    if (!location_.empty()) f.location = LocationId::unchecked(location_);
    if (!station_.empty()) f.station = StationId::unchecked(station_);
    f.limit = limit_;
    f.offset = offset_;
    std::vector<TariffAssignment> found;
    store.run([&](Repository &r) { found = service.assignments(r, f); });
    if (json_) {
      json::array out;
      for (const auto &a : found)
        out.push_back(api::tariff_assignment_json(a));
      std::cout << core::to_json_text(out) << "\n";
      return 0;
    }
    for (const auto &a : found) {
      std::cout << a.id << "  " << a.tariff_id << "  ";
      if (a.location)
        std::cout << "location " << a.location->str();
      else if (a.connector_id)
        std::cout << "connector " << a.station->str() << " " << *a.evse_id << " " << *a.connector_id;
      else if (a.evse_id)
        std::cout << "evse " << a.station->str() << " " << *a.evse_id;
      else
        std::cout << "default";
      std::cout << "  " << a.customer_group.value_or("-") << "\n";
    }
    return 0;
  }
  return std::nullopt;
}

} // namespace gridlane::app
