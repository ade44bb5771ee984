#include "tariff_source.hpp"

#include "gridlane/domain/tariff_codec.hpp"

namespace gridlane::services {

// Until the tariff store is merged (h-tariffs: domain/store/tariffs.hpp), no tariff exists.
std::optional<StoredTariff> find_tariff(domain::Repository &, const std::string &) {
  return std::nullopt;
}

domain::Result<domain::Tariff> tariff_of_snapshot(const std::string &json) {
  auto t = domain::decode_tariff(json);
  if (!t) return domain::ServiceError::internal("a stored tariff snapshot no longer reads: " + t.error().message);
  return t;
}

} // namespace gridlane::services
