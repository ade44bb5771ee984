#include "gridlane/domain/cost_messages.hpp"

#include <boost/json.hpp>

#include "gridlane/core/json_text.hpp"

namespace gridlane::domain::costmsg {
namespace json = boost::json;

namespace {

// OCPP 1.6 DataTransfer.data is a string: the message's JSON document travels as its text.
commands::DataTransfer transfer(std::string_view message_id, const json::object &body) {
  commands::DataTransfer out;
  out.vendor_id = std::string(vendor_id);
  out.message_id = std::string(message_id);
  // core::to_json_text writes numbers as plain decimals (2.38, never 2.38E0), as every wire does.
  out.data_json = core::to_json_text(json::value(json::string(core::to_json_text(body))));
  return out;
}

json::array extra_of(const std::vector<PriceText> &texts) {
  json::array a;
  for (const auto &t : texts)
    a.push_back(json::object{{"format", "UTF8"}, {"language", t.language}, {"content", t.content}});
  return a;
}

} // namespace

commands::DataTransfer to_data_transfer(const SetUserPrice &m) {
  json::object o{{"idToken", m.id_token}, {"priceText", m.price_text}};
  if (!m.extra.empty()) o["priceTextExtra"] = extra_of(m.extra);
  return transfer("SetUserPrice", o);
}

commands::DataTransfer to_data_transfer(const RunningCost &m) {
  // cost: a JSON number whose text is the decimal's (Decimal::to_wire), never a rounded float.
  json::object o{{"transactionId", m.transaction_id},
                 {"timestamp", core::format_iso8601(m.at)},
                 {"meterValue", m.meter_wh},
                 {"cost", m.cost.to_wire()},
                 {"state", m.state == SessionState::Charging ? "Charging" : "Idle"}};
  return transfer("RunningCost", o);
}

commands::DataTransfer to_data_transfer(const FinalCost &m) {
  json::object o{{"transactionId", m.transaction_id}, {"cost", m.cost.to_wire()}, {"priceText", m.price_text}};
  if (!m.extra.empty()) o["priceTextExtra"] = extra_of(m.extra);
  return transfer("FinalCost", o);
}

} // namespace gridlane::domain::costmsg
