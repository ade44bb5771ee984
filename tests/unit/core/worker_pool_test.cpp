// The bounded blocking pool: queue limit, wait limit, lanes, and the exception boundary.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>

#include "gridlane/core/worker_pool.hpp"

using namespace gridlane;
using namespace std::chrono_literals;
using core::JobRefusal;
using core::WorkerPool;

namespace {

//! Holds a worker busy until released.
struct Gate {
  std::promise<void> started_promise, release_promise;
  std::shared_future<void> release = release_promise.get_future().share();
  std::future<void> started = started_promise.get_future();
  std::function<void()> job() {
    return [this] {
      started_promise.set_value();
      release.wait();
    };
  }
  void open() { release_promise.set_value(); }
};

struct Recorder {
  std::mutex mutex;
  std::vector<std::string> events;
  std::promise<void> all_done;
  std::size_t expected = 0;
  void add(std::string e) {
    std::lock_guard lock{mutex};
    events.push_back(std::move(e));
    if (events.size() == expected) all_done.set_value();
  }
  std::function<void()> work(std::string name) {
    return [this, name] { add(name + " ran"); };
  }
  std::function<void(JobRefusal)> refused(std::string name) {
    return [this, name](JobRefusal why) { add(name + " refused: " + std::string(core::to_string(why))); };
  }
};

TEST(WorkerPool, runs_work_on_its_own_thread) {
  WorkerPool pool{"test", core::WorkerPoolOptions{1, 4, 1000ms}};
  std::promise<std::thread::id> ran;
  pool.submit(
      WorkerPool::Lane::Normal, [&] { ran.set_value(std::this_thread::get_id()); }, [](JobRefusal) {});
  EXPECT_NE(ran.get_future().get(), std::this_thread::get_id());
}

TEST(WorkerPool, refuses_at_once_when_the_lane_is_full) {
  WorkerPool pool{"test", core::WorkerPoolOptions{1, 1, 5000ms}};
  Gate gate;
  pool.submit(WorkerPool::Lane::Normal, gate.job(), [](JobRefusal) {});
  gate.started.wait();
  Recorder r;
  r.expected = 3;
  pool.submit(WorkerPool::Lane::Normal, r.work("queued"), r.refused("queued"));
  pool.submit(WorkerPool::Lane::Normal, r.work("extra"), r.refused("extra"));
  {
    std::lock_guard lock{r.mutex};
    ASSERT_EQ(r.events, std::vector<std::string>{"extra refused: queue full"}); // on this thread, before the gate opens
  }
  pool.submit(WorkerPool::Lane::Urgent, r.work("urgent"), r.refused("urgent")); // its own lane has room
  gate.open();
  ASSERT_EQ(r.all_done.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(r.events, (std::vector<std::string>{"extra refused: queue full", "urgent ran", "queued ran"}));
}

TEST(WorkerPool, refuses_a_job_that_waited_longer_than_max_wait) {
  WorkerPool pool{"test", core::WorkerPoolOptions{1, 4, 30ms}};
  Gate gate;
  pool.submit(WorkerPool::Lane::Urgent, gate.job(), [](JobRefusal) {});
  gate.started.wait();
  Recorder r;
  r.expected = 2;
  pool.submit(WorkerPool::Lane::Normal, r.work("late"), r.refused("late"));
  std::this_thread::sleep_for(100ms);
  gate.open();
  pool.submit(WorkerPool::Lane::Normal, r.work("fresh"), r.refused("fresh"));
  ASSERT_EQ(r.all_done.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(r.events, (std::vector<std::string>{"late refused: waited too long", "fresh ran"}));
}

TEST(WorkerPool, a_job_that_throws_is_refused_as_failed_and_the_thread_goes_on) {
  WorkerPool pool{"test", core::WorkerPoolOptions{1, 4, 1000ms}};
  Recorder r;
  r.expected = 3;
  pool.submit(
      WorkerPool::Lane::Normal, [] { throw std::runtime_error("boom"); }, r.refused("throws"));
  pool.submit(
      WorkerPool::Lane::Normal, [] { throw 42; }, r.refused("throws oddly"));
  pool.submit(WorkerPool::Lane::Normal, r.work("next"), r.refused("next"));
  ASSERT_EQ(r.all_done.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(r.events, (std::vector<std::string>{"throws refused: failed", "throws oddly refused: failed", "next ran"}));
}

TEST(WorkerPool, urgent_jobs_run_before_normal_ones) {
  WorkerPool pool{"test", core::WorkerPoolOptions{1, 4, 5000ms}};
  Gate gate;
  pool.submit(WorkerPool::Lane::Normal, gate.job(), [](JobRefusal) {});
  gate.started.wait();
  Recorder r;
  r.expected = 3;
  pool.submit(WorkerPool::Lane::Normal, r.work("login"), r.refused("login"));
  pool.submit(WorkerPool::Lane::Urgent, r.work("station 1"), r.refused("station 1"));
  pool.submit(WorkerPool::Lane::Urgent, r.work("station 2"), r.refused("station 2"));
  gate.open();
  ASSERT_EQ(r.all_done.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(r.events, (std::vector<std::string>{"station 1 ran", "station 2 ran", "login ran"}));
}

TEST(WorkerPool, stop_refuses_what_is_queued_and_what_comes_after) {
  WorkerPool pool{"test", core::WorkerPoolOptions{1, 4, 5000ms}};
  Gate gate;
  pool.submit(WorkerPool::Lane::Normal, gate.job(), [](JobRefusal) {});
  gate.started.wait();
  Recorder r;
  r.expected = 1;
  pool.submit(WorkerPool::Lane::Normal, r.work("queued"), r.refused("queued"));
  auto stopping = std::async(std::launch::async, [&] { pool.stop(); });
  ASSERT_EQ(r.all_done.get_future().wait_for(5s), std::future_status::ready); // before the running job ends
  gate.open();
  stopping.get();
  std::optional<JobRefusal> after;
  pool.submit(
      WorkerPool::Lane::Normal, [] {}, [&](JobRefusal why) { after = why; });
  EXPECT_EQ(r.events, std::vector<std::string>{"queued refused: shutting down"});
  EXPECT_EQ(after, JobRefusal::Stopped);
}

} // namespace
