#include "gridlane/domain/firmware.hpp"

#include <algorithm>

namespace gridlane::domain {

bool campaign_filter_matches(const CampaignFilter &f, const Station &s) {
  if (f.vendor && s.identity.vendor != *f.vendor) return false;
  if (f.model && s.identity.model != *f.model) return false;
  if (f.version && s.identity.firmware_version != f.version) return false;
  if (f.location_id && (!s.location_id || s.location_id->str() != *f.location_id)) return false;
  if (!f.stations.empty() && std::find(f.stations.begin(), f.stations.end(), s.id) == f.stations.end()) return false;
  return true;
}

int canary_count(int total, int percent) {
  if (total <= 0 || percent <= 0) return 0;
  if (percent >= 100) return total;
  return static_cast<int>((static_cast<std::int64_t>(total) * percent + 99) / 100);
}

} // namespace gridlane::domain
