// Tariff assignments (docs/tariff-assignments.md) and the cost of a transaction.
// The rules are services::TariffAssignmentService's and services::SessionPricing's; this file
// reads requests and writes answers.
#include <array>

#include "gridlane/api/tariff_assignments.hpp"

#include "gridlane/core/logging.hpp"
#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/services/session_pricing.hpp"
#include "gridlane/services/tariff_assignment_service.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

namespace {

constexpr std::array<std::pair<std::string_view, AssignmentScope>, 4> scopes{{
    {"default", AssignmentScope::Default},
    {"location", AssignmentScope::Location},
    {"evse", AssignmentScope::Evse},
    {"connector", AssignmentScope::Connector},
}};

std::string_view scope_text(AssignmentScope s) {
  for (const auto &[text, v] : scopes)
    if (v == s) return text;
  return "default";
}

} // namespace

json::object tariff_assignment_json(const TariffAssignment &a) {
  json::object o{{"id", a.id}, {"tariff_id", a.tariff_id}, {"scope", scope_text(a.scope)}};
  if (a.location) o["location_id"] = a.location->str();
  if (a.station) o["station_id"] = a.station->str();
  if (a.evse_id) o["evse_id"] = *a.evse_id;
  if (a.connector_id) o["connector_id"] = *a.connector_id;
  o["customer_group"] = a.customer_group ? json::value(*a.customer_group) : json::value(nullptr);
  o["created_at"] = core::format_iso8601(a.created_at);
  return o;
}

namespace {

//! A positive integer member, if present (422 naming it otherwise).
Result<std::optional<int>> positive_member(const json::object &o, std::string_view key) {
  const auto *v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<int>{};
  if (!v->is_int64() || v->get_int64() < 1 || v->get_int64() > max_wire_int)
    return ServiceError::invalid("'" + std::string(key) + "' must be a positive integer", std::string(key));
  return std::optional<int>{static_cast<int>(v->get_int64())};
}

} // namespace

Result<TariffAssignment> tariff_assignment_from_json(const json::object &body) {
  static constexpr std::array known{"tariff_id", "scope",        "location_id",   "station_id",
                                    "evse_id",   "connector_id", "customer_group"};
  for (const auto &[key, value] : body)
    if (std::find(known.begin(), known.end(), std::string_view(key)) == known.end())
      return ServiceError::invalid("unknown property (tariff_id, scope, location_id, station_id, evse_id, "
                                   "connector_id and customer_group are known)",
                                   std::string(key));
  TariffAssignment a;
  auto tariff = text_member(body, "tariff_id");
  if (!tariff) return tariff.error();
  a.tariff_id = *tariff;
  auto scope = text_member(body, "scope");
  if (!scope) return scope.error();
  const auto *found = std::find_if(scopes.begin(), scopes.end(), [&](const auto &s) { return s.first == *scope; });
  if (found == scopes.end())
    return ServiceError::invalid("scope must be default, location, evse or connector", "scope");
  a.scope = found->second;
  auto location = optional_text_member(body, "location_id", true);
  if (!location) return location.error();
  if (*location) {
    auto id = LocationId::parse(**location);
    if (!id) return ServiceError::invalid("no location '" + **location + "'", "location_id");
    a.location = *id;
  }
  auto station = optional_text_member(body, "station_id", true);
  if (!station) return station.error();
  if (*station) {
    auto id = StationId::parse(**station);
    if (!id) return ServiceError::invalid("no station '" + **station + "'", "station_id");
    a.station = *id;
  }
  auto evse = positive_member(body, "evse_id");
  if (!evse) return evse.error();
  a.evse_id = *evse;
  auto connector = positive_member(body, "connector_id");
  if (!connector) return connector.error();
  a.connector_id = *connector;
  auto group = optional_text_member(body, "customer_group", true);
  if (!group) return group.error();
  a.customer_group = *group;
  return a;
}

void list_tariff_assignments(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  TariffAssignmentFilter f;
  f.limit = page->limit;
  f.offset = page->offset;
  f.tariff_id = c->query_param("tariff_id");
  if (auto l = c->query_param("location_id")) {
    auto id = LocationId::parse(*l);
    if (!id) return c->reply(200, page_json({}, *page, 0)); // no such location: nothing assigned to it
    f.location = *id;
  }
  if (auto s = c->query_param("station_id")) {
    auto id = StationId::parse(*s);
    if (!id) return c->reply(200, page_json({}, *page, 0));
    f.station = *id;
  }
  c->api->unit(c, 200, [f, p = *page](Repository &r) -> Result<json::value> {
    json::array items;
    for (const auto &a : services::TariffAssignmentService{}.assignments(r, f))
      items.push_back(tariff_assignment_json(a));
    return json::value(page_json(std::move(items), p, r.count_tariff_assignments(f)));
  });
}

void create_tariff_assignment(const CtxPtr &c) {
  auto body = c->json_body();
  if (!body) return c->fail(body.error());
  auto draft = tariff_assignment_from_json(*body);
  if (!draft) return c->fail(draft.error());
  auto now = c->api->clock.now();
  // 201 for a new assignment, 200 when it replaced the tariff of the same target and group.
  services::run_unit<Result<services::Saved<TariffAssignment>>>(
      c->api->store,
      [d = std::move(*draft), now](Repository &r) { return services::TariffAssignmentService{}.assign(r, d, now); },
      [c](services::Outcome<Result<services::Saved<TariffAssignment>>> o) {
        if (!o.ok()) {
          core::log(core::Component::Api).error("{} {}: {}", c->req.method, c->req.path, o.error());
          return c->problem(500, "internal error");
        }
        if (!o.value()) return c->fail(o.value().error());
        c->reply(o.value()->created ? 201 : 200, tariff_assignment_json(o.value()->value));
      });
}

void get_tariff_assignment(const CtxPtr &c) {
  auto id = c->path_number("tariff assignment");
  if (!id) return c->fail(id.error());
  c->api->unit(c, 200, [id = *id](Repository &r) -> Result<json::value> {
    auto a = services::TariffAssignmentService{}.assignment(r, id);
    if (!a) return a.error();
    return json::value(tariff_assignment_json(*a));
  });
}

void delete_tariff_assignment(const CtxPtr &c) {
  auto id = c->path_number("tariff assignment");
  if (!id) return c->fail(id.error());
  c->api->unit(c, 204, [id = *id](Repository &r) -> Result<json::value> {
    if (auto ok = services::TariffAssignmentService{}.unassign(r, id); !ok) return ok.error();
    return json::value(nullptr);
  });
}

void transaction_cost(const CtxPtr &c) {
  auto id = c->path_number("transaction");
  if (!id) return c->fail(id.error());
  auto now = c->api->clock.now();
  c->api->unit(c, 200, [id = *id, now](Repository &r) -> Result<json::value> {
    auto cost = services::SessionPricing::price(r, id, now);
    if (!cost) return cost.error();
    auto t = r.transaction(id);
    // The OCPI CDR's names for what it cost so far (a running session) or in the end.
    json::object out{{"transaction_id", id},
                     {"final", t && t->state == TransactionState::Ended},
                     {"time_zone", std::string(cost->zone.name())}};
    auto priced = priced_json(cost->priced);
    for (auto &kv : priced)
      out[kv.key()] = std::move(kv.value());
    out["tariffs"] = json::array{tariff_to_json(cost->tariff)};
    return json::value(std::move(out));
  });
}

} // namespace gridlane::api
