#include "tariff_source.hpp"

#include "gridlane/domain/tariff_codec.hpp"

namespace gridlane::services {

std::optional<StoredTariff> find_tariff(domain::Repository &r, const std::string &id) {
  auto t = r.tariff(id);
  if (!t) return std::nullopt;
  auto json = domain::encode_tariff(*t); // what decode_tariff reads back: decode(encode(t)) == t
  return StoredTariff{std::move(*t), std::move(json)};
}

domain::Result<domain::Tariff> tariff_of_snapshot(const std::string &json) {
  auto t = domain::decode_tariff(json);
  if (!t) return domain::ServiceError::internal("a stored tariff snapshot no longer reads: " + t.error().message);
  return t;
}

} // namespace gridlane::services
