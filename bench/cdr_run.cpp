// The billing run at scale: fills a real SQLite file with N ended sessions (default 1,000,000:
// stations at a location in Europe/Amsterdam, a time-of-day tariff snapshot per session, meter
// readings at the start, in the middle and at the end), then times one billing run (what
// `gridlane admin cdrs generate` does: CdrService::generate_batch over SessionPricing, one unit
// of work per batch) and checks that every session got exactly one CDR. Prints numbers; not a
// test. Bounded: --sessions at most 5,000,000, and the run stops after --max-seconds.
//
//   build/release/bench/gridlane_bench_cdrs [--sessions N] [--batch N] [--threads N] [--cache-mib 256] [--synchronous
//   full|normal]
//                                           [--db PATH] [--keep] [--fill-only] [--reuse]
//
// --fill-only fills --db and keeps it; --reuse runs on a --db filled before (copy it first: the
// run adds the CDRs), so several runs start from the same file.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <unistd.h>

#include "gridlane/domain/cdr_codec.hpp"
#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/services/cdr_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::domain;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::int64_t sessions = 1'000'000;
  std::size_t batch = 1000;
  std::size_t threads = 2;
  std::size_t cache_mib = 256;
  std::string synchronous = "full";
  std::string db;
  bool keep = false;
  bool fill_only = false;
  bool reuse = false;
  double max_seconds = 600;
};

Options parse(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--sessions")
      o.sessions = std::stoll(next());
    else if (a == "--batch")
      o.batch = std::stoul(next());
    else if (a == "--threads")
      o.threads = std::stoul(next());
    else if (a == "--cache-mib")
      o.cache_mib = std::stoul(next());
    else if (a == "--synchronous")
      o.synchronous = next();
    else if (a == "--db")
      o.db = next();
    else if (a == "--max-seconds")
      o.max_seconds = std::stod(next());
    else if (a == "--keep")
      o.keep = true;
    else if (a == "--fill-only")
      o.fill_only = o.keep = true;
    else if (a == "--reuse")
      o.reuse = o.keep = true;
    else
      throw std::invalid_argument("unknown option " + a);
  }
  if (o.sessions < 1 || o.sessions > 5'000'000) throw std::invalid_argument("--sessions is 1 to 5,000,000");
  if (o.batch < 1 || o.batch > 100'000) throw std::invalid_argument("--batch is 1 to 100,000");
  if (o.threads < 1 || o.threads > 64) throw std::invalid_argument("--threads is 1 to 64");
  if ((o.fill_only || o.reuse) && o.db.empty()) throw std::invalid_argument("--fill-only and --reuse need --db");
  return o;
}

core::Decimal dec(const char *text) {
  return core::Decimal::parse(text).value();
}

//! A typical tariff: energy dearer from 07:00 to 23:00, a start fee, parking after 2 hours.
Tariff typical_tariff() {
  Tariff t;
  t.country_code = "NL";
  t.party_id = "GRL";
  t.id = "TOD-1";
  TariffRestrictions day;
  day.start_time = ClockTime{7, 0};
  day.end_time = ClockTime{23, 0};
  TariffRestrictions after_two_hours;
  after_two_hours.min_duration = 7200;
  t.elements = {
      TariffElement{{PriceComponent{TariffDimension::Flat, dec("0.5"), dec("21"), 1}}, std::nullopt},
      TariffElement{{PriceComponent{TariffDimension::Energy, dec("0.35"), dec("21"), 1}}, day},
      TariffElement{{PriceComponent{TariffDimension::Energy, dec("0.25"), dec("21"), 1}}, std::nullopt},
      TariffElement{{PriceComponent{TariffDimension::ParkingTime, dec("3"), dec("21"), 300}}, after_two_hours},
  };
  t.last_updated = core::parse_iso8601("2026-01-01T00:00:00Z").value();
  return t;
}

MeterSample register_sample(Timestamp at, std::int64_t wh, const char *context) {
  MeterSample s;
  s.timestamp = at;
  s.value = std::to_string(wh);
  s.numeric = static_cast<double>(wh);
  s.measurand = "Energy.Active.Import.Register";
  s.unit = "Wh";
  s.context = context;
  return s;
}

constexpr int stations = 1000;

void fill(store::SqliteStore &store, std::int64_t sessions) {
  const auto tariff_json = encode_tariff(typical_tariff());
  store.run([](Repository &r) {
    Location l;
    l.id = LocationId::unchecked("AMS-1");
    l.name = "Amsterdam Zuid";
    l.address = "Strawinskylaan 1";
    l.city = "Amsterdam";
    l.country = "NLD";
    l.coordinates = GeoLocation{"52.338000", "4.872000"};
    l.time_zone = "Europe/Amsterdam";
    r.insert_location(l);
    for (int i = 0; i < stations; ++i) {
      Station s;
      s.id = StationId::unchecked("CS-" + std::to_string(i));
      s.registration = RegistrationStatus::Accepted;
      r.insert_station(s);
      r.set_station_location(s.id, l.id);
    }
  });
  const auto base = core::parse_iso8601("2026-03-01T00:00:00Z").value();
  // Units of work of 100,000 sessions (ten commits for a million, and a write-ahead log that
  // stays bounded); the repository's statements are prepared once and cached.
  constexpr std::int64_t per_unit = 100'000;
  for (std::int64_t first = 0; first < sessions; first += per_unit) {
    store.run([&](Repository &r) {
      for (std::int64_t n = first; n < std::min(sessions, first + per_unit); ++n) {
        Transaction t;
        t.station = StationId::unchecked("CS-" + std::to_string(n % stations));
        t.connector_id = t.evse_id = 1 + static_cast<int>(n % 2);
        t.id_tag = "TAG-" + std::to_string(n % 5000);
        t.meter_start_wh = 1'000 * n;
        // Sessions spread over a month, 30 minutes to 3.5 hours, 5 to 65 kWh.
        t.started_at = base + std::chrono::seconds((n * 2617) % (std::int64_t{30} * 86400));
        const auto minutes = 30 + (n * 7) % 180;
        const auto wh = 5'000 + (n * 131) % 60'000;
        t.start_received_at = t.started_at;
        t.station_tx_id = std::to_string(n + 1);
        t.id = r.insert_transaction(t);
        TariffSnapshot snap;
        snap.transaction_id = t.id;
        snap.tariff_id = "TOD-1";
        snap.tariff_json = tariff_json;
        snap.resolved_at = t.started_at;
        r.put_tariff_snapshot(snap);
        const auto end = t.started_at + std::chrono::minutes(minutes);
        MeterReading m;
        m.station = t.station;
        m.evse_id = t.evse_id;
        m.connector_id = t.connector_id;
        m.transaction_id = t.id;
        m.received_at = end;
        m.samples = {register_sample(t.started_at, t.meter_start_wh, "Transaction.Begin")};
        r.insert_meter_reading(m);
        m.samples = {register_sample(t.started_at + std::chrono::minutes(minutes / 2), t.meter_start_wh + wh / 2,
                                     "Sample.Periodic")};
        r.insert_meter_reading(m);
        m.samples = {register_sample(end, t.meter_start_wh + wh, "Transaction.End")};
        r.insert_meter_reading(m);
        t.state = TransactionState::Ended;
        t.meter_stop_wh = t.meter_start_wh + wh;
        t.energy_wh = wh;
        t.stopped_at = end;
        t.stop_received_at = end;
        t.stop_reason = StopReason::EVDisconnected;
        r.end_transaction(t);
      }
    });
  }
}

//! The machine's load average (1, 5, 15 minutes), as /proc/loadavg says.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

} // namespace

int main(int argc, char **argv) try {
  auto o = parse(argc, argv);
  const auto path =
      o.db.empty()
          ? (std::filesystem::temp_directory_path() / ("gridlane-cdr-bench-" + std::to_string(::getpid()) + ".db"))
                .string()
          : o.db;
  if (!o.reuse) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
  }
  std::cout << "database " << path << " (synchronous=" << o.synchronous << "), load average " << load_average() << "\n";
  {
    store::SqliteStore store{store::SqliteOptions{path, o.synchronous, 512}};
    if (!o.reuse) {
      const auto t0 = Clock::now();
      fill(store, o.sessions);
      const double fill_s = std::chrono::duration<double>(Clock::now() - t0).count();
      std::cout << "filled " << o.sessions << " ended sessions (" << stations << " stations, 3 meter readings each) in "
                << fill_s << " s" << std::endl;
      if (o.fill_only) return 0;
    }

    core::SystemClock clock;
    services::CdrService service{clock};
    service.set_pricing_threads(o.threads);
    service.set_run_cache_mib(o.cache_mib);
    const auto t1 = Clock::now();
    const auto cpu0 = std::clock();
    const auto deadline =
        t1 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.max_seconds));
    const auto report = service.run_billing([&](const auto &work) { store.run(work); }, o.batch,
                                            [&](const services::BillingBatch &) {
                                              if (Clock::now() < deadline) return true;
                                              std::cout << "stopped after --max-seconds " << o.max_seconds << "\n";
                                              return false;
                                            });
    const auto created = report.created, untariffed = report.untariffed, failed = report.failed;
    const auto batches = report.batches;
    const double run_s = std::chrono::duration<double>(Clock::now() - t1).count();
    const double cpu_s = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;

    // Check: every session has exactly one CDR, and their totals add up.
    Paged<Cdr> first;
    std::int64_t total = 0;
    store.run([&](Repository &r) {
      first = r.list_cdrs({}, {1, 0});
      total = first.total;
    });
    std::cout << "billing run: " << created << " CDRs created in " << batches << " batches of " << o.batch << " ("
              << o.threads << " pricing threads) in " << run_s << " s wall, " << cpu_s
              << " s CPU (process): " << static_cast<std::int64_t>(static_cast<double>(created) / run_s)
              << " CDRs per second of wall time, " << static_cast<std::int64_t>(static_cast<double>(created) / cpu_s)
              << " per CPU-second; load average after the run " << load_average() << "\n";
    std::cout << "untariffed " << untariffed << ", failed " << failed << ", CDRs stored " << total << "\n";
    if (!first.items.empty()) std::cout << "first CDR: " << encode_cdr(first.items.front()) << "\n";
    const auto bytes = std::filesystem::file_size(path);
    std::cout << "database size " << bytes / (std::uintmax_t{1024} * 1024) << " MiB\n";
    const bool ok = total == o.sessions && failed == 0 && untariffed == 0;
    std::cout << (ok ? "OK" : "MISMATCH") << ": " << o.sessions << " sessions, " << total << " CDRs; "
              << (run_s < 60 ? "under" : "over") << " a minute\n";
    if (!ok) return 1;
  }
  if (!o.keep) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
  }
  return 0;
} catch (const std::exception &e) {
  std::cerr << "gridlane_bench_cdrs: " << e.what() << "\n";
  return 2;
}
