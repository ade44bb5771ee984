// Tokens pushed by eMSPs (migration 0023). Placeholder until the token store lands.
#include <stdexcept>

#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;

void SqliteRepository::upsert_roaming_token(const RoamingToken &) {
  throw std::logic_error("the roaming token store is not built yet");
}
std::optional<RoamingToken> SqliteRepository::roaming_token(const PartyId &, std::string_view, OcpiTokenType) {
  return std::nullopt;
}
std::optional<RoamingToken> SqliteRepository::roaming_token_by_uid(std::string_view) {
  return std::nullopt;
}

} // namespace gridlane::store::sqlite
