#include "energy_service_load.hpp"

#include <algorithm>

#include "gridlane/services/tariff_assignment_service.hpp"

namespace gridlane::services::energy_site {
using namespace gridlane::domain;

Session load_session(Repository &r, const Transaction &t) {
  Session s;
  s.transaction_id = t.id;
  s.station_tx_id = t.station_tx_id;
  s.protocol = t.protocol;
  if (t.number_of_phases && *t.number_of_phases >= 1 && *t.number_of_phases <= 3)
    s.vehicle_phases = *t.number_of_phases;
  const auto groups = session_target(r, t).customer_groups;
  if (!groups.empty()) {
    for (const auto &p : r.group_priorities())
      if (std::find(groups.begin(), groups.end(), p.customer_group) != groups.end())
        s.priority = std::max(s.priority, std::clamp(p.priority, 1, 10));
  }
  s.need = r.departure_need(t.id);
  return s;
}

std::optional<Site> load_site(Repository &r, const LocationId &location, Timestamp now, std::chrono::seconds horizon) {
  auto tree = r.tree(location);
  if (!tree) return std::nullopt;
  Site site;
  site.tree = std::move(*tree);
  site.dr = r.demand_response(location, now, now + horizon);
  site.prices = r.prices(location, now, now + horizon);
  site.building = r.series(location, SeriesKind::BuildingLoad, now, now + horizon);
  site.pv = r.series(location, SeriesKind::Pv, now, now + horizon);
  for (const auto &a : site.tree.attachments) {
    Evse e;
    e.attachment = a;
    if (auto evse = r.evse(a.station, a.evse_id)) {
      // The EVSE takes what its best connector takes; DC when every described connector is DC.
      for (const auto &c : evse->connectors) {
        if (c.max_amperage && (!e.hardware_max || *c.max_amperage > *e.hardware_max)) e.hardware_max = c.max_amperage;
        if (c.max_electric_power && (!e.hardware_power || *c.max_electric_power > *e.hardware_power))
          e.hardware_power = c.max_electric_power;
      }
    }
    site.evses.emplace(EvseKey{a.station, a.evse_id}, std::move(e));
  }
  TransactionFilter f;
  f.location = location;
  f.state = TransactionState::Active;
  f.limit = 10000;
  for (const auto &t : r.transactions(f)) {
    auto it = site.evses.find(EvseKey{t.station, t.evse_id});
    if (it == site.evses.end()) continue; // not attached: not managed
    it->second.session = load_session(r, t);
  }
  return site;
}

} // namespace gridlane::services::energy_site
