#include "gridlane/services/tariff_assignment_service.hpp"

#include <algorithm>

#include "tariff_source.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

constexpr std::size_t max_tariff_id = 36;      // OCPI CiString(36)
constexpr std::size_t max_customer_group = 36; // OCPP 2.x groupIdToken: identifierString(36)

Result<void> fail(std::string message, std::string field) {
  return ServiceError::invalid(std::move(message), std::move(field));
}

bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; });
}

int scope_rank(AssignmentScope s) { // narrowest first
  switch (s) {
  case AssignmentScope::Connector: return 0;
  case AssignmentScope::Evse: return 1;
  case AssignmentScope::Location: return 2;
  case AssignmentScope::Default: return 3;
  }
  return 3;
}

bool covers(const TariffAssignment &a, const SessionTarget &t) {
  switch (a.scope) {
  case AssignmentScope::Default: return true;
  case AssignmentScope::Location: return a.location && t.location && *a.location == *t.location;
  case AssignmentScope::Evse: return a.station && *a.station == t.station && a.evse_id == t.evse_id;
  case AssignmentScope::Connector:
    return a.station && *a.station == t.station && a.evse_id == t.evse_id && a.connector_id == t.connector_id;
  }
  return false;
}

//! 0.. for the session's groups in their order, then the general assignment; nullopt: another group's.
std::optional<std::size_t> group_rank(const TariffAssignment &a, const SessionTarget &t) {
  if (!a.customer_group) return t.customer_groups.size();
  auto it = std::find(t.customer_groups.begin(), t.customer_groups.end(), *a.customer_group);
  if (it == t.customer_groups.end()) return std::nullopt;
  return static_cast<std::size_t>(it - t.customer_groups.begin());
}

Result<void> check_target(Repository &r, const TariffAssignment &a) {
  const bool has_location = a.location.has_value(), has_station = a.station.has_value();
  const bool has_evse = a.evse_id.has_value(), has_connector = a.connector_id.has_value();
  switch (a.scope) {
  case AssignmentScope::Default:
    if (has_location || has_station || has_evse || has_connector)
      return fail("a default assignment names no location, station, EVSE or connector", "scope");
    return {};
  case AssignmentScope::Location:
    if (!has_location) return fail("location_id is required", "location_id");
    if (has_station || has_evse || has_connector)
      return fail("a location assignment names no station, EVSE or connector", "station_id");
    if (!r.location(*a.location)) return fail("no location '" + a.location->str() + "'", "location_id");
    return {};
  case AssignmentScope::Evse:
  case AssignmentScope::Connector:
    if (has_location) return fail("an EVSE or connector assignment names its station, not a location", "location_id");
    if (!has_station) return fail("station_id is required", "station_id");
    if (!has_evse) return fail("evse_id is required", "evse_id");
    if (*a.evse_id < 1 || *a.evse_id > max_wire_int) return fail("evse_id must be a positive integer", "evse_id");
    if (a.scope == AssignmentScope::Connector && !has_connector)
      return fail("connector_id is required", "connector_id");
    if (a.scope == AssignmentScope::Evse && has_connector)
      return fail("an EVSE assignment names no connector", "connector_id");
    if (has_connector && (*a.connector_id < 1 || *a.connector_id > max_wire_int))
      return fail("connector_id must be a positive integer", "connector_id");
    if (!r.station(*a.station)) return fail("no station '" + a.station->str() + "'", "station_id");
    return {};
  }
  return {};
}

bool valid_at(const Tariff &t, Timestamp at) {
  if (t.start_date_time && at < *t.start_date_time) return false;
  if (t.end_date_time && at >= *t.end_date_time) return false;
  return true;
}

} // namespace

std::vector<TariffAssignment> rank_assignments(const std::vector<TariffAssignment> &candidates,
                                               const SessionTarget &target) {
  std::vector<std::pair<std::pair<int, std::size_t>, TariffAssignment>> ranked;
  for (const auto &a : candidates) {
    if (!covers(a, target)) continue;
    auto g = group_rank(a, target);
    if (!g) continue;
    ranked.push_back({{scope_rank(a.scope), *g}, a});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto &x, const auto &y) { return x.first < y.first; });
  std::vector<TariffAssignment> out;
  out.reserve(ranked.size());
  for (auto &r : ranked)
    out.push_back(std::move(r.second));
  return out;
}

std::vector<std::string> customer_groups_of(Repository &r, const std::string &id_tag) {
  std::vector<std::string> groups;
  if (id_tag.empty()) return groups;
  auto add = [&groups](std::optional<std::string> g) {
    if (g && !g->empty() && std::find(groups.begin(), groups.end(), *g) == groups.end()) groups.push_back(*g);
  };
  // The billing plan's customer group comes first (a plan that selects cheaper tariffs).
  add(r.customer_group_of_token(id_tag));
  if (auto token = r.id_token(id_tag)) add(token->parent_id);
  return groups;
}

SessionTarget session_target(Repository &r, const Transaction &t) {
  SessionTarget target;
  target.station = t.station;
  // 1.6: the station's connector n is EVSE n with its connector 1 (docs/locations.md).
  const bool v16 = t.protocol == ProtocolVersion::Ocpp16;
  target.evse_id = v16 ? t.connector_id : t.evse_id;
  target.connector_id = v16 ? 1 : t.connector_id;
  if (auto s = r.station(t.station)) target.location = s->location_id;
  target.customer_groups = customer_groups_of(r, t.id_tag);
  return target;
}

Result<Saved<TariffAssignment>> TariffAssignmentService::assign(Repository &r, TariffAssignment draft,
                                                                Timestamp now) const {
  if (draft.tariff_id.empty() || draft.tariff_id.size() > max_tariff_id || !printable(draft.tariff_id))
    return ServiceError::invalid("tariff_id must be 1 to 36 characters", "tariff_id");
  if (draft.customer_group && (draft.customer_group->empty() || draft.customer_group->size() > max_customer_group ||
                               !printable(*draft.customer_group)))
    return ServiceError::invalid("customer_group must be 1 to 36 characters", "customer_group");
  if (auto ok = check_target(r, draft); !ok) return ok.error();
  if (!find_tariff(r, draft.tariff_id))
    return ServiceError::invalid("no tariff '" + draft.tariff_id + "'", "tariff_id");
  draft.created_at = now;
  auto stored = r.put_tariff_assignment(draft);
  auto saved = r.tariff_assignment(stored.id);
  if (!saved) return ServiceError::internal("the assignment vanished while it was stored");
  return Saved<TariffAssignment>{*saved, stored.inserted};
}

Result<TariffAssignment> TariffAssignmentService::assignment(Repository &r, std::int64_t id) const {
  auto a = r.tariff_assignment(id);
  if (!a) return ServiceError::not_found("no such tariff assignment");
  return *a;
}

std::vector<TariffAssignment> TariffAssignmentService::assignments(Repository &r,
                                                                   const TariffAssignmentFilter &f) const {
  return r.tariff_assignments(f);
}

Result<void> TariffAssignmentService::unassign(Repository &r, std::int64_t id) const {
  if (!r.delete_tariff_assignment(id)) return ServiceError::not_found("no such tariff assignment");
  return {};
}

std::optional<Resolved> TariffAssignmentService::resolve(Repository &r, const SessionTarget &target,
                                                         Timestamp at) const {
  auto ranked = rank_assignments(
      r.tariff_assignments_for(target.location, target.station, target.evse_id, target.connector_id), target);
  for (const auto &a : ranked) {
    auto found = find_tariff(r, a.tariff_id); // a deleted tariff: the next assignment
    if (!found || !valid_at(found->tariff, at)) continue;
    TariffSnapshot snap;
    snap.tariff_id = a.tariff_id;
    snap.assignment_id = a.id;
    snap.customer_group = a.customer_group;
    snap.tariff_json = std::move(found->json);
    return Resolved{std::move(snap), std::move(found->tariff)};
  }
  return std::nullopt;
}

void snapshot_tariff(Repository &r, const Transaction &t, Timestamp now) {
  auto resolved = TariffAssignmentService{}.resolve(r, session_target(r, t), t.started_at);
  if (!resolved) return;
  resolved->snapshot.transaction_id = t.id;
  resolved->snapshot.resolved_at = now;
  r.put_tariff_snapshot(resolved->snapshot);
}

void tariff_driver_identified(Repository &r, const Transaction &t, Timestamp now) {
  if (!customer_groups_of(r, t.id_tag).empty()) snapshot_tariff(r, t, now);
}

} // namespace gridlane::services
