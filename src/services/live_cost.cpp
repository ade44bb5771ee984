#include "gridlane/services/live_cost.hpp"

#include "gridlane/core/logging.hpp"
#include "gridlane/domain/cost_messages.hpp"
#include "gridlane/services/session_pricing.hpp"
#include "gridlane/services/tariff_assignment_service.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

std::optional<DriverMessage> pick_text(const std::vector<DisplayText> &texts, std::string_view language) {
  if (texts.empty()) return std::nullopt;
  const DisplayText *chosen = &texts.front();
  for (const auto &t : texts) {
    if (t.language == language) {
      chosen = &t;
      break;
    }
  }
  // OCPP MessageContent.content and the extension's texts hold at most 512 characters, as OCPI's.
  return DriverMessage{chosen->language, chosen->text.substr(0, 512)};
}

namespace {

//! The other languages of a tariff text, for the 1.6 extension's priceTextExtra.
std::vector<costmsg::PriceText> extra_texts(const std::vector<DisplayText> &texts, const DriverMessage &shown) {
  std::vector<costmsg::PriceText> out;
  for (const auto &t : texts) {
    if (t.language != shown.language) out.push_back({t.language, t.text.substr(0, 512)});
  }
  return out;
}

//! "Total: 12.35 EUR", the amount at the currency's minor digits, for the final cost's text.
std::string total_text(const CostQuote &q) {
  return "Total: " + q.amount().to_fixed(q.currency.minor_digits(), core::Rounding::HalfUp) + " " +
         std::string(q.currency.code());
}

} // namespace

CostSource session_cost_source() {
  CostSource s;
  s.session = [](Repository &r, std::int64_t id, Timestamp now) -> Result<CostQuote> {
    auto cost = SessionPricing::price(r, id, now);
    if (!cost) return cost.error();
    return CostQuote{cost->priced.currency, cost->priced.total_cost, cost->tariff.tariff_alt_text};
  };
  s.tariff_text = [](Repository &r, const StationId &station, const std::string &id_token, Timestamp now) {
    Transaction t; // the session it would be: this token at this station
    t.station = station;
    t.id_tag = id_token;
    auto resolved = TariffAssignmentService{}.resolve(r, session_target(r, t), now);
    return resolved ? resolved->tariff.tariff_alt_text : std::vector<DisplayText>{};
  };
  return s;
}

LiveCost::LiveCost(StoreExecutor &store, const core::Clock &clock, StationGateway &gateway, EventBus &bus,
                   Scheduler scheduler, LiveCostOptions options, CostSource source)
    : store_(store), clock_(clock), gateway_(gateway), options_(std::move(options)), source_(std::move(source)),
      scheduler_(std::move(scheduler)) {
  subscription_ = bus.subscribe([this](const Event &e) { on_event(e); });
}

LiveCost::~LiveCost() {
  stop();
  subscription_.reset();
}

void LiveCost::start() {
  if (options_.update_interval.count() <= 0 || !source_.session) return;
  {
    std::lock_guard lock{mutex_};
    if (running_) return;
    running_ = true;
  }
  schedule();
}

void LiveCost::stop() {
  std::lock_guard lock{mutex_};
  running_ = false;
}

void LiveCost::schedule() {
  scheduler_(std::chrono::duration_cast<std::chrono::milliseconds>(options_.update_interval), [this] {
    {
      std::lock_guard lock{mutex_};
      if (!running_) return; // stopped (a scheduler shut down runs this at once: no loop)
    }
    sweep();
    schedule();
  });
}

void LiveCost::on_event(const Event &e) {
  std::optional<Transaction> ended16;
  {
    std::lock_guard lock{mutex_};
    if (const auto *c = std::get_if<StationConnected>(&e)) {
      display_.erase(c->station); // a new connection may come with a new configuration
    } else if (const auto *s = std::get_if<TransactionStarted>(&e)) {
      if (s->transaction.state == TransactionState::Active) sessions_.insert_or_assign(s->transaction.id, s->station);
    } else if (const auto *u = std::get_if<TransactionUpdated>(&e)) {
      // Sessions that were running before a restart are picked up by their next readings.
      sessions_.try_emplace(u->transaction_id, u->station);
    } else if (const auto *x = std::get_if<TransactionEnded>(&e)) {
      sessions_.erase(x->transaction.id);
      if (x->transaction.protocol == ProtocolVersion::Ocpp16 && source_.session) ended16 = x->transaction;
    }
  }
  if (ended16) final_cost(*ended16);
}

CostDisplay LiveCost::cost_display(const StationId &station) const {
  std::lock_guard lock{mutex_};
  auto it = display_.find(station);
  return it == display_.end() ? CostDisplay::Unknown : it->second;
}

void LiveCost::learned(const StationId &station, bool shows_costs) {
  std::lock_guard lock{mutex_};
  display_.insert_or_assign(station, shows_costs ? CostDisplay::Supported : CostDisplay::Unsupported);
}

void LiveCost::when_displayed(const StationId &station, std::function<void()> then) {
  switch (cost_display(station)) {
  case CostDisplay::Supported: return then();
  case CostDisplay::Unsupported: return;
  case CostDisplay::Unknown: break;
  }
  CommandRecord ask;
  ask.station = station;
  ask.command = commands::GetConfiguration{std::vector<std::string>{std::string(costmsg::display_key)}};
  ask.created_by = "live-cost";
  ask.created_at = clock_.now();
  // The 1.6 adapter reads the answer first (CallDispatcher::on_result) and calls learned().
  gateway_.execute(ask, [this, station, then = std::move(then)](const GatewayOutcome &o) {
    if (o.status == CommandStatus::Accepted && cost_display(station) == CostDisplay::Unknown)
      learned(station, false); // answered without the key: the station does not know it
    if (cost_display(station) == CostDisplay::Supported) then();
  });
}

void LiveCost::send(const StationId &station, Command command) {
  CommandRecord record; // sent, not recorded: the running cost is no operator's command
  record.station = station;
  record.command = std::move(command);
  record.created_by = "live-cost";
  record.created_at = clock_.now();
  gateway_.execute(record, [station](const GatewayOutcome &o) {
    if (o.status != CommandStatus::Accepted)
      core::StationLog(core::Component::Services, station.str())
          .debug("cost message {} not accepted: {}", o.action.value_or("?"), o.error.value_or("rejected"));
  });
}

void LiveCost::authorize_answer(const StationContext &who, std::string id_token,
                                Reply<std::optional<DriverMessage>> reply) {
  if (!source_.tariff_text) return reply(Outcome<std::optional<DriverMessage>>::success(std::nullopt));
  auto now = clock_.now();
  run_unit<std::optional<DriverMessage>>(
      store_,
      [this, station = who.id, id_token = std::move(id_token), now](Repository &r) {
        return pick_text(source_.tariff_text(r, station, id_token, now), options_.language);
      },
      std::move(reply));
}

void LiveCost::event_answer(std::int64_t transaction_id, bool with_message, bool ended, Reply<EventAnswer> reply) {
  if (!source_.session || (!with_message && !ended)) return reply(Outcome<EventAnswer>::success({}));
  auto now = clock_.now();
  run_unit<EventAnswer>(
      store_,
      [this, transaction_id, with_message, ended, now](Repository &r) {
        EventAnswer a;
        auto quote = source_.session(r, transaction_id, now);
        if (!quote) return a; // no tariff for this session: nothing to show
        if (with_message) a.message = pick_text(quote->tariff_text, options_.language);
        if (ended) a.total_cost = quote->amount();
        return a;
      },
      std::move(reply));
}

void LiveCost::authorized(const StationContext &who, const std::string &id_tag) {
  if (!source_.tariff_text || who.protocol != ProtocolVersion::Ocpp16) return;
  auto now = clock_.now();
  run_unit<std::vector<DisplayText>>(
      store_,
      [this, station = who.id, id_tag, now](Repository &r) { return source_.tariff_text(r, station, id_tag, now); },
      [this, station = who.id, id_tag](Outcome<std::vector<DisplayText>> o) {
        if (!o.ok() || o.value().empty()) return;
        auto shown = *pick_text(o.value(), options_.language);
        costmsg::SetUserPrice m{id_tag, shown.content, extra_texts(o.value(), shown)};
        when_displayed(station, [this, station, m] { send(station, costmsg::to_data_transfer(m)); });
      });
}

void LiveCost::sweep() {
  // Sessions of connected stations, in batches of one unit of work each: a round costs the
  // store a few units, not one per session. 1.6 stations known not to show costs are skipped.
  constexpr std::size_t batch = 256;
  std::vector<std::vector<std::int64_t>> rounds;
  {
    std::lock_guard lock{mutex_};
    for (const auto &[id, station] : sessions_) {
      if (auto d = display_.find(station); d != display_.end() && d->second == CostDisplay::Unsupported) continue;
      if (!gateway_.is_connected(station)) continue;
      if (rounds.empty() || rounds.back().size() == batch) rounds.emplace_back();
      rounds.back().push_back(id);
    }
  }
  for (auto &ids : rounds)
    running_costs(std::move(ids));
}

void LiveCost::running_costs(std::vector<std::int64_t> ids) {
  struct Priced {
    std::vector<std::int64_t> gone; //!< no longer running
    std::vector<std::pair<Transaction, CostQuote>> priced;
  };
  auto now = clock_.now();
  run_unit<Priced>(
      store_,
      [this, ids = std::move(ids), now](Repository &r) {
        Priced p;
        for (auto id : ids) {
          auto t = r.transaction(id);
          if (!t || t->state != TransactionState::Active) {
            p.gone.push_back(id);
            continue;
          }
          if (auto quote = source_.session(r, id, now)) p.priced.emplace_back(std::move(*t), std::move(*quote));
        }
        return p;
      },
      [this, now](Outcome<Priced> o) {
        if (!o.ok()) return;
        {
          std::lock_guard lock{mutex_};
          for (auto id : o.value().gone)
            sessions_.erase(id); // its end was not seen here
        }
        for (const auto &[t, quote] : o.value().priced) {
          if (t.protocol != ProtocolVersion::Ocpp16) {
            // I02: the running total, "including taxes", to the station's transaction.
            send(t.station, commands::CostUpdated{t.id, t.station_tx_id, quote.amount()});
            continue;
          }
          costmsg::RunningCost m;
          m.transaction_id = t.id;
          m.at = now;
          m.meter_wh = t.meter_start_wh + t.energy_wh;
          m.cost = quote.amount();
          const bool idle = t.charging_state && *t.charging_state != ChargingState::Charging;
          m.state = idle ? costmsg::SessionState::Idle : costmsg::SessionState::Charging;
          auto station = t.station;
          when_displayed(station, [this, station, m] { send(station, costmsg::to_data_transfer(m)); });
        }
      });
}

void LiveCost::final_cost(const Transaction &t) {
  auto now = clock_.now();
  run_unit<std::optional<CostQuote>>(
      store_,
      [this, id = t.id, now](Repository &r) -> std::optional<CostQuote> {
        auto quote = source_.session(r, id, now);
        if (!quote) return std::nullopt;
        return std::move(*quote);
      },
      [this, t](Outcome<std::optional<CostQuote>> o) {
        if (!o.ok() || !o.value()) return;
        const auto &quote = *o.value();
        costmsg::FinalCost m;
        m.transaction_id = t.id;
        m.cost = quote.amount();
        m.price_text = total_text(quote);
        auto station = t.station;
        when_displayed(station, [this, station, m] { send(station, costmsg::to_data_transfer(m)); });
      });
}

} // namespace gridlane::services
