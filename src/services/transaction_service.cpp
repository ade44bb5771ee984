#include "gridlane/services/transaction_service.hpp"

#include "gridlane/services/authorization_service.hpp"
#include "gridlane/services/location_service.hpp"
#include "gridlane/services/tariff_assignment_service.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

//! The highest energy register reading among the samples, in Wh.
std::optional<std::int64_t> latest_register_wh(const std::vector<MeterSample> &samples) {
  std::optional<std::int64_t> best;
  for (const auto &s : samples) {
    if (!is_energy_import_register(s)) continue;
    if (auto wh = energy_register_wh(s); wh && (!best || *wh > *best)) best = wh;
  }
  return best;
}

MeterReading reading(const StationContext &who, int connector_id, std::optional<std::int64_t> tx,
                     std::vector<MeterSample> samples, Timestamp now, int evse_id = -1) {
  MeterReading m;
  m.station = who.id;
  m.evse_id = evse_id >= 0 ? evse_id : connector_id;
  m.connector_id = connector_id;
  m.transaction_id = tx;
  m.samples = std::move(samples);
  m.received_at = now;
  return m;
}

//! Samples the adapter dropped (a number out of range) become one anomaly.
void record_rejected(Repository &r, const StationContext &who, const std::vector<std::string> &rejected,
                     const std::string &where, Timestamp now) {
  if (rejected.empty()) return;
  std::string detail =
      where + ": " + std::to_string(rejected.size()) + " sampled value(s) dropped: " + rejected.front();
  r.record_anomaly(Anomaly{who.id, "sample_out_of_range", detail, now});
}

//! The same event again: what a station re-sends when it did not get the answer.
bool same_event(const TransactionEventRecord &a, const TransactionEventRecord &b) {
  return a.event_type == b.event_type && a.trigger_reason == b.trigger_reason && a.timestamp == b.timestamp &&
         a.offline == b.offline && a.charging_state == b.charging_state && a.id_token == b.id_token;
}

//! What a unit of work answers, and the events to publish once it is committed.
template <class O> struct Published {
  O outcome;
  std::vector<Event> events;
};

} // namespace

void TransactionService::publish(std::vector<Event> events) {
  if (!bus_) return;
  auto now = clock_.now();
  for (auto &e : events) {
    std::visit([now](auto &v) { v.at = now; }, e);
    bus_->publish(std::move(e));
  }
}

void TransactionService::start(const StationContext &who, StartRequest req, Reply<StartOutcome> reply) {
  auto now = clock_.now();
  touch_station(store_, *live_, who.id, who.protocol, now);
  run_unit<Published<StartOutcome>>(
      store_,
      [who, req = std::move(req), now](Repository &r) -> Published<StartOutcome> {
        // A station re-sends an unanswered StartTransaction after a reconnect: same answer, no duplicate.
        if (auto existing = r.find_start(who.id, req.connector_id, req.id_tag, req.meter_start_wh, req.timestamp))
          return {StartOutcome{existing->id, existing->start_authorization, true}, {}};
        Transaction t;
        t.station = who.id;
        t.protocol = who.protocol;
        t.evse_id = req.connector_id;
        t.connector_id = req.connector_id;
        t.id_tag = req.id_tag;
        t.reservation_id = req.reservation_id;
        t.meter_start_wh = req.meter_start_wh;
        t.started_at = req.timestamp;
        t.start_received_at = now;
        // The station has already started charging; the transaction is recorded whatever the
        // verdict, and the verdict tells the station whether to stop it.
        t.start_authorization = authorize_token(r, req.id_tag, now, true);
        auto stored = r.start_transaction(t);
        if (!stored.inserted) { // another writer stored the same start meanwhile: its answer
          auto winner = r.transaction(stored.id);
          return {StartOutcome{stored.id, winner ? winner->start_authorization : t.start_authorization, true}, {}};
        }
        t.id = stored.id;
        t.station_tx_id = std::to_string(t.id); // what the store records for a 1.6 transaction
        snapshot_tariff(r, t, now);             // the tariff it is priced with, kept with it
        return {StartOutcome{t.id, t.start_authorization, false}, {TransactionStarted{who.id, now, t}}};
      },
      [this, reply = std::move(reply)](Outcome<Published<StartOutcome>> o) {
        if (!o.ok()) return reply(Outcome<StartOutcome>::failure(o.error()));
        publish(std::move(o.value().events));
        reply(Outcome<StartOutcome>::success(std::move(o.value().outcome)));
      });
}

void TransactionService::stop(const StationContext &who, StopRequest req, Reply<StopOutcome> reply) {
  auto now = clock_.now();
  const auto id = req.transaction_id; // read before req is moved into the unit
  touch_station(store_, *live_, who.id, who.protocol, now);
  run_unit<Published<StopOutcome>>(
      store_,
      [who, req = std::move(req), now, live = live_](Repository &r) mutable -> Published<StopOutcome> {
        if (req.meter_stop_text.empty() && req.meter_stop_wh) req.meter_stop_text = std::to_string(*req.meter_stop_wh);
        StopOutcome out;
        if (req.id_tag) out.authorization = authorize_token(r, *req.id_tag, now, false);
        auto tx = r.transaction(req.transaction_id);
        if (!tx || tx->station != who.id) {
          out.known = false;
          r.record_anomaly(Anomaly{who.id, "stop_unknown_transaction",
                                   "StopTransaction for unknown transaction " + std::to_string(req.transaction_id) +
                                       " meterStop=" + req.meter_stop_text + " at " +
                                       core::format_iso8601(req.timestamp),
                                   now});
          record_rejected(r, who, req.rejected_samples, "StopTransaction transactionData", now);
          if (!req.transaction_data.empty())
            r.insert_meter_reading(reading(who, 0, std::nullopt, req.transaction_data, now));
          return {out, {}};
        }
        if (tx->state == TransactionState::Ended) {
          out.duplicate = true;
          if (tx->meter_stop_wh != req.meter_stop_wh || tx->stopped_at != req.timestamp)
            r.record_anomaly(Anomaly{who.id, "stop_conflict",
                                     "transaction " + std::to_string(tx->id) +
                                         " stopped again with different data: meterStop=" + req.meter_stop_text +
                                         " at " + core::format_iso8601(req.timestamp),
                                     now});
          return {out, {}};
        }
        const auto tx_name = "transaction " + std::to_string(tx->id);
        tx->state = TransactionState::Ended;
        tx->meter_stop_wh = req.meter_stop_wh;
        if (!req.meter_stop_wh) {
          // Out of range: the stop is recorded all the same (the transaction must end) with the
          // energy known so far: the latest register reading, else the running value.
          auto running = live->energy_of(tx->id).value_or(tx->energy_wh);
          if (auto wh = latest_register_wh(req.transaction_data)) running = energy_between(tx->meter_start_wh, *wh);
          tx->energy_wh = running;
          r.record_anomaly(Anomaly{who.id, "meter_stop_out_of_range",
                                   tx_name + ": meterStop " + req.meter_stop_text + " is outside 0.." +
                                       std::to_string(max_energy_wh) + " Wh; energy kept at " +
                                       std::to_string(running) + " Wh",
                                   now});
        } else if (*req.meter_stop_wh < tx->meter_start_wh) {
          // A meter that went backwards (replaced, reset, or a firmware bug): no energy, never negative.
          tx->energy_wh = 0;
          r.record_anomaly(Anomaly{who.id, "meter_stop_below_start",
                                   tx_name + ": meterStop " + std::to_string(*req.meter_stop_wh) +
                                       " Wh is below meterStart " + std::to_string(tx->meter_start_wh) +
                                       " Wh; energy recorded as 0",
                                   now});
        } else {
          tx->energy_wh = energy_between(tx->meter_start_wh, *req.meter_stop_wh);
        }
        tx->stopped_at = req.timestamp;
        tx->stop_received_at = now;
        tx->stop_reason = req.reason.value_or(StopReason::Local); // OCPP 1.6: reason may only be omitted when Local
        tx->stop_id_tag = req.id_tag;
        r.end_transaction(*tx);
        record_rejected(r, who, req.rejected_samples, tx_name + " StopTransaction transactionData", now);
        if (!req.transaction_data.empty())
          r.insert_meter_reading(reading(who, tx->connector_id, tx->id, req.transaction_data, now));
        return {out, {TransactionEnded{who.id, now, *tx}}};
      },
      [this, id, reply = std::move(reply)](Outcome<Published<StopOutcome>> o) {
        if (!o.ok()) return reply(Outcome<StopOutcome>::failure(o.error()));
        if (o.value().outcome.known && !o.value().outcome.duplicate) live_->ended(id);
        publish(std::move(o.value().events));
        reply(Outcome<StopOutcome>::success(std::move(o.value().outcome)));
      });
}

void TransactionService::meter_values(const StationContext &who, MeterRequest req, Reply<Done> reply) {
  auto now = clock_.now();
  touch_station(store_, *live_, who.id, who.protocol, now);
  // The transaction whose running energy this unit wrote or noted, so a rollback can undo the note.
  auto noted = std::make_shared<std::optional<std::int64_t>>();
  run_unit<std::optional<TransactionUpdated>>(
      store_,
      [who, req = std::move(req), now, live = live_, noted](Repository &r) {
        std::optional<TransactionUpdated> linked;
        if (req.transaction_id) {
          auto tx = r.transaction(*req.transaction_id);
          if (tx && tx->station == who.id) {
            linked = TransactionUpdated{who.id, now, tx->id, std::nullopt, req.samples, std::nullopt, std::nullopt};
            if (auto wh = latest_register_wh(req.samples); wh && tx->state == TransactionState::Active) {
              // Held in memory at once (the API shows it); written at most every interval.
              auto energy = energy_between(tx->meter_start_wh, *wh);
              *noted = tx->id;
              linked->energy_wh = energy;
              if (live->energy(tx->id, energy, now)) r.update_energy(tx->id, energy);
            } else {
              linked->energy_wh = live->energy_of(tx->id).value_or(tx->energy_wh);
            }
          } else {
            r.record_anomaly(Anomaly{who.id, "meter_values_unknown_transaction",
                                     "MeterValues for unknown transaction " + std::to_string(*req.transaction_id),
                                     now});
          }
        }
        auto tx_id = linked ? std::optional{linked->transaction_id} : std::nullopt;
        r.insert_meter_reading(reading(who, req.connector_id, tx_id, req.samples, now, req.evse_id));
        return linked;
      },
      [this, noted, reply = std::move(reply)](Outcome<std::optional<TransactionUpdated>> o) {
        if (!o.ok()) {
          if (*noted) live_->energy_write_failed(**noted);
          return reply(Outcome<Done>::failure(o.error()));
        }
        if (o.value()) publish({std::move(*o.value())});
        reply(Outcome<Done>::success(Done{}));
      });
}

void TransactionService::transaction_event(const StationContext &who, TransactionEventRequest req,
                                           Reply<TransactionEventOutcome> reply) {
  auto now = clock_.now();
  touch_station(store_, *live_, who.id, who.protocol, now);
  run_unit<Published<TransactionEventOutcome>>(
      store_,
      [who, req = std::move(req), now](Repository &r) -> Published<TransactionEventOutcome> {
        TransactionEventOutcome out;
        // An EVSE or connector Gridlane does not know is created (docs/locations.md).
        if (req.evse_id)
          observe_connector(r, who.id, who.protocol, *req.evse_id, req.connector_id.value_or(0), std::nullopt, now);
        const bool started = req.event_type == TransactionEventType::Started;
        const bool ending = req.event_type == TransactionEventType::Ended;
        auto tx = r.find_station_transaction(who.id, req.station_tx_id);
        if (!tx) {
          Transaction t;
          t.station = who.id;
          t.station_tx_id = req.station_tx_id;
          t.protocol = who.protocol;
          t.evse_id = req.evse_id.value_or(0);
          t.connector_id = req.connector_id.value_or(req.evse_id ? 1 : 0);
          t.id_tag = req.id_token.value_or("");
          t.reservation_id = req.reservation_id;
          // The energy register at the start: the Transaction.Begin sample, else the first one seen.
          t.meter_start_wh = latest_register_wh(req.samples).value_or(0);
          for (const auto &s : req.samples) {
            if (is_transaction_begin(s)) {
              if (auto wh = latest_register_wh({s})) t.meter_start_wh = *wh;
            }
          }
          t.started_at = req.timestamp;
          t.start_received_at = now;
          t.start_authorization.status = TokenStatus::Accepted;
          auto stored = r.start_transaction(t);
          t.id = stored.id;
          if (!started && stored.inserted)
            r.record_anomaly(Anomaly{who.id, "transaction_without_start",
                                     "first event of transaction " + req.station_tx_id + " was " +
                                         std::string(to_string(req.event_type)) + " (seqNo " +
                                         std::to_string(req.seq_no) + ")",
                                     now});
          tx = stored.inserted ? std::optional{t} : r.transaction(stored.id); // else another writer's
          if (!tx) throw std::runtime_error("transaction " + req.station_tx_id + " vanished while it was stored");
          out.created = stored.inserted;
          if (out.created) snapshot_tariff(r, *tx, now); // the tariff it is priced with, kept with it
        }
        out.transaction_id = tx->id;
        auto authorize = [&](bool concurrent) -> std::optional<Authorization> {
          if (!req.id_token) return std::nullopt;
          if (req.no_authorization) return Authorization{TokenStatus::Accepted, {}, {}};
          return authorize_token(r, *req.id_token, now, concurrent, tx->id);
        };

        TransactionEventRecord event{tx->id,
                                     req.seq_no,
                                     req.event_type,
                                     req.trigger_reason,
                                     req.timestamp,
                                     req.offline,
                                     req.charging_state,
                                     req.id_token,
                                     now};
        auto earlier =
            out.created ? std::vector<TransactionEventRecord>{} : r.transaction_events_at(tx->id, req.seq_no);
        for (const auto &e : earlier) {
          if (!same_event(e, event)) continue;
          // A retry: the same answer, nothing changed.
          out.duplicate = true;
          out.authorization = authorize(started);
          return {out, {}};
        }
        if (!earlier.empty()) {
          // A different event under a seqNo already used (firmware that repeats one, e.g.
          // Updated then Ended both with seqNo 1): recorded all the same, and noted.
          r.record_anomaly(Anomaly{who.id, "seq_no_reused",
                                   "transaction " + req.station_tx_id + ": " + std::string(to_string(req.event_type)) +
                                       " (" + std::string(to_string(req.trigger_reason)) + ") under seqNo " +
                                       std::to_string(req.seq_no) + ", already used by " +
                                       std::string(to_string(earlier.front().event_type)) + " (" +
                                       std::string(to_string(earlier.front().trigger_reason)) + ")",
                                   now});
        }
        if (!r.insert_transaction_event(event)) { // the same event, stored meanwhile by another writer
          out.duplicate = true;
          out.authorization = authorize(started);
          return {out, {}};
        }
        record_rejected(r, who, req.rejected_samples,
                        "transaction " + req.station_tx_id + " seqNo " + std::to_string(req.seq_no), now);
        // seq_no is within [0, max_wire_int] (checked by the adapter); no sum here can overflow.
        if (tx->last_seq_no && req.seq_no - 1 > *tx->last_seq_no)
          r.record_anomaly(Anomaly{who.id, "seq_gap",
                                   "transaction " + req.station_tx_id + ": seqNo " + std::to_string(req.seq_no) +
                                       " after " + std::to_string(*tx->last_seq_no),
                                   now});
        tx->last_seq_no = std::max(tx->last_seq_no.value_or(req.seq_no), req.seq_no);
        tx->offline_events = tx->offline_events || req.offline;
        if (req.charging_state) tx->charging_state = req.charging_state;
        if (req.number_of_phases) tx->number_of_phases = req.number_of_phases;
        if (req.remote_start_id) tx->remote_start_id = req.remote_start_id;
        if (req.reservation_id) tx->reservation_id = req.reservation_id;
        if (req.evse_id && tx->evse_id == 0) tx->evse_id = *req.evse_id;
        if (req.connector_id && (tx->connector_id == 0 || !req.evse_id)) tx->connector_id = *req.connector_id;

        out.authorization = authorize(started || tx->id_tag.empty());
        if (req.id_token && tx->id_tag.empty()) {
          // An idToken presented after the transaction started (e.g. plug in first, then badge).
          tx->id_tag = *req.id_token;
          tariff_driver_identified(r, *tx, now); // a tariff of the driver's customer group, if any
          if (out.authorization) tx->start_authorization = *out.authorization;
        } else if (req.id_token && started && out.authorization) {
          tx->start_authorization = *out.authorization;
        }

        std::optional<std::int64_t> latest;
        if (!req.samples.empty()) {
          // A Transaction.Begin sample is the start register even when it comes after the Started
          // event (the EVSE, and its meter, known only later: TC_J_08).
          if (!out.created && tx->state == TransactionState::Active)
            for (const auto &s : req.samples)
              if (is_transaction_begin(s))
                if (auto wh = latest_register_wh({s})) tx->meter_start_wh = *wh;
          r.insert_meter_reading(reading(who, tx->connector_id, tx->id, req.samples, now, tx->evse_id));
          latest = latest_register_wh(req.samples);
          if (latest && tx->state == TransactionState::Active)
            tx->energy_wh = energy_between(tx->meter_start_wh, *latest);
        }
        if (ending && tx->state == TransactionState::Active) {
          tx->state = TransactionState::Ended;
          tx->stopped_at = req.timestamp;
          tx->stop_received_at = now;
          tx->stop_reason = req.stopped_reason.value_or(StopReason::Local); // 2.x: stoppedReason absent means Local
          if (req.id_token) tx->stop_id_tag = req.id_token;
          tx->meter_stop_wh = latest.value_or(tx->meter_start_wh + tx->energy_wh);
          if (latest && *latest < tx->meter_start_wh)
            r.record_anomaly(Anomaly{who.id, "meter_stop_below_start",
                                     "transaction " + req.station_tx_id + ": the register at the end (" +
                                         std::to_string(*latest) + " Wh) is below the start (" +
                                         std::to_string(tx->meter_start_wh) + " Wh); energy recorded as 0",
                                     now});
        } else if (tx->state == TransactionState::Ended && !ending) {
          r.record_anomaly(Anomaly{who.id, "event_after_end",
                                   "transaction " + req.station_tx_id + ": " + std::string(to_string(req.event_type)) +
                                       " seqNo " + std::to_string(req.seq_no) + " after it ended",
                                   now});
        }
        r.update_transaction(*tx);
        out.ended = ending && tx->state == TransactionState::Ended && !out.duplicate;
        out.remote_start_id = req.remote_start_id;
        out.id_tag = tx->id_tag;
        out.evse_id = tx->evse_id;
        out.connector_id = tx->connector_id;
        std::vector<Event> events;
        if (out.created) {
          events.emplace_back(TransactionStarted{who.id, now, *tx});
        } else {
          TransactionUpdated::Subject subject{tx->id_tag, tx->evse_id, tx->connector_id, req.remote_start_id};
          events.emplace_back(
              TransactionUpdated{who.id, now, tx->id, subject, req.samples, tx->energy_wh, req.charging_state});
        }
        if (out.ended) events.emplace_back(TransactionEnded{who.id, now, *tx});
        return {out, std::move(events)};
      },
      [this, reply = std::move(reply)](Outcome<Published<TransactionEventOutcome>> o) {
        if (!o.ok()) return reply(Outcome<TransactionEventOutcome>::failure(o.error()));
        auto &v = o.value();
        if (v.outcome.ended) live_->ended(v.outcome.transaction_id);
        publish(std::move(v.events));
        reply(Outcome<TransactionEventOutcome>::success(std::move(v.outcome)));
      });
}

} // namespace gridlane::services
