#pragma once
// Test doubles shared by the service tests: a clock the test sets, a station gateway whose
// connection questions all answer "connected, nothing to check" (a test overrides execute, and
// protocol when it matters), and an event bus that delivers to its one subscriber and keeps what
// was published.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/events.hpp"
#include "gridlane/domain/gateway.hpp"

namespace gridlane::test {

struct FakeClock : core::Clock {
  core::Timestamp t = *core::parse_iso8601("2026-06-01T12:00:00Z");
  core::Timestamp now() const override { return t; }
};

//! Every station connected, no frames, every command accepted by check(); execute is the test's.
struct GatewayBase : domain::StationGateway {
  bool is_connected(const domain::StationId &) const override { return true; }
  std::optional<domain::ProtocolVersion> protocol(const domain::StationId &) const override { return std::nullopt; }
  std::vector<domain::RecentFrame> recent_frames(const domain::StationId &) const override { return {}; }
  std::optional<domain::ServiceError> check(const domain::CommandRecord &, domain::ProtocolVersion) const override {
    return std::nullopt;
  }
  bool disconnect(const domain::StationId &, std::string) override { return false; }
  bool reconnect(const domain::StationId &, std::string) override { return false; }
};

struct FakeBus : domain::EventBus {
  struct Sub : Subscription {};
  Handler handler;
  std::vector<domain::Event> published;
  void publish(domain::Event e) override {
    published.push_back(e);
    if (handler) handler(e);
  }
  std::unique_ptr<Subscription> subscribe(Handler h) override {
    handler = std::move(h);
    return std::make_unique<Sub>();
  }
  //! The published events of one kind, in order.
  template <class E> std::vector<E> all() const {
    std::vector<E> out;
    for (const auto &e : published)
      if (const auto *x = std::get_if<E>(&e)) out.push_back(*x);
    return out;
  }
};

} // namespace gridlane::test
