#include "gridlane/services/authorization_service.hpp"

#include <atomic>
#include <memory>

#include "gridlane/core/logging.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

spdlog::logger &alog() {
  static auto logger = core::logger("roaming.auth");
  return *logger;
}

//! OCPP 1.6 parentIdTag is at most 20 characters (mod_tokens: group_id note); a longer group
//! id is left out rather than sent to a station that would refuse the whole answer.
std::optional<std::string> parent_of(const RoamingToken &t) {
  if (t.group_id && t.group_id->size() <= 20) return t.group_id;
  return std::nullopt;
}

TokenStatus status_of(AllowedType a) {
  switch (a) {
  case AllowedType::Allowed: return TokenStatus::Accepted;
  case AllowedType::Blocked: return TokenStatus::Blocked;
  case AllowedType::Expired: return TokenStatus::Expired;
  case AllowedType::NoCredit:   // OCPP 1.6 has no NoCredit: the driver may not charge here
  case AllowedType::NotAllowed: // nor NotAtThisLocation
    return TokenStatus::Invalid;
  }
  return TokenStatus::Invalid;
}

//! The station's location and EVSEs, as the eMSP is told where the driver is.
std::optional<LocationRef> location_of(Repository &repo, const StationId &station) {
  auto s = repo.station(station);
  if (!s || !s->location_id) return std::nullopt;
  LocationRef ref{s->location_id->str(), {}};
  for (const auto &e : repo.evses(station))
    ref.evse_uids.push_back(std::to_string(e.uid.value()));
  return ref;
}

//! What the Authorize unit decides: an answer now, or the question for the eMSP.
struct FirstStep {
  Authorization now;
  std::optional<RealtimeQuestion> ask;
};

} // namespace

bool needs_realtime(WhitelistType w) {
  return w == WhitelistType::AllowedOffline || w == WhitelistType::Never;
}

Authorization roaming_authorization(const RoamingToken &t, const std::optional<RealtimeDecision> &decision,
                                    Timestamp now) {
  Authorization out;
  out.parent_id = parent_of(t);
  if (!needs_realtime(t.whitelist)) {
    out.status = t.valid ? TokenStatus::Accepted : TokenStatus::Invalid;
    return out;
  }
  if (decision && decision->at <= now && now - decision->at <= realtime_decision_lifetime) {
    out.status = status_of(decision->allowed);
    return out;
  }
  out.status = t.whitelist == WhitelistType::AllowedOffline && t.valid ? TokenStatus::Accepted : TokenStatus::Invalid;
  return out;
}

Authorization realtime_verdict(const RoamingToken &t, const RealtimeAnswer &answer) {
  Authorization out;
  out.parent_id = parent_of(t);
  switch (answer.kind) {
  case RealtimeAnswer::Kind::Answered: out.status = status_of(answer.allowed); break;
  case RealtimeAnswer::Kind::UnknownToken: out.status = TokenStatus::Invalid; break;
  case RealtimeAnswer::Kind::Unreachable:
    // mod_tokens WhitelistType: ALLOWED_OFFLINE "when the CPO cannot get a response from the
    // eMSP ... the CPO shall allow this Token to be used"; NEVER: only real-time is allowed.
    out.status = t.whitelist == WhitelistType::AllowedOffline && t.valid ? TokenStatus::Accepted : TokenStatus::Invalid;
    break;
  }
  return out;
}

Authorization authorize_token(Repository &repo, std::string_view id_tag, Timestamp now, bool check_concurrent,
                              std::optional<std::int64_t> own_transaction) {
  Authorization out;
  if (auto token = repo.id_token(id_tag)) {
    out.expires_at = token->expires_at;
    out.parent_id = token->parent_id;
    out.status = token->status;
    if (out.status != TokenStatus::Accepted) return out;
    if (token->expires_at && *token->expires_at <= now) {
      out.status = TokenStatus::Expired;
      return out;
    }
  } else if (auto roaming = repo.roaming_token_by_uid(id_tag)) {
    std::optional<RealtimeDecision> decision;
    if (needs_realtime(roaming->whitelist))
      decision = repo.realtime_decision(roaming->party, roaming->uid, roaming->type);
    out = roaming_authorization(*roaming, decision, now);
    if (out.status != TokenStatus::Accepted) return out;
  } else {
    out.status = TokenStatus::Unknown;
    return out;
  }
  if (check_concurrent && repo.has_active_transaction(id_tag, own_transaction)) out.status = TokenStatus::ConcurrentTx;
  return out;
}

void AuthorizationService::authorize(const StationContext &who, std::string id_tag, Reply<Authorization> reply) {
  auto now = clock_.now();
  if (auto *bus = bus_.load()) {
    // Every answer that is not Accepted is published once it is decided (after the commit).
    reply = [bus, station = who.id, tag = id_tag, this, reply = std::move(reply)](Outcome<Authorization> o) {
      if (o.ok() && o.value().status != TokenStatus::Accepted)
        bus->publish(AuthorizationRefused{station, clock_.now(), tag, o.value().status});
      reply(std::move(o));
    };
  }
  touch_station(store_, *live_, who.id, who.protocol, now);
  const bool realtime = realtime_.load() != nullptr;
  run_unit<FirstStep>(
      store_,
      [who, id_tag = std::move(id_tag), now, realtime](Repository &r) {
        FirstStep step;
        if (realtime && !r.id_token(id_tag)) {
          if (auto roaming = r.roaming_token_by_uid(id_tag); roaming && needs_realtime(roaming->whitelist)) {
            step.ask = RealtimeQuestion{*roaming, location_of(r, who.id)};
            return step;
          }
        }
        step.now = authorize_token(r, id_tag, now, true);
        return step;
      },
      [this, reply = std::move(reply)](Outcome<FirstStep> o) mutable {
        if (!o.ok()) return reply(Outcome<Authorization>::failure(o.error()));
        auto *realtime = realtime_.load();
        if (!o.value().ask) return reply(Outcome<Authorization>::success(o.value().now));
        if (!realtime) // detached meanwhile (shutting down): as if the eMSP could not be reached
          return reply(Outcome<Authorization>::success(realtime_verdict(
              o.value().ask->token, RealtimeAnswer{RealtimeAnswer::Kind::Unreachable, {}, {}, "shutting down"})));
        ask_emsp(*realtime, std::move(*o.value().ask), std::move(reply));
      });
}

void AuthorizationService::ask_emsp(RealtimeAuthorizer &realtime, RealtimeQuestion question,
                                    Reply<Authorization> reply) {
  auto token = question.token;
  // The authorizer answers once on its own thread; a failure to even ask is an unreachable eMSP.
  // Whatever happens, the station gets one answer.
  struct Once {
    Reply<Authorization> reply;
    std::atomic<bool> used{false};
    void operator()(Outcome<Authorization> o) {
      if (!used.exchange(true)) reply(std::move(o));
    }
  };
  auto shared_reply = std::make_shared<Once>();
  shared_reply->reply = std::move(reply);
  auto on_answer = [this, token, shared_reply](RealtimeAnswer answer) {
    auto now = clock_.now();
    auto verdict = realtime_verdict(token, answer);
    alog().info("real-time authorisation of {} {}/{} (partner {}): {} {}", token.uid, token.party.country_code,
                token.party.party_id, token.partner_id, to_string(verdict.status), answer.detail);
    run_unit<Authorization>(
        store_,
        [token, answer, verdict, now](Repository &r) {
          if (answer.kind == RealtimeAnswer::Kind::Answered)
            r.remember_realtime_decision(token.party, token.uid, token.type,
                                         RealtimeDecision{answer.allowed, now, answer.authorization_reference});
          auto out = verdict;
          if (out.status == TokenStatus::Accepted && r.has_active_transaction(token.uid, std::nullopt))
            out.status = TokenStatus::ConcurrentTx;
          return out;
        },
        [shared_reply](Outcome<Authorization> o) { (*shared_reply)(std::move(o)); });
  };
  try {
    realtime.authorize(std::move(question), std::move(on_answer));
  } catch (const std::exception &e) {
    alog().error("real-time authorisation of {} could not be asked: {}", token.uid, e.what());
    (*shared_reply)(Outcome<Authorization>::success(
        realtime_verdict(token, RealtimeAnswer{RealtimeAnswer::Kind::Unreachable, {}, {}, e.what()})));
  }
}

} // namespace gridlane::services
