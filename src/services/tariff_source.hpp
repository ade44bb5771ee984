#pragma once
// Private to the services library: the one seam between tariff assignment / session pricing and
// the tariff store and codec (domain/store/tariffs.hpp, domain/tariff_codec.hpp).
#include <optional>
#include <string>

#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"
#include "gridlane/domain/tariff.hpp"

namespace gridlane::services {

//! A stored tariff: the model and its OCPI JSON text (what a snapshot keeps).
struct StoredTariff {
  domain::Tariff tariff;
  std::string json;
};

//! The tariff `id` as stored now; nullopt when there is none.
std::optional<StoredTariff> find_tariff(domain::Repository &r, const std::string &id);
//! A snapshot's JSON read back; Internal when it no longer decodes (it was written by the codec).
domain::Result<domain::Tariff> tariff_of_snapshot(const std::string &json);

} // namespace gridlane::services
