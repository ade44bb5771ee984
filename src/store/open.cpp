// store::open: the one place where the configured engine is chosen.
#include "gridlane/store/sqlite_store.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::store {

std::unique_ptr<Store> open(const core::DatabaseConfig &config) {
  core::DatabaseUrl url;
  try {
    url = core::parse_database_url(config.url);
  } catch (const core::ConfigError &e) {
    throw StoreConfigError(e.what());
  }
  switch (url.engine) {
  case core::DatabaseEngine::Sqlite: return std::make_unique<SqliteStore>(SqliteOptions::from(config));
  case core::DatabaseEngine::Postgres:
    throw StoreConfigError("database.url: PostgreSQL is not available in this build (only sqlite: is)");
  }
  throw StoreConfigError("database.url: no engine for '" + config.url + "'");
}

} // namespace gridlane::store
