// The roaming outbox (migration 0022). Placeholder until the outbox store lands.
#include <stdexcept>

#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;

namespace {
[[noreturn]] void missing() {
  throw std::logic_error("the outbox store is not built yet");
}
} // namespace

std::int64_t SqliteRepository::enqueue(const OutboxItem &) {
  missing();
}
std::vector<OutboxItem> SqliteRepository::due_items(Timestamp, std::size_t) {
  return {};
}
void SqliteRepository::mark_delivered(std::int64_t, Timestamp) {
  missing();
}
void SqliteRepository::mark_failed(std::int64_t, Timestamp, std::string_view, Timestamp) {
  missing();
}
std::vector<DeliveryState> SqliteRepository::delivery_states() {
  return {};
}

} // namespace gridlane::store::sqlite
