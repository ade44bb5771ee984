#pragma once
//! Remote commands sent to stations, with their outcome.
#include <cstdint>
#include <optional>
#include <vector>

#include "gridlane/domain/operators.hpp"

namespace gridlane::domain {

class CommandStore {
public:
  virtual ~CommandStore() = default;

  virtual std::int64_t insert_command(const CommandRecord &c) = 0; //!< returns the new id
  virtual void update_command(const CommandRecord &c) = 0;
  virtual std::optional<CommandRecord> command(std::int64_t id) = 0;
  //! Newest first.
  virtual std::vector<CommandRecord> commands(const std::optional<StationId> &station, std::size_t limit,
                                              std::size_t offset) = 0;
};

} // namespace gridlane::domain
