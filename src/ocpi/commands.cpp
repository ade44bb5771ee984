// The Commands module, Receiver side (mod_commands.asciidoc): POST /commands/{type}. The object
// is read strictly (2001 naming the field); the location, EVSE, connector or session it names is
// looked up in one unit of work (an unknown location, EVSE or connector: 2003 with REJECTED, as
// the spec's UNLOCK_CONNECTOR example answers); what can be sent goes to the station through
// CommandService, and the CommandResponse says so at once. The station's verdict comes later,
// through ResultRelay, as the CommandResult POSTed to the response_url.
#include <boost/json.hpp>
#include <cctype>
#include <charconv>

#include "gridlane/core/logging.hpp"
#include "gridlane/ocpi/commands.hpp"
#include "gridlane/ocpi/commands_codec.hpp"

namespace gridlane::ocpi {
using namespace gridlane::domain;
namespace json = boost::json;

namespace {

//! A reservation the partner made, as the station knows it (OCPI: the partner's reservation_id
//! never reaches a station; each partner's ids map onto station ids of their own).
struct StationReservation {
  StationId station = StationId::unchecked("");
  std::string location_id;
  std::int64_t reservation_id = 0;
};

std::string lower(std::string s) {
  for (auto &c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

//! Where a command goes: the station, and the EVSE / connector when named.
struct Place {
  std::optional<StationId> station; //!< nullopt: the location has several stations and none was named
  std::optional<Evse> evse;
  std::optional<int> connector;
};
//! An unknown location, EVSE or connector (2003).
struct PlaceError {
  std::string message;
};

std::optional<std::int64_t> decimal(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

//! The OCPI ids (conventions: Location id, EVSE uid as a decimal, Connector id as a decimal)
//! resolved against what is published; another party's view never reaches an unpublished one.
std::variant<Place, PlaceError> resolve_place(Repository &r, const std::string &location_id,
                                              const std::optional<std::string> &evse_uid,
                                              const std::optional<std::string> &connector_id) {
  auto id = LocationId::parse(location_id);
  auto location = id ? r.location(*id) : std::nullopt;
  if (!location || !location->publish) return PlaceError{"unknown location"};
  auto stations = r.location_stations(*id);
  Place p;
  if (!evse_uid) {
    if (stations.size() == 1) p.station = stations.front();
    return p;
  }
  auto uid = decimal(*evse_uid);
  auto evse = uid ? r.evse_by_uid(EvseUid{*uid}) : std::nullopt;
  if (!evse || std::find(stations.begin(), stations.end(), evse->station) == stations.end())
    return PlaceError{"unknown EVSE at this location"};
  p.station = evse->station;
  if (connector_id) {
    auto n = decimal(*connector_id);
    auto found = n && std::any_of(evse->connectors.begin(), evse->connectors.end(),
                                  [&](const Connector &c) { return c.connector_id == *n; });
    if (!found) return PlaceError{"unknown connector of this EVSE"};
    p.connector = static_cast<int>(*n);
  }
  p.evse = std::move(evse);
  return p;
}

//! An envelope with data and a status code other than 1000 (the spec's UNLOCK_CONNECTOR example:
//! 2003 with a CommandResponse REJECTED).
Response with_status(json::value data, StatusCode code, const std::string &message, core::Timestamp now, int http) {
  auto r = success(std::move(data), now, http);
  boost::system::error_code ec;
  auto body = json::parse(r.body, ec);
  if (ec || !body.is_object()) return failure(code, message, now, http);
  body.as_object()["status_code"] = static_cast<int>(code);
  body.as_object()["status_message"] = message;
  r.body = json::serialize(body);
  return r;
}

//! What the unit of work decided: an answer now, or a command for a station.
struct Decision {
  CommandResponseType result = CommandResponseType::Accepted;
  std::string message;
  std::optional<Response> refusal; //!< a whole answer (2003 unknown location)
  std::optional<StationId> station;
  std::optional<Evse> evse;
  std::optional<int> connector;
  std::optional<commands::RemoteStop> stop; //!< STOP_SESSION: the transaction, known in the unit
  CommandRequest request;
};

Decision answer(CommandResponseType result, std::string message, const CommandRequest &request) {
  Decision d;
  d.result = result;
  d.message = std::move(message);
  d.request = request;
  return d;
}

} // namespace

struct Commands::Impl : std::enable_shared_from_this<Commands::Impl> {
  StoreExecutor &store;
  StationGateway &gateway;
  services::CommandService &commands;
  ResultRelay &results;
  CommandsOptions options;
  std::mutex mutex;
  std::map<std::pair<std::int64_t, std::string>, StationReservation> reservations; //!< (partner, lower(id))

  Impl(StoreExecutor &s, StationGateway &g, services::CommandService &c, ResultRelay &r, CommandsOptions o)
      : store(s), gateway(g), commands(c), results(r), options(o) {}

  std::int64_t timeout_s() const { return options.result_timeout.count(); }

  void reply_response(const Call &call, const Reply &reply, CommandResponseType result, const std::string &message) {
    reply(success(command_response(result, timeout_s(), message), call.now));
  }

  //! In the unit of work: where the command goes, or why it goes nowhere.
  Decision decide(Repository &r, const Partner &partner, const CommandRequest &request, core::Timestamp now) {
    Decision d;
    d.request = request;
    auto refuse_place = [&](const PlaceError &e) {
      d.result = CommandResponseType::Rejected;
      d.message = e.message;
      d.refusal = with_status(command_response(CommandResponseType::Rejected, timeout_s(), e.message),
                              StatusCode::UnknownLocation, e.message, now, 404);
      return d;
    };
    auto place = [&](const std::string &location, const std::optional<std::string> &evse,
                     const std::optional<std::string> &connector) -> std::optional<PlaceError> {
      auto p = resolve_place(r, location, evse, connector);
      if (auto *err = std::get_if<PlaceError>(&p)) return *err;
      auto &found = std::get<Place>(p);
      d.station = found.station;
      d.evse = found.evse;
      d.connector = found.connector;
      return std::nullopt;
    };
    const std::string several = "this location has several charge points: name the EVSE (evse_uid)";
    return std::visit(
        [&](const auto &c) -> Decision {
          using T = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<T, StartSession> || std::is_same_v<T, ReserveNow>) {
            // OCPI: an eMSP uses only its own tokens (a hub passes on those of the eMSPs behind it).
            if (!partner.represents(c.token.party) && !partner.plays(OcpiRole::Hub))
              return answer(CommandResponseType::Rejected, "the token belongs to another party", request);
            std::optional<std::string> connector;
            if constexpr (std::is_same_v<T, StartSession>) connector = c.connector_id;
            if (auto e = place(c.location_id, c.evse_uid, connector)) return refuse_place(*e);
            if (!d.station) return answer(CommandResponseType::Rejected, several, request);
            // The session must be the partner's (conventions: its token's partner), so the token
            // is kept as one of the partner's before the station may start. The eMSP authorised
            // it by sending the command (mod_commands: the CPO SHALL NOT check it, nor ask in
            // real time shortly after): kept as an accepted real-time decision.
            auto token = c.token;
            token.partner_id = partner.id;
            if (auto kept = r.roaming_token(token.party, token.uid, token.type); kept && kept->partner_id != partner.id)
              return answer(CommandResponseType::Rejected, "the token is stored for another partner", request);
            r.upsert_roaming_token(token);
            r.remember_realtime_decision(token.party, token.uid, token.type,
                                         RealtimeDecision{AllowedType::Allowed, now, c.authorization_reference});
            return d;
          } else if constexpr (std::is_same_v<T, UnlockConnector>) {
            if (auto e = place(c.location_id, c.evse_uid, c.connector_id)) return refuse_place(*e);
            return d;
          } else if constexpr (std::is_same_v<T, StopSession>) {
            auto id = decimal(c.session_id); // conventions: the session id is the transaction id
            auto tx = id ? r.transaction(*id) : std::nullopt;
            if (!tx) return answer(CommandResponseType::UnknownSession, "no such session", request);
            // Its owner is the partner it was recorded for when it began, not whoever stores its uid now.
            auto owner = r.roaming_session(tx->id);
            if (!owner || owner->partner_id != partner.id)
              return answer(CommandResponseType::Rejected, "the session is not one of your customers'", request);
            if (tx->state != TransactionState::Active)
              return answer(CommandResponseType::Rejected, "the session has ended", request);
            d.station = tx->station;
            d.stop = commands::RemoteStop{tx->id, tx->station_tx_id};
            return d;
          } else {
            return d; // CancelReservation: the station is known from the reservation (build)
          }
        },
        request);
  }

  //! The domain command for the station's version.
  std::optional<Command> build(const Partner &partner, const Decision &d, ProtocolVersion version,
                               std::optional<std::int64_t> &reservation_id, StationId &station, std::string &why) {
    const bool v16 = version == ProtocolVersion::Ocpp16;
    return std::visit(
        [&](const auto &c) -> std::optional<Command> {
          using T = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<T, StartSession>) {
            commands::RemoteStart s;
            s.id_tag = c.token.uid;
            if (d.evse) {
              if (v16)
                s.connector_id = d.evse->evse_id; // a 1.6 connector is its own EVSE
              else
                s.evse_id = d.evse->evse_id;
            }
            if (!v16)
              s.id_token_type = c.token.type == OcpiTokenType::Rfid ? IdTokenType::ISO14443 : IdTokenType::Central;
            return s;
          } else if constexpr (std::is_same_v<T, StopSession>) {
            return d.stop;
          } else if constexpr (std::is_same_v<T, ReserveNow>) {
            commands::ReserveNow rn;
            rn.id_tag = c.token.uid;
            rn.expires_at = c.expiry_date;
            if (v16)
              rn.connector_id = d.evse ? d.evse->evse_id : 0; // 0: any connector of the station
            else if (d.evse)
              rn.evse_id = d.evse->evse_id;
            std::lock_guard lock{mutex};
            auto it = reservations.find({partner.id, lower(c.reservation_id)});
            // The same reservation_id at the same location replaces the reservation (same station id).
            if (it != reservations.end() && it->second.location_id == c.location_id && it->second.station == station)
              rn.reservation_id = reservation_id = it->second.reservation_id;
            return rn;
          } else if constexpr (std::is_same_v<T, CancelReservation>) {
            std::lock_guard lock{mutex};
            auto it = reservations.find({partner.id, lower(c.reservation_id)});
            if (it == reservations.end()) {
              why = "no such reservation";
              return std::nullopt;
            }
            station = it->second.station;
            return commands::CancelReservation{it->second.reservation_id};
          } else {
            commands::UnlockConnector u;
            u.connector_id = v16 ? d.evse->evse_id : d.connector.value_or(1);
            if (!v16) u.evse_id = d.evse->evse_id;
            return u;
          }
        },
        d.request);
  }

  void handle(const std::shared_ptr<Call> &call, const Reply &reply) {
    if (call->request.method != "POST") return reply(method_not_allowed("POST", call->now));
    if (call->segments.size() != 1)
      return reply(failure(StatusCode::InvalidParameters, "POST /commands/{command}", call->now, 400));
    auto type = parse_command_type(call->segments[0]);
    if (!type)
      return reply(failure(StatusCode::InvalidParameters, "command: not a CommandType of OCPI 2.2.1", call->now, 400));
    auto parsed = parse_command(*type, call->request.body);
    if (!parsed) return reply(failure(StatusCode::InvalidParameters, parsed.error().message, call->now, 400));
    auto self = shared_from_this();
    services::run_unit<Decision>(
        store,
        [self, partner = call->partner, request = *parsed, now = call->now](Repository &r) {
          return self->decide(r, partner, request, now);
        },
        [self, call, reply, type = *type](services::Outcome<Decision> o) {
          try {
            if (!o.ok()) {
              core::logger("ocpi")->error("partner {}: a command could not be checked: {}", call->partner.id,
                                          o.error());
              return reply(failure(StatusCode::ServerError, "could not check the command; try again", call->now, 500));
            }
            self->send(call, reply, type, std::move(o.value()));
          } catch (const std::exception &ex) {
            core::logger("ocpi")->error("partner {}: command failed: {}", call->partner.id, ex.what());
            reply(failure(StatusCode::ServerError, "internal error", call->now, 500));
          }
        });
  }

  void send(const std::shared_ptr<Call> &call, const Reply &reply, CommandType type, Decision d) {
    if (d.refusal) return reply(*d.refusal);
    if (d.result != CommandResponseType::Accepted) return reply_response(*call, reply, d.result, d.message);
    StationId station = d.station.value_or(StationId::unchecked(""));
    std::optional<std::int64_t> reservation_id;
    std::string why;
    std::optional<Command> command;
    // CANCEL_RESERVATION learns its station from the reservation; the others know it already.
    if (type == CommandType::CancelReservation) {
      command = build(call->partner, d, ProtocolVersion::Ocpp16, reservation_id, station, why);
      if (!command) return reply_response(*call, reply, CommandResponseType::Rejected, why);
    }
    auto version = gateway.protocol(station);
    if (!version) return reply_response(*call, reply, CommandResponseType::Rejected, "the charge point is offline");
    if (type != CommandType::CancelReservation) {
      // The station's version decides the rendering (a 1.6 connector is its own EVSE).
      command = build(call->partner, d, *version, reservation_id, station, why);
      if (!command) return reply_response(*call, reply, CommandResponseType::Rejected, why);
    }
    CommandRecord probe;
    probe.station = station;
    probe.command = *command;
    if (auto no = gateway.check(probe, *version))
      return reply_response(*call, reply, CommandResponseType::NotSupported, no->message);

    Principal who{"ocpi:" + call->partner.name, Role::Operator};
    auto self = shared_from_this();
    auto partner_id = call->partner.id;
    const auto &url = response_url_of(d.request);
    std::string reservation_key;
    std::string location;
    if (const auto *rn = std::get_if<ReserveNow>(&d.request)) {
      reservation_key = lower(rn->reservation_id);
      location = rn->location_id;
    }
    commands.submit(who, station, *command,
                    [self, call, reply, type, partner_id, url, reservation_key, location, reservation_id,
                     from = call->routing.from, station](services::Outcome<CommandRecord> rec) {
                      if (!rec.ok())
                        return reply(
                            failure(StatusCode::ServerError, "could not send the command; try again", call->now, 500));
                      const auto &record = rec.value();
                      if (!reservation_key.empty()) {
                        std::lock_guard lock{self->mutex};
                        self->reservations.insert_or_assign(
                            {partner_id, reservation_key},
                            StationReservation{station, location, reservation_id.value_or(record.id)});
                      }
                      self->results.expect(
                          record.id, {partner_id, OcpiModule::Commands, url, from}, [type](const CommandRecord &done) {
                            return command_result(command_result_type(type, done.status, done.response, done.error),
                                                  done.error.value_or(""));
                          });
                      self->reply_response(*call, reply, CommandResponseType::Accepted, "");
                    });
  }
};

Commands::Commands(StoreExecutor &store, StationGateway &gateway, services::CommandService &commands,
                   ResultRelay &results, CommandsOptions options)
    : impl_(std::make_shared<Impl>(store, gateway, commands, results, options)) {}

Commands::~Commands() = default;

void Commands::handle(const std::shared_ptr<Call> &call, const Reply &reply) {
  impl_->handle(call, reply);
}

} // namespace gridlane::ocpi
