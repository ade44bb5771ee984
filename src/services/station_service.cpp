#include "gridlane/services/station_service.hpp"

#include <atomic>
#include <boost/json.hpp>

#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"
#include "gridlane/services/location_service.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {
Admission throttled(std::chrono::seconds retry_after) {
  Admission a;
  a.verdict = Admission::Verdict::Throttled;
  a.retry_after = retry_after;
  return a;
}
} // namespace

void StationService::admit(const StationId &id, std::optional<std::string> password, std::string remote,
                           Reply<Admission> reply) {
  struct Lookup {
    Admission admission;
    std::optional<std::string> password_hash;
  };
  // A locked station id or address is refused before any lookup, registration or hashing.
  if (auto wait = throttle_.locked_for(id.str(), remote); wait.count() > 0) {
    reply(Outcome<Admission>::success(throttled(wait)));
    return;
  }
  auto now = clock_.now();
  auto policy = config_.unknown_station;
  run_unit<Lookup>(
      store_,
      [id, now, policy](Repository &r) {
        Lookup out;
        auto station = r.station(id);
        if (!station) {
          if (policy == core::UnknownStationPolicy::Reject) return out; // NotFound
          Station s;
          s.id = id;
          s.registration =
              policy == core::UnknownStationPolicy::Accept ? RegistrationStatus::Accepted : RegistrationStatus::Pending;
          s.created_at = now;
          // Another connection of the same station may store it first: then that one counts.
          station = r.insert_station_if_absent(s) ? std::optional{s} : r.station(id);
          if (!station) return out;
        }
        if (!station->enabled) return out; // a disabled station is treated as unknown
        out.admission.verdict = Admission::Verdict::Accept;
        out.admission.registration = station->registration;
        out.password_hash = station->password_hash;
        return out;
      },
      [this, id, remote = std::move(remote), password = std::move(password),
       reply = std::move(reply)](Outcome<Lookup> result) mutable {
        if (!result.ok()) {
          reply(Outcome<Admission>::failure(result.error()));
          return;
        }
        auto lookup = std::move(result.value());
        if (lookup.admission.verdict != Admission::Verdict::Accept || !lookup.password_hash) {
          reply(Outcome<Admission>::success(lookup.admission));
          return;
        }
        if (!password) { // security profile 1: a station with a password must present it
          lookup.admission.verdict = Admission::Verdict::Unauthorized;
          reply(Outcome<Admission>::success(lookup.admission));
          return;
        }
        // Answered exactly once, even if the check threw after answering and the pool refuses it.
        auto answered = std::make_shared<std::atomic<bool>>(false);
        auto shared_reply =
            std::make_shared<Reply<Admission>>([answered, reply = std::move(reply)](Outcome<Admission> o) {
              if (!answered->exchange(true)) reply(std::move(o));
            });
        blocking_(
            [this, id, remote, lookup = std::move(lookup), password = std::move(*password), shared_reply]() mutable {
              // Checked again: guesses queued before the lock began are refused without hashing.
              if (auto wait = throttle_.locked_for(id.str(), remote); wait.count() > 0)
                return (*shared_reply)(Outcome<Admission>::success(throttled(wait)));
              if (core::verify_password(*lookup.password_hash, password)) {
                throttle_.succeed(id.str());
              } else {
                lookup.admission.verdict = Admission::Verdict::Unauthorized;
                if (throttle_.fail(id.str(), remote))
                  core::log(core::Component::Services)
                      .warn("[{}] too many wrong passwords (from {}): locked", id.str(), remote);
              }
              (*shared_reply)(Outcome<Admission>::success(lookup.admission));
            },
            [shared_reply](core::JobRefusal why) {
              if (why == core::JobRefusal::Failed)
                return (*shared_reply)(Outcome<Admission>::failure("password check failed"));
              Admission busy;
              busy.verdict = Admission::Verdict::Busy;
              busy.retry_after = std::chrono::seconds{1};
              (*shared_reply)(Outcome<Admission>::success(busy));
            });
      });
}

void StationService::connected(const StationId &id, ProtocolVersion protocol, std::optional<std::string> remote) {
  if (bus_) bus_->publish(StationConnected{id, clock_.now(), protocol, std::move(remote)});
}

void StationService::disconnected(const StationId &id) {
  if (bus_) bus_->publish(StationDisconnected{id, clock_.now()});
}

void StationService::answered_ping(const StationContext &who) {
  if (live_) touch_station(store_, *live_, who.id, who.protocol, clock_.now());
}

void StationService::boot(const StationContext &who, StationIdentity identity, Reply<BootDecision> reply) {
  auto now = clock_.now();
  touch_station(store_, *live_, who.id, who.protocol, now);
  auto config = config_;
  run_unit<BootDecision>(
      store_,
      [who, identity = std::move(identity), now, config](Repository &r) {
        auto station = r.station(who.id);
        if (!station) throw std::runtime_error("station " + who.id.str() + " is not registered");
        r.update_station_boot(who.id, identity, now);
        auto interval = station->registration == RegistrationStatus::Accepted ? config.heartbeat_interval_s
                                                                              : config.pending_retry_interval_s;
        return BootDecision{station->registration, interval, now, r.has_complete_report(who.id)};
      },
      std::move(reply));
}

void StationService::heartbeat(const StationContext &who, const Reply<Timestamp> &reply) {
  auto now = clock_.now();
  // A heartbeat moves last_seen_at (held in memory at once, written at most every interval)
  // and needs nothing else from the store: it is answered without waiting for a commit.
  touch_station(store_, *live_, who.id, who.protocol, now);
  reply(Outcome<Timestamp>::success(now));
}

void StationService::status(const StationContext &who, StatusReport report, Reply<Done> reply) {
  auto now = clock_.now();
  touch_station(store_, *live_, who.id, who.protocol, now);
  report.station = who.id;
  report.received_at = now;
  run_unit<Done>(
      store_,
      [report, protocol = who.protocol](Repository &r) {
        r.record_status(report);
        // An EVSE or connector Gridlane does not know is created (docs/locations.md).
        observe_connector(r, report.station, protocol, report.evse_id, report.connector_id, report.status,
                          report.received_at);
        return Done{};
      },
      [this, who, now, report, reply = std::move(reply)](Outcome<Done> o) {
        if (o.ok() && bus_) bus_->publish(StatusChanged{who.id, now, report});
        reply(std::move(o));
      });
}

void StationService::record_event(const StationContext &who, std::string kind, std::string payload, Reply<Done> reply) {
  auto now = clock_.now();
  touch_station(store_, *live_, who.id, who.protocol, now);
  run_unit<Done>(
      store_,
      [who, kind = std::move(kind), payload = std::move(payload), now](Repository &r) {
        r.record_event(StationEvent{who.id, kind, payload, now});
        return Done{};
      },
      std::move(reply));
}

void StationService::data_transfer(const StationContext &who, DataTransferRequest request, std::string payload,
                                   Reply<DataTransferResult> reply) {
  auto now = clock_.now();
  touch_station(store_, *live_, who.id, who.protocol, now);
  const DataTransferHandler *handler = nullptr;
  if (auto it = data_transfer_handlers_.find(request.vendor_id); it != data_transfer_handlers_.end())
    handler = &it->second;
  run_unit<DataTransferResult>(
      store_,
      [who, request = std::move(request), payload = std::move(payload), now, handler](Repository &r) {
        r.record_event(StationEvent{who.id, "DataTransfer", payload, now});
        return handler ? (*handler)(who, request) : DataTransferResult{};
      },
      std::move(reply));
}

void StationService::report(const StationContext &who, ReportPart part, std::vector<DeviceVariable> variables,
                            Reply<Done> reply) {
  auto now = clock_.now();
  touch_station(store_, *live_, who.id, who.protocol, now);
  run_unit<Done>(
      store_,
      [who, part, variables = std::move(variables), now](Repository &r) {
        auto previous = r.record_report_part(who.id, part, now);
        if (part.seq_no - 1 > previous) // seq_no is checked by the adapter; previous + 1 could overflow
          r.record_anomaly(Anomaly{who.id, "report_gap",
                                   "report " + std::to_string(part.request_id) + ": part " +
                                       std::to_string(part.seq_no) + " after " + std::to_string(previous),
                                   now});
        for (const auto &v : variables)
          r.upsert_device_variable(who.id, v, now);
        return Done{};
      },
      std::move(reply));
}

void StationService::record_variables(const StationContext &who, std::vector<DeviceVariable> variables,
                                      Reply<Done> reply) {
  auto now = clock_.now();
  run_unit<Done>(
      store_,
      [who, variables = std::move(variables), now](Repository &r) {
        for (const auto &v : variables)
          r.upsert_device_variable(who.id, v, now);
        return Done{};
      },
      std::move(reply));
}

} // namespace gridlane::services
