#include "gridlane/ocpp/catalog.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "gridlane/ocpp/v16/messages.hpp"

namespace gridlane::ocpp {

MessageCatalog::MessageCatalog(core::ProtocolVersion version) : version_(version) {
  std::span<const v16::SchemaText> texts;
  switch (version) {
  case core::ProtocolVersion::Ocpp16: texts = v16::schemas(); break;
  default: throw std::invalid_argument("no message catalog for " + std::string(core::to_string(version)));
  }
  for (const auto& s : texts) {
    auto compiled = CompiledSchema::compile(boost::json::parse(s.json));
    std::string_view name = s.name;
    if (name.ends_with("Response")) {
      entries_[std::string(name.substr(0, name.size() - 8))].response = std::move(compiled);
    } else {
      entries_[std::string(name.substr(0, name.size() - 7))].request = std::move(compiled);
    }
  }
}

const CompiledSchema* MessageCatalog::request(std::string_view action) const {
  auto it = entries_.find(std::string(action));
  return it == entries_.end() ? nullptr : it->second.request.get();
}

const CompiledSchema* MessageCatalog::response(std::string_view action) const {
  auto it = entries_.find(std::string(action));
  return it == entries_.end() ? nullptr : it->second.response.get();
}

} // namespace gridlane::ocpp
