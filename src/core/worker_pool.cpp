#include "gridlane/core/worker_pool.hpp"

#include "gridlane/core/logging.hpp"

namespace gridlane::core {

std::string_view to_string(JobRefusal r) {
  switch (r) {
  case JobRefusal::QueueFull: return "queue full";
  case JobRefusal::TimedOut: return "waited too long";
  case JobRefusal::Stopped: return "shutting down";
  case JobRefusal::Failed: return "failed";
  }
  return "refused";
}

WorkerPool::WorkerPool(std::string name, WorkerPoolOptions options) : name_(std::move(name)), options_(options) {
  if (options_.threads < 1) options_.threads = 1;
  for (int i = 0; i < options_.threads; ++i)
    threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() {
  stop();
}

void WorkerPool::submit(Lane lane, std::function<void()> work, std::function<void(JobRefusal)> refused) {
  Job job{std::move(work), std::move(refused), std::chrono::steady_clock::now() + options_.max_wait};
  std::optional<JobRefusal> refusal;
  {
    std::lock_guard lock{mutex_};
    auto &queue = lanes_[static_cast<int>(lane)];
    if (stopping_)
      refusal = JobRefusal::Stopped;
    else if (queue.size() >= options_.max_queued)
      refusal = JobRefusal::QueueFull;
    else
      queue.push_back(std::move(job));
  }
  if (refusal) return refuse(job, *refusal);
  wake_.notify_one();
}

void WorkerPool::stop() {
  std::deque<Job> left;
  {
    std::lock_guard lock{mutex_};
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    for (auto &lane : lanes_) {
      for (auto &job : lane)
        left.push_back(std::move(job));
      lane.clear();
    }
  }
  wake_.notify_all();
  for (auto &job : left)
    refuse(job, JobRefusal::Stopped);
  for (auto &t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WorkerPool::refuse(Job &job, JobRefusal why) {
  if (!job.refused) return;
  try {
    job.refused(why);
  } catch (const std::exception &e) {
    log(Component::Pool).error("a refused job's handler threw: {}", e.what());
  } catch (...) {
    log(Component::Pool).error("a refused job's handler threw");
  }
}

void WorkerPool::run() {
  for (;;) {
    std::vector<Job> expired;
    std::optional<Job> next;
    {
      std::unique_lock lock{mutex_};
      wake_.wait(lock, [this] { return stopping_ || !lanes_[0].empty() || !lanes_[1].empty(); });
      if (stopping_) return;
      // Jobs that waited too long are refused first, in both lanes, so an Urgent flood cannot
      // hold back a Normal job's refusal; then the oldest Urgent job runs, else the oldest Normal.
      auto now = std::chrono::steady_clock::now();
      for (auto &lane : lanes_) {
        while (!lane.empty() && lane.front().deadline < now) {
          expired.push_back(std::move(lane.front()));
          lane.pop_front();
        }
      }
      for (auto &lane : lanes_) {
        if (!lane.empty()) {
          next = std::move(lane.front());
          lane.pop_front();
          break;
        }
      }
    }
    for (auto &job : expired)
      refuse(job, JobRefusal::TimedOut);
    if (!next) continue;
    try {
      next->work();
    } catch (const std::exception &e) {
      log(Component::Pool).error("{}: a job threw: {}", name_, e.what());
      refuse(*next, JobRefusal::Failed);
    } catch (...) {
      log(Component::Pool).error("{}: a job threw a non-standard exception", name_);
      refuse(*next, JobRefusal::Failed);
    }
  }
}

} // namespace gridlane::core
