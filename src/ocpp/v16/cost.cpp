// OCPP 1.6 and the Open Charge Alliance pricing extension: whether a station shows costs
// (its configuration key CustomDisplayCostAndPrice), read from the answers to the CSMS's own
// CALLs, whoever sent them (services::LiveCost's question, an operator's get_configuration or
// change_configuration). The messages themselves are rendered by domain/cost_messages.
#include <boost/json.hpp>

#include "gridlane/domain/cost_messages.hpp"
#include "v16/dispatcher.hpp"

namespace gridlane::ocpp::v16 {

namespace {
std::optional<bool> flag_of(std::string_view text) {
  auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); };
  std::string t;
  for (char c : text)
    t.push_back(lower(c));
  if (t == "true") return true;
  if (t == "false") return false;
  return std::nullopt;
}
} // namespace

void Dispatcher::on_result(const std::string &action, const boost::json::value &request,
                           const boost::json::value &response) {
  auto *live_cost = services_.live_cost;
  if (!live_cost) return;
  if (action == "GetConfiguration") {
    GetConfigurationResponse res;
    decode(response, res);
    for (const auto &k : res.configurationKey.value_or(std::vector<ConfigurationKey>{})) {
      if (k.key != domain::costmsg::display_key || !k.value) continue;
      if (auto on = flag_of(*k.value)) live_cost->learned(who_.id, *on);
    }
    for (const auto &k : res.unknownKey.value_or(std::vector<std::string>{})) {
      if (k == domain::costmsg::display_key) live_cost->learned(who_.id, false);
    }
  } else if (action == "ChangeConfiguration") {
    ChangeConfigurationRequest req;
    decode(request, req);
    ChangeConfigurationResponse res;
    decode(response, res);
    if (req.key != domain::costmsg::display_key || res.status != ChangeConfigurationResponseStatus::Accepted) return;
    if (auto on = flag_of(req.value)) live_cost->learned(who_.id, *on);
  }
}

} // namespace gridlane::ocpp::v16
