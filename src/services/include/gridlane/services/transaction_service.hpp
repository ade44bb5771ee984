#pragma once
//! Transactions and meter values: every start and stop recorded exactly once.
#include "gridlane/core/time.hpp"
#include "gridlane/services/station_service.hpp"

namespace gridlane::services {

struct StartRequest {
  int connector_id = 0;
  std::string id_tag;
  std::int64_t meter_start_wh = 0;
  std::optional<std::int64_t> reservation_id;
  domain::Timestamp timestamp;
};
struct StartOutcome {
  std::int64_t transaction_id = 0;
  domain::Authorization authorization;
  bool duplicate = false; //!< a retry of a start already recorded
};

struct StopRequest {
  std::int64_t transaction_id = 0;
  std::optional<std::string> id_tag;
  std::int64_t meter_stop_wh = 0;
  domain::Timestamp timestamp;
  std::optional<std::string> reason;
  std::vector<domain::MeterSample> transaction_data;
};
struct StopOutcome {
  std::optional<domain::Authorization> authorization; //!< present when the stop named an id tag
  bool known = true;       //!< false: no such transaction (answered anyway, kept as an anomaly)
  bool duplicate = false;  //!< a retry of a stop already recorded
};

struct MeterRequest {
  int connector_id = 0;
  std::optional<std::int64_t> transaction_id;
  std::vector<domain::MeterSample> samples;
};

class TransactionService {
public:
  TransactionService(domain::StoreExecutor& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  void start(const StationContext& who, StartRequest request, Reply<StartOutcome> reply);
  void stop(const StationContext& who, StopRequest request, Reply<StopOutcome> reply);
  void meter_values(const StationContext& who, MeterRequest request, Reply<Done> reply);

private:
  domain::StoreExecutor& store_;
  const core::Clock& clock_;
};

} // namespace gridlane::services
