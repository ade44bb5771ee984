#pragma once
//! A bounded pool of threads for blocking work (argon2id password hashing): its own threads, a
//! queue limit per lane, and a bound on how long a job may wait. Every job ends in exactly one
//! of two ways: `work` ran to completion, or `refused` ran with the reason. A job that throws
//! is logged and refused with Failed: an exception never ends a worker thread or the process.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace gridlane::core {

enum class JobRefusal {
  QueueFull, //!< the lane already holds max_queued jobs
  TimedOut,  //!< the job waited longer than max_wait for a thread
  Stopped,   //!< the pool is shutting down
  Failed,    //!< `work` threw (logged); it may have done part of its work
};

std::string_view to_string(JobRefusal r);

struct WorkerPoolOptions {
  int threads = 2;
  std::size_t max_queued = 64;              //!< jobs waiting per lane
  std::chrono::milliseconds max_wait{2000}; //!< a job not started by then is refused
};

class WorkerPool {
public:
  //! Urgent jobs (station handshakes) are taken before Normal ones (API logins), so a flood of
  //! one cannot starve the other; each lane has its own queue limit.
  enum class Lane { Urgent, Normal };

  WorkerPool(std::string name, WorkerPoolOptions options);
  ~WorkerPool();
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  //! Any thread. `refused` runs on the calling thread when the lane is full or the pool is
  //! stopped, on a worker otherwise. A refusal for waiting too long comes at most one job's
  //! duration after max_wait.
  void submit(Lane lane, std::function<void()> work, std::function<void(JobRefusal)> refused);

  //! Refuses the jobs still queued (Stopped) and joins the threads. Idempotent.
  void stop();

private:
  struct Job {
    std::function<void()> work;
    std::function<void(JobRefusal)> refused;
    std::chrono::steady_clock::time_point deadline;
  };
  void run();
  static void refuse(Job &job, JobRefusal why);

  std::string name_;
  WorkerPoolOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> lanes_[2];
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

} // namespace gridlane::core
