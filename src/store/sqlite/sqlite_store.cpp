#include "gridlane/store/sqlite_store.hpp"

#include <future>
#include <vector>

#include "gridlane/core/logging.hpp"
#include "gridlane/core/metrics.hpp"
#include "gridlane/core/time.hpp"
#include "sqlite/migrations.hpp"
#include "sqlite/sqlite_db.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store {
using sqlite::Database;

struct SqliteStore::Impl {
  explicit Impl(const std::string &path) : db(path), repo(db) {}
  Database db;
  sqlite::SqliteRepository repo;
};

namespace {

//! Applies every migration not yet recorded, in order: by version present, not above the
//! highest, so a migration numbered below one already applied (branches that landed in another
//! order) still runs. Each is checked again inside its own write transaction, so two processes
//! opening the same file at once apply it once.
int apply_migrations(Database &db) {
  auto &log = core::log(core::Component::Store);
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
          "applied_at INTEGER NOT NULL)");
  auto applied = [&db](int version) {
    auto s = db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?1");
    s.bind(1, version);
    return s.step();
  };
  for (const auto &m : sqlite::migrations()) {
    if (applied(m.version)) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      if (applied(m.version)) { // another process applied it meanwhile
        db.exec("COMMIT");
        continue;
      }
      db.exec(m.sql);
      auto s = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)");
      s.bind(1, m.version).bind(2, m.name).bind(3, core::to_unix_ms(core::SystemClock{}.now()));
      s.run();
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
    log.info("applied migration {}", m.name);
  }
  auto s = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return s.step() ? static_cast<int>(s.int64(0)) : 0;
}

} // namespace

SqliteStore::SqliteStore(SqliteOptions options) : options_(std::move(options)) {
  impl_ = std::make_unique<Impl>(options_.path);
  auto &db = impl_->db;
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(options_.synchronous == "normal" ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA busy_timeout = 5000");
  // An 8 MiB page cache (the operating system caches the file too). Checkpoints stay at
  // SQLite's default of every 1,000 log pages, in line: measured under load, larger logs
  // (fewer, longer checkpoints) and checkpoints on a thread of their own both gave a longer
  // latency tail on this kind of disk, where every sync flushes the whole device.
  db.exec("PRAGMA cache_size = -8192");
  schema_version_ = apply_migrations(db);
  writer_ = std::thread([this] { writer_loop(); });
}

SqliteStore::~SqliteStore() {
  stop();
}

void SqliteStore::submit(Work work, Done done) {
  {
    std::lock_guard lock{mutex_};
    if (!stopping_) {
      queue_.push_back(Job{std::move(work), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  if (done) done(std::make_exception_ptr(std::runtime_error("store is stopped")));
}

void SqliteStore::run(const std::function<void(domain::Repository &)> &work) {
  std::promise<void> finished;
  auto result = finished.get_future();
  submit([&work](domain::Repository &r) { work(r); },
         [&finished](std::exception_ptr e) {
           if (e)
             finished.set_exception(e);
           else
             finished.set_value();
         });
  result.get();
}

void SqliteStore::stop() {
  {
    std::lock_guard lock{mutex_};
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
    wake_.notify_one();
  }
  if (writer_.joinable()) writer_.join();
}

namespace {
//! The group commit's metrics (docs/operations.md, Observability).
struct CommitMetrics {
  core::metrics::Histogram &batch;
  core::metrics::Histogram &latency;
  core::metrics::Counter &committed;
  core::metrics::Counter &failed;
  core::metrics::Counter &units_failed;
};

CommitMetrics commit_metrics() {
  auto &r = core::metrics::registry();
  return CommitMetrics{
      r.histogram("gridlane_store_batch_units", "Units of work committed together by one store transaction",
                  {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}),
      r.histogram("gridlane_store_commit_seconds",
                  "Time from BEGIN to COMMIT of one store transaction (its units' work included)",
                  core::metrics::latency_buckets()),
      r.counter("gridlane_store_commits_total", "Store transactions by result", {{"result", "committed"}}),
      r.counter("gridlane_store_commits_total", "Store transactions by result", {{"result", "failed"}}),
      r.counter("gridlane_store_units_failed_total",
                "Units of work that threw and were rolled back to their savepoint (the batch went on)")};
}
} // namespace

void SqliteStore::writer_loop() {
  auto &log = core::log(core::Component::Store);
  auto &db = impl_->db;
  const auto metrics = commit_metrics();
  std::vector<Job> batch;
  std::vector<std::exception_ptr> errors;
  auto last_commit = std::chrono::steady_clock::time_point{};
  for (;;) {
    {
      std::unique_lock lock{mutex_};
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return; // stopping, and everything submitted is done
      // The previous commit started moments ago: let more units arrive before this one. The
      // writer sleeps rather than waits on the condition, so submitters wake nobody meanwhile.
      auto next_commit = last_commit + options_.commit_interval;
      if (!stopping_ && queue_.size() < options_.max_batch && std::chrono::steady_clock::now() < next_commit) {
        lock.unlock();
        std::this_thread::sleep_until(next_commit);
        lock.lock();
      }
      last_commit = std::chrono::steady_clock::now();
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    errors.assign(batch.size(), nullptr);
    std::exception_ptr commit_error;
    const auto began = std::chrono::steady_clock::now();
    try {
      db.exec("BEGIN IMMEDIATE");
      for (std::size_t i = 0; i < batch.size(); ++i) {
        db.exec("SAVEPOINT unit");
        try {
          batch[i].work(impl_->repo);
          db.exec("RELEASE unit");
        } catch (...) {
          errors[i] = std::current_exception();
          metrics.units_failed.inc();
          db.exec("ROLLBACK TO unit");
          db.exec("RELEASE unit");
        }
      }
      db.exec("COMMIT");
      metrics.committed.inc();
      metrics.batch.observe(static_cast<double>(batch.size()));
      metrics.latency.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
    } catch (const std::exception &e) {
      metrics.failed.inc();
      log.error("commit of {} units failed: {}", batch.size(), e.what());
      commit_error = std::current_exception();
      try {
        db.exec("ROLLBACK");
      } catch (...) {
      }
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!batch[i].done) continue;
      try {
        batch[i].done(commit_error ? commit_error : errors[i]);
      } catch (const std::exception &e) {
        log.error("completion threw: {}", e.what());
      }
    }
    batch.clear();
  }
}

} // namespace gridlane::store
