#pragma once
//! The store as the application sees it, whatever its engine: open() reads `database.url` and
//! returns the engine's executor. The one place that names an engine (SQLite today).
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "gridlane/core/config.hpp"
#include "gridlane/domain/repository.hpp"

namespace gridlane::store {

class Store : public domain::StoreExecutor {
public:
  //! Runs work and waits for its commit; rethrows its exception. For admin commands and tests.
  virtual void run(const std::function<void(domain::Repository &)> &work) = 0;
  //! Finishes every submitted unit of work, then stops the store's thread.
  virtual void stop() = 0;
  //! The schema version after migrations.
  virtual int schema_version() const = 0;
  //! What the store is, for the log ("sqlite:/var/lib/gridlane/cs.db").
  virtual std::string describe() const = 0;
};

//! A store that cannot be opened as configured: an engine this build lacks, or a bad URL.
class StoreConfigError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

//! Opens (creating if needed) the configured store and applies pending migrations. Throws
//! StoreConfigError for an engine this build does not have, or the engine's error on failure.
std::unique_ptr<Store> open(const core::DatabaseConfig &config);

} // namespace gridlane::store
