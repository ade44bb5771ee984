#pragma once
//! The embedded store: one SQLite file, one writer thread, group commit.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "gridlane/core/config.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::store {

struct SqliteOptions {
  std::string path = "gridlane.db";
  std::string synchronous = "full"; //!< "full" or "normal"
  std::size_t max_batch = 512;
  //! Under load, a commit starts at most this often; units arriving meanwhile join it. Each
  //! commit costs a sync to disk whatever its size, so this trades at most this much latency,
  //! and only when commits follow each other closely, for far fewer syncs. 0: commit at once.
  std::chrono::microseconds commit_interval{1000};

  //! The options of a `sqlite:` database.url (store::open checks the engine first).
  static SqliteOptions from(const core::DatabaseConfig &c) {
    return {core::parse_database_url(c.url).target, c.synchronous, c.max_batch,
            std::chrono::microseconds(c.commit_interval_us)};
  }
};

//! Runs units of work on a dedicated thread. Work that queues up while a commit is in
//! progress is committed together in the next transaction, each unit in its own savepoint so
//! one failing unit does not undo the others. Completions run after COMMIT returns.
class SqliteStore final : public Store {
public:
  //! Opens (creating if needed) the database and applies pending migrations. Throws on failure.
  explicit SqliteStore(SqliteOptions options);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore &) = delete;
  SqliteStore &operator=(const SqliteStore &) = delete;

  void submit(Work work, Done done) override;

  void run(const std::function<void(domain::Repository &)> &work) override;
  void stop() override;
  int schema_version() const override { return schema_version_; }
  std::string describe() const override { return "sqlite:" + options_.path; }

private:
  struct Job {
    Work work;
    Done done;
  };
  void writer_loop();

  SqliteOptions options_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  int schema_version_ = 0;
  std::thread writer_;
};

} // namespace gridlane::store
