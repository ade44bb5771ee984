#pragma once
//! How services report results: every operation runs as a unit of work on the store's thread
//! and answers through a Reply once the unit is committed (or failed).
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "gridlane/core/worker_pool.hpp"
#include "gridlane/domain/repository.hpp"

namespace gridlane::services {

template <class T> class Outcome {
public:
  static Outcome success(T value) { return Outcome{std::move(value), {}}; }
  static Outcome failure(std::string error) { return Outcome{std::nullopt, std::move(error)}; }
  bool ok() const { return value_.has_value(); }
  const T &value() const { return *value_; }
  T &value() { return *value_; }
  const std::string &error() const { return error_; }

private:
  Outcome(std::optional<T> v, std::string e) : value_(std::move(v)), error_(std::move(e)) {}
  std::optional<T> value_;
  std::string error_;
};

struct Done {};

//! Called on the store's thread after the commit: post to your own executor, do not block.
template <class T> using Reply = std::function<void(Outcome<T>)>;

//! Runs blocking work (password hashing) away from both network and store threads, on a
//! bounded pool (core::WorkerPool): either `work` runs, or `refused` runs with the reason (queue
//! full, waited too long, shutting down, or `work` threw).
using BlockingRunner = std::function<void(std::function<void()> work, std::function<void(core::JobRefusal)> refused)>;

//! Runs fn(Repository&) -> T as a unit of work and delivers its result after the commit.
template <class T, class Fn> void run_unit(domain::StoreExecutor &store, Fn fn, Reply<T> reply) {
  auto slot = std::make_shared<std::optional<T>>();
  store.submit([slot, fn = std::move(fn)](domain::Repository &r) mutable { slot->emplace(fn(r)); },
               [slot, reply = std::move(reply)](std::exception_ptr e) {
                 if (!e && *slot) {
                   reply(Outcome<T>::success(std::move(**slot)));
                   return;
                 }
                 std::string what = "unit of work failed";
                 try {
                   if (e) std::rethrow_exception(e);
                 } catch (const std::exception &ex) {
                   what = ex.what();
                 } catch (...) {
                 }
                 reply(Outcome<T>::failure(what));
               });
}

} // namespace gridlane::services
