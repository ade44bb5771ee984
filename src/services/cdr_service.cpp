#include "gridlane/services/cdr_service.hpp"

#include <algorithm>
#include <exception>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>

#include "gridlane/core/logging.hpp"
#include "gridlane/domain/cdr_codec.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

namespace {

std::string cdr_id_of(std::int64_t transaction_id) {
  return "CDR-" + std::to_string(transaction_id);
}

//! The connector's OCPI description; a connector nobody described yet keeps the type's defaults
//! (IEC 62196 Type 2, socket, AC 3 phase), named in docs/cdrs.md.
CdrLocation location_of(const Transaction &t, const SessionPlace &place) {
  CdrLocation l;
  if (const auto &loc = place.location) {
    l.id = loc->id.str();
    l.name = loc->name;
    l.address = loc->address.value_or("");
    l.city = loc->city.value_or("");
    l.postal_code = loc->postal_code;
    l.state = loc->state;
    l.country = loc->country.value_or("");
    if (loc->coordinates) l.coordinates = *loc->coordinates;
  }
  // A 1.6 connector n is EVSE n with its connector 1 (docs/locations.md).
  const int connector = t.protocol == core::ProtocolVersion::Ocpp16 ? 1 : t.connector_id;
  l.connector_id = std::to_string(connector);
  if (const auto &evse = place.evse) {
    l.evse_uid = std::to_string(evse->uid.value());
    l.evse_id = evse->emi3_id ? evse->emi3_id->str() : "";
    for (const auto &c : evse->connectors) {
      if (c.connector_id != connector) continue;
      if (c.standard) l.connector_standard = *c.standard;
      if (c.format) l.connector_format = *c.format;
      if (c.power_type) l.connector_power_type = *c.power_type;
    }
  }
  return l;
}

core::Decimal negate(core::Decimal d) {
  return d.negated().value(); // |d| < 2^63 / 10^6 always; only INT64_MIN units cannot be negated
}

SessionPlace load_place(Repository &r, const Transaction &t) {
  SessionPlace place;
  place.station = r.station(t.station);
  if (place.station && place.station->location_id) place.location = r.location(*place.station->location_id);
  place.evse = r.evse(t.station, t.evse_id);
  return place;
}

//! The places of one billing batch, loaded once per station and EVSE (and each location once).
class PlaceCache {
public:
  //! `batch`: the batch's stations, read with one statement (else each is read here).
  const SessionPlace &of(Repository &r, const Transaction &t, const BatchPricing *batch = nullptr) {
    auto key = std::make_pair(t.station.str(), t.evse_id);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    SessionPlace place;
    if (!batch) {
      place.station = r.station(t.station);
    } else if (const auto *s = batch->station(t.station)) {
      place.station = *s;
    }
    if (place.station && place.station->location_id) {
      const auto &id = *place.station->location_id;
      auto l = locations_.find(id.str());
      if (l == locations_.end()) l = locations_.emplace(id.str(), r.location(id)).first;
      place.location = l->second;
    }
    place.evse = r.evse(t.station, t.evse_id);
    return cache_.emplace(std::move(key), std::move(place)).first->second;
  }

private:
  std::map<std::pair<std::string, int>, SessionPlace> cache_;
  std::map<std::string, std::optional<Location>> locations_;
};

//! The CDR another writer (the hook and a billing run at once) stored first for `cdr`'s session.
Result<IssuedCdr> stored_first(Repository &r, Cdr cdr) {
  if (auto stored = r.cdr_of_transaction(*cdr.transaction_id)) return IssuedCdr{std::move(*stored), false};
  return ServiceError::conflict("CDR id " + cdr.id + " is taken by another CDR");
}

//! Stores a CDR built and encoded apart from its tariffs (build_and_encode), unless an earlier
//! attempt stored one.
Result<IssuedCdr> store_built(Repository &r, Cdr cdr, std::string_view body, std::int64_t tariffs_id) {
  if (r.insert_encoded_cdr(cdr, body, tariffs_id)) return IssuedCdr{std::move(cdr), true};
  return stored_first(r, std::move(cdr));
}

//! The CDR and its stored OCPI body without its tariffs (kept once per distinct array in the
//! store, migration 0019); a new CDR has no invoice reference.
std::pair<Cdr, std::string> build_and_encode(const Transaction &t, const SessionCost &cost, const SessionPlace &place,
                                             const std::vector<MeterSample> &samples, Timestamp now) {
  auto cdr = build_cdr(t, cost, place, samples, now);
  auto tariffs = std::move(cdr.tariffs);
  cdr.tariffs.clear();
  auto body = encode_cdr(cdr);
  cdr.tariffs = std::move(tariffs);
  return {std::move(cdr), std::move(body)};
}

//! The CDR of a loaded, ended and priced transaction, stored unless an earlier attempt stored one.
Result<IssuedCdr> issue_priced(Repository &r, Result<SessionCost> cost, const Transaction &t, const SessionPlace &place,
                               const std::vector<MeterSample> &samples, Timestamp now) {
  if (!cost) return cost.error();
  auto cdr = build_cdr(t, *cost, place, samples, now);
  if (r.insert_cdr(cdr)) return IssuedCdr{std::move(cdr), true};
  return stored_first(r, std::move(cdr));
}

//! One session of a billing batch on its way to its CDR.
struct Pending {
  Transaction t;
  const SessionPlace *place = nullptr;
  std::optional<Result<PreparedSession>> prepared;
  std::optional<ServiceError> error; //!< it could not be priced
  Cdr cdr;
  std::string body; //!< without the tariffs
};

//! Prices, builds and encodes work[first, last): pure (no repository), so ranges run on threads.
void price_range(std::vector<Pending> &work, std::size_t first, std::size_t last, Timestamp now) {
  for (auto i = first; i < last; ++i) {
    auto &w = work[i];
    if (!*w.prepared) {
      w.error = w.prepared->error();
      continue;
    }
    auto cost = BatchPricing::price(**w.prepared, now);
    if (!cost) {
      w.error = cost.error();
      continue;
    }
    std::tie(w.cdr, w.body) = build_and_encode(w.t, *cost, *w.place, *(*w.prepared)->samples, now);
  }
}

//! Prices the whole batch on `threads` threads (this one and threads - 1 more).
void price_all(std::vector<Pending> &work, std::size_t threads, Timestamp now) {
  constexpr std::size_t least_per_thread = 64;
  threads = std::max<std::size_t>(1, std::min(threads, work.size() / least_per_thread));
  const auto per = (work.size() + threads - 1) / threads;
  std::vector<std::exception_ptr> failed(threads);
  std::vector<std::jthread> helpers;
  for (std::size_t k = 1; k < threads; ++k)
    helpers.emplace_back([&, k] {
      try {
        price_range(work, k * per, std::min(work.size(), (k + 1) * per), now);
      } catch (...) {
        failed[k] = std::current_exception();
      }
    });
  price_range(work, 0, std::min(work.size(), per), now);
  helpers.clear(); // joins
  for (auto &f : failed)
    if (f) std::rethrow_exception(f);
}

void tally(BillingBatch &out, std::int64_t transaction_id, Result<IssuedCdr> issued) {
  if (issued) {
    if (issued->created) {
      ++out.created;
      out.cdrs.push_back(std::move(issued->cdr));
    }
  } else if (issued.error().code == ServiceError::Code::NotFound) {
    ++out.untariffed;
  } else {
    ++out.failed;
    core::log(core::Component::Services)
        .warn("billing run: no CDR for transaction {}: {}", transaction_id, issued.error().message);
  }
}

//! A batch of the billing run read from the store: each session with its place and prepared
//! parts, priced (price_all) off the store's thread, then stored (store_batch).
struct LoadedBatch {
  LoadedBatch(Timestamp at, PlaceCache &cache) : now(at), places(cache) {}
  Timestamp now;
  BillingBatch out;   //!< the resume point and done; the counts when stored
  PlaceCache &places; //!< the batch's, or the whole run's
  std::unique_ptr<BatchPricing> pricing;
  std::vector<Pending> work; //!< no reallocation once prepared: prepared sessions point into it
};

//! Reads the next batch (on the store's thread): the transactions, then their tariff snapshots,
//! meter readings, events, stations and (1.6) connector statuses with one statement each.
std::unique_ptr<LoadedBatch> load_batch(Repository &r, std::int64_t after_transaction_id, std::size_t limit,
                                        Timestamp now, PlaceCache &places) {
  auto b = std::make_unique<LoadedBatch>(now, places);
  b->out.last_transaction_id = after_transaction_id;
  auto waiting = r.sessions_without_cdr(after_transaction_id, limit);
  b->out.done = waiting.size() < limit;
  if (!waiting.empty()) b->out.last_transaction_id = waiting.back().transaction_id;
  std::vector<Transaction> transactions;
  transactions.reserve(waiting.size());
  for (const auto &w : waiting)
    if (auto t = r.transaction(w.transaction_id)) transactions.push_back(std::move(*t));
  b->pricing = std::make_unique<BatchPricing>(r, transactions, now);
  b->work.resize(transactions.size());
  for (std::size_t i = 0; i < transactions.size(); ++i) {
    auto &w = b->work[i];
    w.t = std::move(transactions[i]);
    w.place = &b->places.of(r, w.t, b->pricing.get());
    w.prepared.emplace(b->pricing->prepare(w.t, now));
  }
  return b;
}

//! Stores a priced batch in order (on the store's thread); each distinct tariffs array once.
BillingBatch store_batch(Repository &r, LoadedBatch &b) {
  auto out = std::move(b.out);
  std::map<const Tariff *, std::int64_t> tariffs_ids;
  for (auto &w : b.work) {
    if (w.error) {
      tally(out, w.t.id, Result<IssuedCdr>{*w.error});
      continue;
    }
    const auto *tariff = (*w.prepared)->tariff;
    auto id = tariffs_ids.find(tariff);
    if (id == tariffs_ids.end())
      id = tariffs_ids.emplace(tariff, r.put_cdr_tariffs(encode_cdr_tariffs(w.cdr.tariffs))).first;
    tally(out, w.t.id, store_built(r, std::move(w.cdr), w.body, id->second));
  }
  return out;
}

} // namespace

Cdr build_cdr(const Transaction &t, const SessionCost &cost, const SessionPlace &place,
              const std::vector<MeterSample> &samples, Timestamp now) {
  const auto &priced = cost.priced;
  Cdr c;
  c.country_code = cost.tariff.country_code;
  c.party_id = cost.tariff.party_id;
  c.id = cdr_id_of(t.id);
  c.start_date_time = t.started_at;
  c.end_date_time = t.stopped_at.value_or(t.stop_received_at.value_or(now));
  c.session_id = std::to_string(t.id);
  // Gridlane's own tokens: the CPO is their eMSP, and the tag is also the contract.
  c.cdr_token = {cost.tariff.country_code, cost.tariff.party_id, t.id_tag, CdrTokenType::Rfid, t.id_tag};
  c.auth_method = t.remote_start_id ? AuthMethod::Command : AuthMethod::Whitelist;
  c.cdr_location = location_of(t, place);
  if (place.station) c.meter_id = place.station->identity.meter_serial_number;
  c.currency = priced.currency;
  c.tariffs = {cost.tariff};
  c.charging_periods = priced.charging_periods;
  if (c.charging_periods.empty()) // OCPI: at least one period; a session of no time and no energy
    c.charging_periods.push_back(
        {t.started_at,
         {{CdrDimensionType::Energy, priced.total_energy}, {CdrDimensionType::Time, priced.total_time}},
         cost.tariff.id});
  c.signed_data = signed_data_of(samples);
  c.total_cost = priced.total_cost;
  c.total_fixed_cost = priced.total_fixed_cost;
  c.total_energy = priced.total_energy;
  c.total_energy_cost = priced.total_energy_cost;
  c.total_time = priced.total_time;
  c.total_time_cost = priced.total_time_cost;
  c.total_parking_time = priced.total_parking_time;
  c.total_parking_cost = priced.total_parking_cost;
  c.total_reservation_cost = priced.total_reservation_cost;
  if (t.stop_reason) c.remark = std::string(to_string(*t.stop_reason));
  c.last_updated = now;
  c.transaction_id = t.id;
  c.station = t.station;
  return c;
}

Cdr credit_cdr(const Cdr &original, std::optional<std::string> remark, Timestamp now) {
  Cdr c = original;
  c.id = original.id + "-C";
  c.credit = true;
  c.credit_reference_id = original.id;
  // OCPI: "Only the values in the total_cost field SHALL contain the negative amounts".
  c.total_cost.excl_vat = negate(original.total_cost.excl_vat);
  if (original.total_cost.incl_vat) c.total_cost.incl_vat = negate(*original.total_cost.incl_vat);
  if (remark) c.remark = std::move(remark);
  c.invoice_reference_id.reset();
  c.last_updated = now;
  return c;
}

CdrService::CdrService(const core::Clock &clock)
    : clock_(clock), pricer_(&SessionPricing::price), batch_pricing_(true) {}
CdrService::CdrService(const core::Clock &clock, SessionPricer pricer) : clock_(clock), pricer_(std::move(pricer)) {}
CdrService::~CdrService() = default;

Result<IssuedCdr> CdrService::issue(Repository &r, std::int64_t transaction_id) const {
  if (auto stored = r.cdr_of_transaction(transaction_id)) return IssuedCdr{std::move(*stored), false};
  auto t = r.transaction(transaction_id);
  if (!t) return ServiceError::not_found("no such transaction");
  if (t->state != TransactionState::Ended)
    return ServiceError::conflict("transaction " + std::to_string(transaction_id) +
                                  " is still running: its CDR is made when it ends");
  const auto now = clock_.now();
  return issue_priced(r, pricer_(r, t->id, now), *t, load_place(r, *t), r.meter_samples(transaction_id), now);
}

Result<Cdr> CdrService::credit(Repository &r, std::string_view id, std::optional<std::string> remark) const {
  if (remark && remark->size() > 255) return ServiceError::invalid("'remark' is at most 255 characters", "remark");
  auto original = r.cdr(id);
  if (!original) return ServiceError::not_found("no such CDR");
  if (original->credit) return ServiceError::conflict("CDR " + original->id + " is a credit CDR itself");
  if (auto existing = r.credit_of(original->id))
    return ServiceError::conflict("CDR " + original->id + " was credited already by " + existing->id);
  auto c = credit_cdr(*original, std::move(remark), clock_.now());
  if (!r.insert_cdr(c)) return ServiceError::conflict("CDR " + original->id + " was credited already");
  return c;
}

BillingBatch CdrService::generate_batch(Repository &r, std::int64_t after_transaction_id, std::size_t limit) const {
  if (!batch_pricing_) { // a stand-in pricer (tests): one session at a time
    BillingBatch out;
    out.last_transaction_id = after_transaction_id;
    auto waiting = r.sessions_without_cdr(after_transaction_id, limit);
    out.done = waiting.size() < limit;
    if (!waiting.empty()) out.last_transaction_id = waiting.back().transaction_id;
    PlaceCache places;
    const auto now = clock_.now();
    std::vector<std::int64_t> ids;
    ids.reserve(waiting.size());
    for (const auto &s : waiting)
      ids.push_back(s.transaction_id);
    auto samples = r.meter_samples_of(ids);
    const std::vector<MeterSample> none;
    for (const auto id : ids) {
      auto t = r.transaction(id);
      if (!t) continue;
      auto found = samples.find(id);
      tally(out, id,
            issue_priced(r, pricer_(r, id, now), *t, places.of(r, *t), found == samples.end() ? none : found->second,
                         now));
    }
    return out;
  }
  PlaceCache places;
  auto batch = load_batch(r, after_transaction_id, limit, clock_.now(), places);
  price_all(batch->work, pricing_threads_, batch->now);
  return store_batch(r, *batch);
}

BillingRunReport CdrService::run_billing(const UnitRunner &run_unit, std::size_t limit,
                                         const std::function<bool(const BillingBatch &)> &on_batch) const {
  BillingRunReport report;
  auto count = [&](const BillingBatch &b) { // false: stop
    report.created += b.created;
    report.untariffed += b.untariffed;
    report.failed += b.failed;
    ++report.batches;
    return !on_batch || on_batch(b);
  };
  if (!batch_pricing_) {
    std::int64_t after = 0;
    for (bool done = false; !done;) {
      BillingBatch b;
      run_unit([&](Repository &r) { b = generate_batch(r, after, limit); });
      after = b.last_transaction_id;
      done = b.done;
      if (!count(b)) break;
    }
    return report;
  }
  // A pipeline of two batches: while batch N is priced on the pricing threads, the store's
  // thread reads batch N + 1; then it stores batch N and, before that unit commits, batch N + 1
  // starts pricing. Each batch is still stored in a unit of work of its own.
  // The run's CDR indexes grow past the store's usual page cache: a larger one for the run.
  // Each station's place (station, EVSE, location) is read once for the whole run; the pricing
  // threads read entries made before while the store's thread adds new ones (a map's nodes
  // stay where they are).
  PlaceCache places;
  std::unique_ptr<LoadedBatch> current;
  std::optional<std::int64_t> cache_before;
  struct GiveBack { // the cache's size before the run, whichever way it ends
    const UnitRunner &run_unit;
    std::optional<std::int64_t> &kib;
    ~GiveBack() {
      if (!kib) return;
      try {
        run_unit([this](Repository &r) { r.swap_page_cache_kib(*kib); });
      } catch (const std::exception &e) {
        core::log(core::Component::Services).warn("billing run: the page cache was not set back: {}", e.what());
      } catch (...) {
      }
    }
  } give_back{run_unit, cache_before};
  run_unit([&](Repository &r) {
    cache_before = r.swap_page_cache_kib(static_cast<std::int64_t>(run_cache_mib_) * 1024);
    current = load_batch(r, 0, limit, clock_.now(), places);
  });
  const auto threads = pricing_threads_;
  auto start = [threads](LoadedBatch &b) {
    return std::async(std::launch::async, [&b, threads] { price_all(b.work, threads, b.now); });
  };
  auto pricing = start(*current);
  while (current) {
    std::unique_ptr<LoadedBatch> next;
    BillingBatch stored;
    try {
      run_unit([&](Repository &r) {
        if (!current->out.done) next = load_batch(r, current->out.last_transaction_id, limit, clock_.now(), places);
        pricing.get(); // rethrows what the pricing threw
        stored = store_batch(r, *current);
        if (next) pricing = start(*next);
      });
    } catch (...) {
      if (pricing.valid()) pricing.wait(); // it works on `next`: let it finish before that goes
      throw;
    }
    bool go_on = false;
    try {
      go_on = count(stored);
    } catch (...) {
      if (pricing.valid()) pricing.wait();
      throw;
    }
    if (!go_on) { // `next` is dropped unstored: a later run makes its CDRs
      if (pricing.valid()) pricing.wait();
      break;
    }
    current = std::move(next);
  }
  return report;
}

void CdrService::set_run_cache_mib(std::size_t mib) {
  run_cache_mib_ = std::clamp<std::size_t>(mib, 1, 4096);
}

void CdrService::set_pricing_threads(std::size_t threads) {
  pricing_threads_ = std::max<std::size_t>(1, threads);
}

void CdrService::watch(EventBus &bus, StoreExecutor &store) {
  subscription_ = bus.subscribe([this, &store](const Event &e) {
    const auto *ended = std::get_if<TransactionEnded>(&e);
    if (!ended) return;
    const auto id = ended->transaction.id;
    auto made = std::make_shared<std::optional<Cdr>>();
    store.submit(
        [this, id, made](Repository &r) {
          auto issued = issue(r, id);
          if (issued && issued->created)
            made->emplace(std::move(issued->cdr));
          else if (!issued)
            core::log(core::Component::Services).info("transaction {}: no CDR: {}", id, issued.error().message);
        },
        [this, made](std::exception_ptr failed) {
          if (!failed && *made) committed({**made});
        });
  });
}

void CdrService::add_listener(Listener listener) {
  listeners_.push_back(std::move(listener));
}

void CdrService::committed(const std::vector<Cdr> &cdrs) const {
  for (const auto &c : cdrs)
    for (const auto &l : listeners_)
      l(c);
}

} // namespace gridlane::services
