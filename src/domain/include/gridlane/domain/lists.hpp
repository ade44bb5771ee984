#pragma once
//! Lists as the API and the admin CLI serve them: a filter, a page (limit and offset), and the
//! page's rows with the number of rows the filter matches in all. Filtering, ordering and paging
//! happen in the store's query, never in memory.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

struct PageRequest {
  std::size_t limit = 100;
  std::size_t offset = 0;
};

template <class T> struct Paged {
  std::vector<T> items;
  std::int64_t total = 0; //!< rows matching the filter, on every page
};

struct StationFilter {
  std::optional<RegistrationStatus> registration;
  std::optional<ConnectorStatus> status; //!< stations with at least one connector in this status
  std::optional<std::string> site;
  //! stations.location_id (the locations migration); leave unset where that column is missing.
  std::optional<std::string> location;
  std::optional<ProtocolVersion> protocol; //!< of the latest connection
  //! Part of the id, vendor, model or serial number, case-insensitive (ASCII).
  std::optional<std::string> search;
  //! Only stations in (true) or not in (false) `connected_ids`. Live connections are not stored:
  //! the caller passes the ids the connection registry holds, and the query pages over them.
  std::optional<bool> connected;
  std::vector<StationId> connected_ids;
};

//! A station as listed: its row and the current status of each of its connectors.
struct StationListing {
  Station station;
  std::vector<StatusReport> statuses;
};

struct TokenFilter {
  std::optional<TokenStatus> status;
  std::optional<std::string> parent_id;
};

} // namespace gridlane::domain
