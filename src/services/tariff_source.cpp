#include "tariff_source.hpp"

namespace gridlane::services {

// Until the tariff store and codec are merged (h-tariffs), no tariff exists.
std::optional<StoredTariff> find_tariff(domain::Repository &, const std::string &) {
  return std::nullopt;
}

domain::Result<domain::Tariff> tariff_of_snapshot(const std::string &) {
  return domain::ServiceError::internal("the tariff codec is not built in");
}

} // namespace gridlane::services
