// The Sessions module, Gridlane as Sender (sessions.hpp): the GET list, the charging
// preferences PUT, and the pushes of every roaming session to its token's partner.
#include "gridlane/ocpi/sessions.hpp"

#include <boost/json.hpp>
#include <exception>
#include <utility>

#include "gridlane/core/json_text.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/ocpi/outbox.hpp"
#include "gridlane/ocpi/session_codec.hpp"
#include "gridlane/services/session_pricing.hpp"
#include "session_support.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

//! A roaming session as its partner sees it now: the transaction, its place, its token and its
//! price so far (all its charging periods).
std::optional<Session> load_session(Repository &r, const RoamingSession &rec, const PartyId &cpo, Timestamp now,
                                    std::optional<std::int64_t> energy_wh = std::nullopt) {
  auto t = r.transaction(rec.transaction_id);
  if (!t) return std::nullopt;
  // The stored energy of a running transaction may lag (LiveValues): the event's is newer.
  if (energy_wh && t->state == TransactionState::Active && *energy_wh > t->energy_wh) t->energy_wh = *energy_wh;
  SessionParts parts;
  parts.transaction = &*t;
  parts.cpo = cpo;
  if (auto station = r.station(t->station)) {
    parts.location = station->location_id;
    parts.meter_id = station->identity.meter_serial_number;
  }
  parts.evse = r.evse(t->station, t->evse_id);
  if (!t->id_tag.empty()) parts.token = partner_token(r, rec.partner_id, t->id_tag);
  if (parts.token) {
    // The eMSP's reference of the real-time authorisation this start followed (mod_sessions:
    // the same value SHALL be in the Session), not that of a later Authorize.
    auto d = r.realtime_decision(parts.token->party, parts.token->uid, parts.token->type);
    if (d && d->at <= t->start_received_at + std::chrono::minutes(1))
      parts.authorization_reference = d->authorization_reference;
  }
  if (auto cost = services::SessionPricing::price(r, t->id, now)) {
    parts.total_cost = cost->priced.total_cost;
    parts.currency = cost->priced.currency;
    parts.charging_periods = cost->priced.charging_periods;
    parts.kwh = cost->priced.total_energy;
  }
  parts.last_updated = rec.last_updated;
  return session_of(parts);
}

std::string session_path(const PartyId &cpo, const std::string &id) {
  return "/" + cpo.country_code + "/" + cpo.party_id + "/" + id;
}

Response list(Repository &r, const Call &call, const Page &page, const PartyId &cpo) {
  RoamingWindow window{page.date_from, page.date_to};
  auto found = r.roaming_sessions(call.partner.id, window, {page.limit, page.offset});
  json::array items;
  items.reserve(found.items.size());
  for (const auto &rec : found.items)
    if (auto s = load_session(r, rec, cpo, call.now)) items.push_back(session_to_json(*s));
  return paged(std::move(items), static_cast<std::size_t>(found.total), page, call.self_url, call.now);
}

} // namespace

SessionsModule::SessionsModule(StoreExecutor &store, const core::Clock &clock, core::OcpiConfig config,
                               std::function<void()> wake, std::chrono::seconds patch_interval)
    : store_(store), clock_(clock), config_(std::move(config)), wake_(std::move(wake)),
      patch_interval_(patch_interval) {}

SessionsModule::~SessionsModule() = default;

ModuleHandler SessionsModule::handler() {
  return [this](const std::shared_ptr<Call> &call, Reply reply) {
    const auto &req = call->request;
    const auto &seg = call->segments;
    if (req.method == "GET" && seg.empty()) {
      auto parsed = parse_page(req, config_.page_limit, call->now);
      if (auto *bad = std::get_if<Response>(&parsed)) return reply(std::move(*bad));
      auto page = std::get<Page>(parsed);
      const PartyId cpo{config_.country_code, config_.party_id};
      answer_from_store(store_, call, std::move(reply),
                        [call, page, cpo](Repository &r) { return list(r, *call, page, cpo); });
      return;
    }
    if (req.method == "PUT" && seg.size() == 2 && seg[1] == "charging_preferences") {
      // mod_sessions: the body is a ChargingPreferences object; an EVSE without the capability
      // CHARGING_PREFERENCES_CAPABLE answers HTTP 404 with 2001. Gridlane offers it on no EVSE.
      auto prefs = decode_charging_preferences(req.body);
      if (!prefs) return reply(failure(StatusCode::InvalidParameters, prefs.error().message, call->now, 400));
      if (seg[0].empty() || seg[0].size() > 36)
        return reply(failure(StatusCode::InvalidParameters, "session_id is 1 to 36 characters", call->now, 400));
      answer_from_store(store_, call, std::move(reply), [call](Repository &r) {
        const auto &id = call->segments[0];
        std::optional<RoamingSession> rec;
        if (auto n = parse_id(id)) rec = r.roaming_session(*n);
        if (!rec || rec->partner_id != call->partner.id)
          return failure(StatusCode::InvalidParameters, "no session " + id + " of yours", call->now, 404);
        return failure(StatusCode::InvalidParameters,
                       "the EVSE of session " + id + " is not CHARGING_PREFERENCES_CAPABLE", call->now, 404);
      });
      return;
    }
    reply(not_allowed(*call, "the Sessions Sender interface offers GET and PUT {session_id}/charging_preferences"));
  };
}

void SessionsModule::watch(EventBus &bus) {
  subscription_ = bus.subscribe([this](const Event &e) {
    try {
      on_event(e);
    } catch (const std::exception &x) {
      core::logger("ocpi")->error("sessions: an event was not handled: {}", x.what());
    }
  });
}

void SessionsModule::stop() {
  stopped_ = true;
  subscription_.reset();
}

void SessionsModule::on_event(const Event &e) {
  if (const auto *started = std::get_if<TransactionStarted>(&e))
    return submit(started->transaction.id, true, std::nullopt);
  if (const auto *updated = std::get_if<TransactionUpdated>(&e))
    return submit(updated->transaction_id, false, updated->energy_wh);
  if (const auto *ended = std::get_if<TransactionEnded>(&e)) return submit(ended->transaction.id, true, std::nullopt);
}

void SessionsModule::submit(std::int64_t transaction_id, bool force, std::optional<std::int64_t> energy_wh) {
  auto enqueued = std::make_shared<bool>(false);
  auto self = shared_from_this(); // queued units keep the module alive past the server's teardown
  store_.submit([self, transaction_id, force, energy_wh,
                 enqueued](Repository &r) { *enqueued = self->sync(r, transaction_id, force, energy_wh); },
                [self, transaction_id, enqueued](const std::exception_ptr &failed) {
                  if (failed) {
                    core::logger("ocpi")->error("sessions: transaction {}: the push was not recorded: {}",
                                                transaction_id, what(failed));
                    return;
                  }
                  if (*enqueued && self->wake_ && !self->stopped_) self->wake_();
                });
}

bool SessionsModule::sync(Repository &r, std::int64_t transaction_id, bool force,
                          std::optional<std::int64_t> energy_wh) const {
  const auto now = clock_.now();
  auto t = r.transaction(transaction_id);
  if (!t) return false;
  auto rec = r.roaming_session(transaction_id);
  bool created = false;
  if (!rec) {
    // A 2.x transaction may start without its token (cable first): it becomes a roaming session
    // once an event names a partner's token.
    if (t->id_tag.empty()) return false;
    // One of Gridlane's own tokens is never a roaming session, whatever a partner stored.
    if (r.id_token(t->id_tag)) return false;
    auto token = r.roaming_token_by_uid(t->id_tag);
    if (!token) return false;
    rec = RoamingSession{transaction_id, token->partner_id, now, std::nullopt, 0};
    if (!r.insert_roaming_session(*rec)) return false;
    created = true;
  }
  const bool ended = t->state == TransactionState::Ended;
  if (rec->periods_sent < 0) return false; // its COMPLETED was enqueued already: nothing follows
  // The pace: a running session is PATCHed at most once per interval.
  if (!created && !force && rec->last_pushed_at && now - *rec->last_pushed_at < patch_interval_) {
    rec->last_updated = now;
    r.update_roaming_session(*rec);
    return false;
  }
  rec->last_updated = now;
  const PartyId cpo{config_.country_code, config_.party_id};
  auto session = load_session(r, *rec, cpo, now, energy_wh);
  if (!session) return false;
  // While it runs, the last period is still growing: only the closed ones are sent.
  auto all = session->charging_periods;
  const std::size_t closed = ended ? all.size() : (all.empty() ? 0 : all.size() - 1);
  const auto sent = static_cast<std::size_t>(std::max<std::int64_t>(0, rec->periods_sent));
  auto partner = r.partner(rec->partner_id);
  const bool push = partner && Outbox::takes(*partner, OcpiModule::Sessions);
  OutboxItem item;
  item.partner_id = rec->partner_id;
  item.module = OcpiModule::Sessions;
  item.path = session_path(cpo, session->id);
  item.object_key = "session:" + session->id;
  item.created_at = now;
  // Through a hub, the eMSP that issued the token is the receiving party (OCPI-to-*).
  if (!t->id_tag.empty())
    if (auto token = partner_token(r, rec->partner_id, t->id_tag)) item.to = token->party;
  if (created) {
    session->charging_periods.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(closed));
    item.method = PushMethod::Put;
    item.body = core::to_json_text(session_to_json(*session));
  } else {
    std::vector<ChargingPeriod> added;
    if (closed > sent)
      added.assign(all.begin() + static_cast<std::ptrdiff_t>(sent), all.begin() + static_cast<std::ptrdiff_t>(closed));
    item.method = PushMethod::Patch;
    item.body = core::to_json_text(session_patch_json(*session, added));
  }
  rec->last_pushed_at = now;
  // A session whose COMPLETED went out is marked with a negative count: nothing follows it.
  rec->periods_sent = ended ? -1 : static_cast<std::int64_t>(std::max(closed, sent));
  r.update_roaming_session(*rec);
  if (!push) return false;
  Outbox::enqueue(r, item);
  return true;
}

} // namespace gridlane::ocpi
