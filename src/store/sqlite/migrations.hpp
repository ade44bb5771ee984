#pragma once
#include <string_view>
#include <vector>

namespace gridlane::store::sqlite {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

//! Every migration in src/store/migrations/sqlite, in order.
const std::vector<Migration> &migrations();

} // namespace gridlane::store::sqlite
