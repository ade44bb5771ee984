// The ChargingProfiles module, Receiver side (mod_charging_profiles.asciidoc), on
// /chargingprofiles/{session_id}: PUT SetChargingProfile -> a TxProfile for the session's
// transaction; GET ?duration&response_url -> GetCompositeSchedule -> ActiveChargingProfileResult;
// DELETE ?response_url -> ClearChargingProfile -> ClearProfileResult. The ChargingProfileResponse
// answers at once; the station's verdict is POSTed to the response_url (ResultRelay).
//
// With energy management: the partner's profile goes to the station at a stack level below the
// energy manager's TxProfile, and its limit now is handed to the energy manager as the EVSE's
// external limit (source "OCPI"), so on a managed site the manager's profile, which respects
// it, is the one in force; elsewhere the partner's profile is.
#include <boost/json.hpp>
#include <charconv>

#include "gridlane/core/logging.hpp"
#include "gridlane/domain/charging_schedule_codec.hpp"
#include "gridlane/ocpi/commands.hpp"
#include "gridlane/ocpi/commands_codec.hpp"

namespace gridlane::ocpi {
using namespace gridlane::domain;

namespace {

constexpr std::string_view limit_source = "OCPI";

std::optional<std::int64_t> decimal(std::string_view s, std::int64_t min) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || v < min) return std::nullopt;
  return v;
}

enum class Verb { Set, Get, Clear };

//! The request, read before any lookup.
struct ProfileRequest {
  Verb verb = Verb::Set;
  std::optional<OcpiChargingProfile> profile; //!< Set
  std::int64_t duration_s = 0;                //!< Get
  std::string response_url;
};

//! What the unit of work found: the session's transaction, or the answer to give.
struct Found {
  std::optional<ChargingProfileResponseType> answer;
  Transaction tx;
};

std::int64_t profile_id_of(std::int64_t transaction_id) {
  // OCPP profile ids are 32-bit: one id per transaction, cycling within a range of its own.
  return partner_profile_id_base + transaction_id % 100'000'000;
}

} // namespace

struct ChargingProfiles::Impl : std::enable_shared_from_this<ChargingProfiles::Impl> {
  StoreExecutor &store;
  StationGateway &gateway;
  services::CommandService &commands;
  ResultRelay &results;
  services::SmartChargingReports *energy;
  CommandsOptions options;

  Impl(StoreExecutor &s, StationGateway &g, services::CommandService &c, ResultRelay &r,
       services::SmartChargingReports *e, CommandsOptions o)
      : store(s), gateway(g), commands(c), results(r), energy(e), options(o) {}

  void respond(const Call &call, const Reply &reply, ChargingProfileResponseType result) {
    reply(success(charging_profile_response(result, options.result_timeout.count()), call.now));
  }

  static std::variant<ProfileRequest, Response> read(const Call &call) {
    const auto &req = call.request;
    ProfileRequest p;
    auto invalid = [&](const std::string &m) { return failure(StatusCode::InvalidParameters, m, call.now, 400); };
    auto query_url = [&]() -> std::optional<std::string> {
      auto it = req.query.find("response_url");
      auto url = check_response_url(it == req.query.end() ? "" : it->second, "response_url");
      if (!url) return std::nullopt;
      return *url;
    };
    if (req.method == "PUT") {
      auto set = parse_set_charging_profile(req.body);
      if (!set) return invalid(set.error().message);
      p.verb = Verb::Set;
      p.profile = std::move(set->profile);
      p.response_url = std::move(set->response_url);
    } else if (req.method == "GET") {
      p.verb = Verb::Get;
      auto it = req.query.find("duration");
      auto d = it == req.query.end() ? std::nullopt : decimal(it->second, 0);
      if (!d || *d > std::int64_t{7} * 24 * 3600)
        return invalid("duration: a whole number of seconds (at most one week) is required");
      p.duration_s = *d;
      auto url = query_url();
      if (!url) return invalid("response_url: an absolute http(s) URL of at most 255 characters is required");
      p.response_url = *url;
    } else if (req.method == "DELETE") {
      p.verb = Verb::Clear;
      auto url = query_url();
      if (!url) return invalid("response_url: an absolute http(s) URL of at most 255 characters is required");
      p.response_url = *url;
    } else {
      return method_not_allowed("GET, PUT, DELETE", call.now);
    }
    return p;
  }

  static Found find(Repository &r, const Partner &partner, const std::string &session_id) {
    Found f;
    auto id = decimal(session_id, 1); // conventions: the session id is the transaction id
    auto tx = id ? r.transaction(*id) : std::nullopt;
    if (!tx) {
      f.answer = ChargingProfileResponseType::UnknownSession;
      return f;
    }
    // Profiles on a session come from its owner, the partner it was recorded for when it began
    // (or a smart charging service provider).
    auto owner = r.roaming_session(tx->id);
    if (!partner.plays(OcpiRole::Scsp) && (!owner || owner->partner_id != partner.id)) {
      f.answer = ChargingProfileResponseType::Rejected;
      return f;
    }
    if (tx->state != TransactionState::Active) f.answer = ChargingProfileResponseType::Rejected;
    f.tx = std::move(*tx);
    return f;
  }

  void handle(const std::shared_ptr<Call> &call, const Reply &reply) {
    if (call->segments.size() != 1 || call->segments[0].empty())
      return reply(failure(StatusCode::InvalidParameters, "/chargingprofiles/{session_id}", call->now, 400));
    auto read_result = read(*call);
    if (auto *r = std::get_if<Response>(&read_result)) return reply(*r);
    auto request = std::get<ProfileRequest>(std::move(read_result));
    auto self = shared_from_this();
    services::run_unit<Found>(
        store,
        [partner = call->partner, session = call->segments[0]](Repository &r) { return find(r, partner, session); },
        [self, call, reply, request](services::Outcome<Found> o) {
          try {
            if (!o.ok()) {
              core::logger("ocpi")->error("partner {}: a charging profile request failed: {}", call->partner.id,
                                          o.error());
              return reply(failure(StatusCode::ServerError, "try again", call->now, 500));
            }
            self->send(call, reply, request, o.value());
          } catch (const std::exception &ex) {
            core::logger("ocpi")->error("partner {}: charging profile: {}", call->partner.id, ex.what());
            reply(failure(StatusCode::ServerError, "internal error", call->now, 500));
          }
        });
  }

  void send(const std::shared_ptr<Call> &call, const Reply &reply, const ProfileRequest &request, const Found &found) {
    if (found.answer) return respond(*call, reply, *found.answer);
    const auto &tx = found.tx;
    auto version = gateway.protocol(tx.station);
    if (!version) return respond(*call, reply, ChargingProfileResponseType::Rejected);
    const int evse = tx.evse_id > 0 ? tx.evse_id : tx.connector_id; // a 1.6 connector is its own EVSE
    const auto profile_id = profile_id_of(tx.id);
    Command command;
    ResultRelay::Render render;
    switch (request.verb) {
    case Verb::Set:
      command = commands::SetChargingProfile{
          .connector_id = evse,
          .evse_id = evse,
          .profile = to_tx_profile(*request.profile, profile_id, partner_profile_stack_level, tx.station_tx_id)};
      render = [](const CommandRecord &done) {
        return profile_result(profile_result_type(done.status, done.response));
      };
      break;
    case Verb::Get: {
      command = commands::GetCompositeSchedule{
          .duration_s = request.duration_s, .unit = std::nullopt, .connector_id = evse, .evse_id = evse};
      render = [v = *version](const CommandRecord &done) {
        if (done.status != CommandStatus::Accepted)
          return active_profile_result(ChargingProfileResultType::Rejected, {}, {});
        auto schedule = done.response ? decode_composite_schedule(v, *done.response)
                                      : Result<std::optional<CompositeSchedule>>(std::optional<CompositeSchedule>{});
        if (!schedule || !*schedule) return active_profile_result(ChargingProfileResultType::Unknown, {}, {});
        const auto &s = **schedule;
        OcpiChargingProfile p;
        p.duration_s = s.duration_s;
        p.unit = s.unit;
        for (const auto &period : s.periods) {
          ChargingSchedulePeriod only; // OCPI's period has a start and a limit only
          only.start_s = period.start_s;
          only.limit = period.limit;
          p.periods.push_back(only);
        }
        return active_profile_result(ChargingProfileResultType::Accepted, s.start, p);
      };
      break;
    }
    case Verb::Clear: {
      commands::ClearChargingProfile clear;
      clear.profile_id = profile_id;
      command = clear;
    }
      render = [](const CommandRecord &done) {
        return profile_result(profile_result_type(done.status, done.response));
      };
      break;
    }
    CommandRecord probe;
    probe.station = tx.station;
    probe.command = command;
    if (gateway.check(probe, *version)) return respond(*call, reply, ChargingProfileResponseType::NotSupported);

    if (energy && request.verb == Verb::Set) {
      if (auto limit = limit_at(*request.profile, call->now, call->now)) {
        ExternalChargingLimit external;
        external.station = tx.station;
        external.evse_id = evse;
        external.source = std::string(limit_source);
        external.at = call->now;
        if (request.profile->unit == ChargingRateUnit::A)
          external.current = core::milliamps(limit->thousandths);
        else
          external.power = core::watts(limit->thousandths / 1000);
        energy->charging_limit(std::move(external));
      }
    } else if (energy && request.verb == Verb::Clear) {
      energy->limit_cleared(tx.station, evse, std::string(limit_source));
    }

    Principal who{"ocpi:" + call->partner.name, Role::Operator};
    auto self = shared_from_this();
    commands.submit(
        who, tx.station, std::move(command),
        [self, call, reply, partner_id = call->partner.id, url = request.response_url, from = call->routing.from,
         render = std::move(render)](services::Outcome<CommandRecord> rec) {
          if (!rec.ok()) return reply(failure(StatusCode::ServerError, "could not send; try again", call->now, 500));
          self->results.expect(rec.value().id, {partner_id, OcpiModule::ChargingProfiles, url, from}, render);
          self->respond(*call, reply, ChargingProfileResponseType::Accepted);
        });
  }
};

ChargingProfiles::ChargingProfiles(StoreExecutor &store, StationGateway &gateway, services::CommandService &commands,
                                   ResultRelay &results, services::SmartChargingReports *energy,
                                   CommandsOptions options)
    : impl_(std::make_shared<Impl>(store, gateway, commands, results, energy, options)) {}

ChargingProfiles::~ChargingProfiles() = default;

void ChargingProfiles::handle(const std::shared_ptr<Call> &call, const Reply &reply) {
  impl_->handle(call, reply);
}

} // namespace gridlane::ocpi
