#pragma once
//! Storage of tariffs (migration 0011): each tariff in its OCPI 2.2.1 JSON shape, exactly as the
//! codec (domain/tariff_codec.hpp) writes it, plus indexed columns to find and filter it. Used
//! inside one unit of work; the rules are in services::TariffService, not here.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/tariff.hpp"

namespace gridlane::domain {

//! Which tariffs a list shows (all conditions hold), ordered by id.
struct TariffFilter {
  std::optional<std::string> currency; //!< ISO 4217 code
  std::optional<TariffType> type;
  std::optional<core::Timestamp> updated_from; //!< last_updated at or after (OCPI date_from)
  std::optional<core::Timestamp> updated_to;   //!< last_updated before (OCPI date_to)
  std::size_t limit = 100;
  std::size_t offset = 0;
};

class TariffStore {
public:
  virtual ~TariffStore() = default;

  virtual std::optional<Tariff> tariff(std::string_view id) = 0;
  virtual std::vector<Tariff> tariffs(const TariffFilter &f) = 0;
  //! The number of tariffs the filter matches, ignoring its limit and offset.
  virtual std::int64_t count_tariffs(const TariffFilter &f) = 0;
  //! Inserts the tariff `t.id` or replaces it whole; true when it was new. `now` is the row's
  //! creation (kept on a replace) and change time.
  virtual bool put_tariff(const Tariff &t, core::Timestamp now) = 0;
  virtual bool delete_tariff(std::string_view id) = 0;
};

} // namespace gridlane::domain
