#pragma once
//! The in-process event bus of a single node.
#include <map>
#include <mutex>

#include "gridlane/domain/events.hpp"

namespace gridlane::bus {

class LocalBus final : public domain::EventBus {
public:
  void publish(domain::Event event) override;
  std::unique_ptr<Subscription> subscribe(Handler handler) override;

private:
  class LocalSubscription;
  std::mutex mutex_;
  std::uint64_t next_ = 0;
  std::map<std::uint64_t, std::shared_ptr<Handler>> handlers_;
};

} // namespace gridlane::bus
