#pragma once
//! Domain events: what happened, for the live stream, and later OCPI push, smart charging,
//! monitoring and webhooks. Published after the change is committed.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

struct Event {
  std::string type;      //!< e.g. "station.connected", "transaction.started", "command.finished"
  StationId station = StationId::unchecked("");
  std::string data;      //!< JSON object text with the event's details
  Timestamp at;
};

class EventBus {
public:
  class Subscription {
  public:
    virtual ~Subscription() = default; //!< unsubscribes
  };
  using Handler = std::function<void(const Event&)>;
  virtual ~EventBus() = default;
  //! Delivers to every subscriber, on the publishing thread: handlers must not block.
  virtual void publish(Event event) = 0;
  [[nodiscard]] virtual std::unique_ptr<Subscription> subscribe(Handler handler) = 0;
};

} // namespace gridlane::domain
