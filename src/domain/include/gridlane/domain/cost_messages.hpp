#pragma once
//! The Open Charge Alliance's pricing extension to OCPP 1.6 (DataTransfer with vendorId
//! "org.openchargealliance.costmsg"), for stations whose configuration key
//! CustomDisplayCostAndPrice is true: the three messages a CSMS sends, as typed values, and the
//! one place they become the text of a DataTransfer's `data` (a JSON document inside the string
//! that 1.6 allows there). Shapes as the extension publishes them; docs/ocpp.md lists the
//! fields Gridlane fills.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/domain/commands.hpp"

namespace gridlane::domain::costmsg {

inline constexpr std::string_view vendor_id = "org.openchargealliance.costmsg";
//! The 1.6 configuration key by which a station announces that it shows costs and prices.
inline constexpr std::string_view display_key = "CustomDisplayCostAndPrice";

//! A text in one more language (priceTextExtra), UTF-8.
struct PriceText {
  std::string language; //!< ISO 639-1
  std::string content;
  bool operator==(const PriceText &) const = default;
};

//! The price the driver will pay, shown once the station knows who charges (after Authorize).
struct SetUserPrice {
  std::string id_token;
  std::string price_text;
  std::vector<PriceText> extra;
};

//! What the vehicle is doing now, as RunningCost reports it.
enum class SessionState { Charging, Idle };

//! The cost so far of a running transaction.
struct RunningCost {
  std::int64_t transaction_id = 0;
  Timestamp at;
  std::int64_t meter_wh = 0; //!< the meter register now (Wh)
  core::Decimal cost;        //!< incl. VAT when the tariff states it
  SessionState state = SessionState::Charging;
};

//! The cost of an ended transaction.
struct FinalCost {
  std::int64_t transaction_id = 0;
  core::Decimal cost;
  std::string price_text;
  std::vector<PriceText> extra;
};

commands::DataTransfer to_data_transfer(const SetUserPrice &m);
commands::DataTransfer to_data_transfer(const RunningCost &m);
commands::DataTransfer to_data_transfer(const FinalCost &m);

} // namespace gridlane::domain::costmsg
