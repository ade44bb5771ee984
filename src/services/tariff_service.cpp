// Stored tariffs: create or replace, read, list, delete (docs/api.md, "Tariffs").
#include "gridlane/services/tariff_service.hpp"

#include "gridlane/domain/tariff_codec.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

Result<PutTariff> TariffService::put(Repository &r, Tariff t, Timestamp now) const {
  t.last_updated = now;
  if (auto ok = validate_tariff(t); !ok) return ok.error();
  const bool created = r.put_tariff(t, now);
  return PutTariff{std::move(t), created};
}

Result<Tariff> TariffService::get(Repository &r, std::string_view id) const {
  auto t = r.tariff(id);
  if (!t) return ServiceError::not_found("no such tariff");
  return *t;
}

Paged<Tariff> TariffService::list(Repository &r, const TariffFilter &f) const {
  return {r.tariffs(f), r.count_tariffs(f)};
}

Result<void> TariffService::remove(Repository &r, std::string_view id) const {
  if (!r.delete_tariff(id)) return ServiceError::not_found("no such tariff");
  return {};
}

} // namespace gridlane::services
