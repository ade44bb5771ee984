#pragma once
//! The messages of one OCPP version with their compiled request and response schemas.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gridlane/core/ids.hpp"
#include "gridlane/ocpp/schema_validator.hpp"

namespace gridlane::ocpp {

class MessageCatalog {
public:
  //! Compiles every schema of the version; cheap enough to do once at start-up.
  explicit MessageCatalog(core::ProtocolVersion version);

  core::ProtocolVersion version() const { return version_; }
  bool knows(std::string_view action) const { return entries_.contains(std::string(action)); }
  const CompiledSchema *request(std::string_view action) const;
  const CompiledSchema *response(std::string_view action) const;

private:
  struct Entry {
    std::shared_ptr<const CompiledSchema> request, response;
  };
  core::ProtocolVersion version_;
  std::unordered_map<std::string, Entry> entries_;
};

} // namespace gridlane::ocpp
