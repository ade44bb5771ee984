// Roaming partners (migration 0021). Placeholder until the partner store lands: every call fails
// loudly, so nothing can use a partner that is not stored.
#include <stdexcept>

#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;

namespace {
[[noreturn]] void missing() {
  throw std::logic_error("the partner store is not built yet");
}
} // namespace

std::int64_t SqliteRepository::insert_partner(const Partner &, std::string_view) {
  missing();
}
void SqliteRepository::update_partner(const Partner &) {
  missing();
}
void SqliteRepository::set_partner_token_hash(std::int64_t, std::string_view) {
  missing();
}
std::optional<Partner> SqliteRepository::partner(std::int64_t) {
  missing();
}
std::optional<Partner> SqliteRepository::partner_by_token_hash(std::string_view) {
  return std::nullopt;
}
std::vector<Partner> SqliteRepository::partners() {
  return {};
}

} // namespace gridlane::store::sqlite
