#include "gridlane/bus/local_bus.hpp"

#include <vector>

namespace gridlane::bus {

class LocalBus::LocalSubscription final : public Subscription {
public:
  LocalSubscription(LocalBus &bus, std::uint64_t id) : bus_(bus), id_(id) {}
  ~LocalSubscription() override {
    std::lock_guard lock{bus_.mutex_};
    bus_.handlers_.erase(id_);
  }

private:
  LocalBus &bus_;
  std::uint64_t id_;
};

void LocalBus::publish(domain::Event event) {
  std::vector<std::shared_ptr<Handler>> targets;
  {
    std::lock_guard lock{mutex_};
    targets.reserve(handlers_.size());
    for (auto &[id, h] : handlers_)
      targets.push_back(h);
  }
  for (auto &h : targets)
    (*h)(event); // outside the lock: a handler may unsubscribe
}

std::unique_ptr<LocalBus::Subscription> LocalBus::subscribe(Handler handler) {
  std::lock_guard lock{mutex_};
  auto id = next_++;
  handlers_.emplace(id, std::make_shared<Handler>(std::move(handler)));
  return std::make_unique<LocalSubscription>(*this, id);
}

} // namespace gridlane::bus
