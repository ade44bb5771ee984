// The push of the physical model and tariffs to partners (mod_locations "Receiver Interface",
// mod_tariffs "Receiver Interface"): the journal of changes (migration 0024) turned into outbox
// items, one per partner that takes them, in the unit of work that forgets the journal rows.
#include <map>
#include <set>

#include <boost/json/serialize.hpp>

#include "gridlane/core/logging.hpp"
#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/ocpi/location_codec.hpp"
#include "gridlane/ocpi/locations.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;
using domain::OcpiModule;
using domain::Partner;
using domain::Repository;
using domain::RoamingChange;
using Kind = RoamingChange::Kind;

namespace {

std::shared_ptr<spdlog::logger> log() {
  return core::logger("ocpi");
}

//! Partners told about a module: Registered, allowed to use it, with a Receiver endpoint for it.
std::vector<Partner> receivers(const std::vector<Partner> &all, OcpiModule m) {
  std::vector<Partner> out;
  for (const auto &p : all)
    if (p.status == domain::PartnerStatus::Registered && p.may_use(m) && p.endpoint(m, domain::InterfaceRole::Receiver))
      out.push_back(p);
  return out;
}

//! What one drain found to say about one location.
struct LocationNews {
  bool whole = false;
  bool was_published = false;
  std::set<std::int64_t> described; //!< EVSEs to PUT
  std::set<std::int64_t> status;    //!< EVSEs whose status to PATCH
  std::map<std::int64_t, core::Timestamp> gone;
};

class Pusher {
public:
  Pusher(Repository &r, const domain::PartyId &self, core::Timestamp now, const Enqueue &enqueue)
      : r_(r), self_(self), now_(now), enqueue_(enqueue) {}

  //! Whether any partner takes pushes of the module (else nothing needs reading).
  bool anyone(OcpiModule m) {
    if (!partners_) partners_ = r_.partners();
    return !receivers(*partners_, m).empty();
  }

  void location(const domain::LocationId &id, const LocationNews &news) {
    auto snap = r_.location_snapshot(id);
    if (!snap) return; // deleted: OCPI has no way to delete a location (mod_locations "Flow")
    const auto &l = snap->location;
    // An unpublished location is never sent, but one just unpublished is PUT once with
    // publish=false so partners stop showing it.
    const bool tell = l.publish || (news.whole && news.was_published);
    if (!tell || !publishable(l)) return;
    const std::string base = "/" + self_.country_code + "/" + self_.party_id + "/" + l.id.str();
    const std::string key = "location:" + l.id.str();
    if (news.whole) {
      send(OcpiModule::Locations, domain::PushMethod::Put, base, key, json::serialize(*location_json(*snap, self_)));
      return;
    }
    for (const auto &e : snap->evses) {
      const auto uid = e.uid.value();
      const auto path = base + "/" + std::to_string(uid);
      if (news.described.count(uid)) {
        if (auto j = evse_json(e, snap->statuses))
          send(OcpiModule::Locations, domain::PushMethod::Put, path, key, json::serialize(*j));
      } else if (news.status.count(uid) && publishable(e)) {
        auto body = status_patch_json(evse_status(e, snap->statuses), std::max(evse_last_updated(e), now_));
        send(OcpiModule::Locations, domain::PushMethod::Patch, path, key, json::serialize(body));
      }
    }
    // mod_locations "Flow": an EVSE is never deleted at a partner; its status becomes REMOVED.
    for (const auto &[uid, at] : news.gone)
      send(OcpiModule::Locations, domain::PushMethod::Patch, base + "/" + std::to_string(uid), key,
           json::serialize(status_patch_json(domain::EvseStatus::Removed, std::max(at, now_))));
  }

  void tariff(const RoamingChange &c) {
    const std::string key = "tariff:" + c.tariff_id;
    if (c.kind == Kind::TariffGone) {
      auto cc = c.tariff_country_code.value_or(self_.country_code);
      auto pid = c.tariff_party_id.value_or(self_.party_id);
      send(OcpiModule::Tariffs, domain::PushMethod::Delete, "/" + cc + "/" + pid + "/" + c.tariff_id, key, "");
      return;
    }
    auto t = r_.tariff(c.tariff_id);
    if (!t) return; // deleted since: its TARIFF_GONE follows
    send(OcpiModule::Tariffs, domain::PushMethod::Put, "/" + t->country_code + "/" + t->party_id + "/" + t->id, key,
         domain::encode_tariff(*t));
  }

  std::size_t sent() const { return sent_; }

private:
  void send(OcpiModule m, domain::PushMethod method, const std::string &path, const std::string &key,
            const std::string &body) {
    if (!partners_) partners_ = r_.partners();
    for (const auto &p : receivers(*partners_, m)) {
      domain::OutboxItem item;
      item.partner_id = p.id;
      item.module = m;
      item.method = method;
      item.path = path;
      item.object_key = key;
      item.body = body;
      item.created_at = item.next_attempt_at = now_;
      enqueue_(r_, std::move(item));
      ++sent_;
    }
  }

  Repository &r_;
  const domain::PartyId &self_;
  core::Timestamp now_;
  const Enqueue &enqueue_;
  std::optional<std::vector<Partner>> partners_;
  std::size_t sent_ = 0;
};

} // namespace

std::size_t push_changes(Repository &r, const domain::PartyId &self, core::Timestamp now, const Enqueue &enqueue,
                         std::size_t max) {
  auto changes = r.roaming_changes(max);
  if (changes.empty()) return 0;
  // Collapsed per location (in the order first seen) and per tariff: a burst of reports of
  // one EVSE is one PATCH of its status now.
  std::vector<domain::LocationId> order;
  std::map<domain::LocationId, LocationNews> news;
  std::vector<RoamingChange> tariffs;
  for (const auto &c : changes) {
    if (c.kind == Kind::Tariff || c.kind == Kind::TariffGone) {
      tariffs.push_back(c);
      continue;
    }
    if (!c.location) continue;
    auto [it, fresh] = news.try_emplace(*c.location);
    if (fresh) order.push_back(*c.location);
    auto &n = it->second;
    const auto uid = c.evse ? c.evse->value() : 0;
    switch (c.kind) {
    case Kind::Location:
      if (!n.whole) n.was_published = c.was_published;
      n.whole = true;
      break;
    case Kind::Evse: n.described.insert(uid); break;
    case Kind::EvseStatus: n.status.insert(uid); break;
    case Kind::EvseGone: n.gone[uid] = c.at; break;
    case Kind::Tariff:
    case Kind::TariffGone: break;
    }
  }
  Pusher push(r, self, now, enqueue);
  if (!order.empty() && push.anyone(OcpiModule::Locations))
    for (const auto &id : order)
      push.location(id, news[id]);
  // Only the last change of a tariff matters; its deletion after a change is the deletion.
  std::map<std::string, const RoamingChange *> last;
  for (const auto &c : tariffs)
    last[c.tariff_id] = &c;
  if (!tariffs.empty() && push.anyone(OcpiModule::Tariffs))
    for (const auto &c : tariffs)
      if (last[c.tariff_id] == &c) push.tariff(c);
  r.forget_roaming_changes(changes.back().seq);
  return push.sent();
}

// ---- the thread that drains the journal ------------------------------------------------------

LocationPush::LocationPush(domain::StoreExecutor &store, const core::Clock &clock, domain::PartyId self,
                           Enqueue enqueue, std::function<void()> delivered_to_outbox, std::chrono::milliseconds poll)
    : store_(store), clock_(clock), self_(std::move(self)), enqueue_(std::move(enqueue)),
      wake_outbox_(std::move(delivered_to_outbox)), poll_(poll), thread_([this] { run(); }) {}

LocationPush::~LocationPush() {
  stop();
}

void LocationPush::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_one();
}

void LocationPush::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void LocationPush::run() {
  // What one unit reports back; shared, so a store that never answers (shut down) leaves
  // nothing dangling when this thread gives up waiting.
  struct Drain {
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    std::size_t sent = 0;
    bool more = false;
  };
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    cv_.wait_for(lock, poll_, [this] { return woken_ || stopping_; });
    if (stopping_) break;
    woken_ = false;
    lock.unlock();
    auto d = std::make_shared<Drain>();
    bool more = false;
    try {
      store_.submit(
          [d, self = self_, enqueue = enqueue_, &clock = clock_](Repository &r) {
            const auto sent = push_changes(r, self, clock.now(), enqueue);
            const bool left = !r.roaming_changes(1).empty();
            // Under the mutex: this thread may have given up waiting and read them already.
            std::lock_guard g(d->mutex);
            d->sent = sent;
            d->more = left;
          },
          [d](std::exception_ptr e) {
            if (e) {
              try {
                std::rethrow_exception(e);
              } catch (const std::exception &ex) {
                log()->warn("the location push failed: {}", ex.what());
              } catch (...) {
                log()->warn("the location push failed");
              }
            }
            std::lock_guard g(d->mutex);
            if (e) {
              d->sent = 0;
              d->more = false;
            }
            d->done = true;
            d->cv.notify_one();
          });
      // One unit at a time: its commit before the journal is read again.
      // Read under the mutex: after a timeout the unit may still be writing them.
      std::unique_lock g(d->mutex);
      const bool done = d->cv.wait_for(g, std::chrono::seconds(30), [&] { return d->done; });
      const std::size_t sent = done ? d->sent : 0;
      more = done && d->more;
      g.unlock();
      if (sent > 0 && wake_outbox_) wake_outbox_();
    } catch (const std::exception &ex) {
      log()->warn("the location push could not run: {}", ex.what());
    }
    lock.lock();
    if (more) woken_ = true;
  }
}

} // namespace gridlane::ocpi
