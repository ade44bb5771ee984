#pragma once
//! The Tokens module (mod_tokens.asciidoc), Gridlane as CPO: the Receiver eMSPs push their
//! tokens to (GET/PUT/PATCH {country_code}/{party_id}/{token_uid}[?type=]), and the real-time
//! authorisation Gridlane asks of an eMSP's Sender (POST {token_uid}/authorize[?type=]).
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "gridlane/core/config.hpp"
#include "gridlane/core/worker_pool.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/ocpi/client.hpp"
#include "gridlane/ocpi/server.hpp"
#include "gridlane/services/realtime_auth.hpp"

namespace gridlane::ocpi {

//! The Receiver's handler, to add as (Tokens, Receiver). A token is stored as the caller's (its
//! partner_id): its sessions and CDRs go to that partner.
ModuleHandler tokens_receiver(domain::StoreExecutor &store);

//! POST {tokens Sender endpoint}/{uid}/authorize?type= at the token's partner, on the roaming
//! worker pool (its urgent lane), answered within `[ocpi] realtime_auth_timeout_ms` whatever
//! the partner does: a watchdog answers Unreachable at the deadline. A valid answer's Token
//! replaces the stored one (the eMSP owns it).
class HttpRealtimeAuthorizer final : public services::RealtimeAuthorizer {
public:
  HttpRealtimeAuthorizer(domain::StoreExecutor &store, Client &client, core::WorkerPool &pool, core::OcpiConfig config);
  //! Answers every question still open Unreachable ("shutting down") and stops the watchdog.
  ~HttpRealtimeAuthorizer() override;
  HttpRealtimeAuthorizer(const HttpRealtimeAuthorizer &) = delete;
  HttpRealtimeAuthorizer &operator=(const HttpRealtimeAuthorizer &) = delete;

  void authorize(services::RealtimeQuestion question, std::function<void(services::RealtimeAnswer)> done) override;

  struct Pending; //!< one open question (realtime_auth.cpp)

private:
  void watch();
  void call(const std::shared_ptr<Pending> &p, const domain::Partner &partner);

  domain::StoreExecutor &store_;
  Client &client_;
  core::WorkerPool &pool_;
  core::OcpiConfig config_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::multimap<std::chrono::steady_clock::time_point, std::weak_ptr<Pending>> deadlines_;
  std::thread watchdog_;
};

} // namespace gridlane::ocpi
