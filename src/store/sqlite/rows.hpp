#pragma once
//! Row codecs shared by the repository's translation units (defined in sqlite_repository.cpp).
#include <string_view>

#include "gridlane/domain/model.hpp"
#include "sqlite/sqlite_db.hpp"

namespace gridlane::store::sqlite {

extern const std::string_view station_columns; //!< the columns read_station reads, in its order
domain::Station read_station(const Statement &s);
extern const std::string_view status_columns; //!< the columns read_status reads, in its order
domain::StatusReport read_status(const Statement &s);
extern const std::string_view event_columns; //!< of transaction_events
domain::TransactionEventRecord read_event(const Statement &s);
//! The columns read_sample reads (10), over `meter_readings r, json_each(r.samples) j`.
extern const std::string_view sample_columns;
domain::MeterSample read_sample(const Statement &s);

} // namespace gridlane::store::sqlite
