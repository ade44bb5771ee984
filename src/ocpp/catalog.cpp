#include "gridlane/ocpp/catalog.hpp"

#include <boost/json.hpp>
#include <stdexcept>
#include <vector>

#include "gridlane/ocpp/v16/messages.hpp"
#include "gridlane/ocpp/v201/messages.hpp"
#include "gridlane/ocpp/v21/messages.hpp"

namespace gridlane::ocpp {

MessageCatalog::MessageCatalog(core::ProtocolVersion version) : version_(version) {
  std::vector<std::pair<std::string_view, std::string_view>> texts;
  auto take = [&](auto span) {
    for (const auto &s : span)
      texts.emplace_back(s.name, s.json);
  };
  switch (version) {
  case core::ProtocolVersion::Ocpp16: take(v16::schemas()); break;
  case core::ProtocolVersion::Ocpp201: take(v201::schemas()); break;
  case core::ProtocolVersion::Ocpp21: take(v21::schemas()); break;
  }
  for (const auto &[schema_name, schema_json] : texts) {
    auto compiled = CompiledSchema::compile(boost::json::parse(schema_json));
    std::string_view name = schema_name;
    if (name.ends_with("Response")) {
      entries_[std::string(name.substr(0, name.size() - 8))].response = std::move(compiled);
    } else {
      entries_[std::string(name.substr(0, name.size() - 7))].request = std::move(compiled);
    }
  }
}

const CompiledSchema *MessageCatalog::request(std::string_view action) const {
  auto it = entries_.find(std::string(action));
  return it == entries_.end() ? nullptr : it->second.request.get();
}

const CompiledSchema *MessageCatalog::response(std::string_view action) const {
  auto it = entries_.find(std::string(action));
  return it == entries_.end() ? nullptr : it->second.response.get();
}

} // namespace gridlane::ocpp
