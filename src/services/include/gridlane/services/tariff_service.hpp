#pragma once
//! The rules of stored tariffs (docs/api.md, "Tariffs"): put (create or replace whole), get,
//! list and delete. Each operation is a function of the repository (inside one unit of work)
//! and `now`, so the API and `gridlane admin tariff` apply the same rules. A tariff reaching
//! the service has passed the codec's validation (domain/tariff_codec.hpp); the service checks
//! it again, so a tariff built in code cannot bypass the rules. Refusals are values (Result).
#include <string_view>

#include "gridlane/domain/lists.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::services {

struct PutTariff {
  domain::Tariff tariff; //!< as stored
  bool created = false;  //!< new (HTTP 201) rather than replaced (200)
};

class TariffService {
public:
  //! Creates the tariff `t.id` or replaces it whole. last_updated becomes `now`: the moment
  //! Gridlane's copy changed, which OCPI parties compare. A session already started keeps the
  //! snapshot of the tariff it started under.
  domain::Result<PutTariff> put(domain::Repository &r, domain::Tariff t, domain::Timestamp now) const;
  domain::Result<domain::Tariff> get(domain::Repository &r, std::string_view id) const;
  domain::Paged<domain::Tariff> list(domain::Repository &r, const domain::TariffFilter &f) const;
  domain::Result<void> remove(domain::Repository &r, std::string_view id) const;
};

} // namespace gridlane::services
