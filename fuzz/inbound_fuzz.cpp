// The whole inbound path of a station: Connection::on_text with the version's real dispatcher
// and services over a temporary SQLite database. The first byte picks the version; the rest is
// up to 16 frames, one per line, fed to one connection as a station would send them; each input
// starts from a fresh in-memory database (so a finding replays alone). Every
// frame Gridlane sends must be a valid OCPP-J frame, every CALL gets exactly one answer before
// the connection closes, and no handler may fail (InternalError) while the store is healthy.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <unistd.h>

#include "database_image.hpp"
#include "fuzz_support.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/ocpp/adapters.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
using namespace gridlane::ocpp;
namespace asio = boost::asio;

namespace {

constexpr std::size_t max_frames = 16;

const char *station_for(core::ProtocolVersion v) {
  switch (v) {
  case core::ProtocolVersion::Ocpp16: return "FUZZ-16";
  case core::ProtocolVersion::Ocpp201: return "FUZZ-201";
  case core::ProtocolVersion::Ocpp21: return "FUZZ-21";
  }
  return "FUZZ";
}

struct RecordingTransport : Transport {
  core::ProtocolVersion version;
  std::map<std::string, int> answers; //!< per message id: CALLRESULTs and CALLERRORs sent
  void send(std::string text) override {
    auto parsed = parse_frame(text, version);
    if (!std::holds_alternative<Frame>(parsed)) {
      std::fprintf(stderr, "sent: %s\n", text.c_str());
      GRIDLANE_FUZZ_CHECK(false, "Gridlane sent a frame that is not valid OCPP-J");
    }
    auto &f = std::get<Frame>(parsed);
    if (f.type == MessageType::CallError && f.error_code == "InternalError") {
      std::fprintf(stderr, "sent: %s\n", text.c_str());
      GRIDLANE_FUZZ_CHECK(false, "a handler failed on a frame that passed validation (InternalError)");
    }
    if (f.type == MessageType::CallResult || f.type == MessageType::CallError) ++answers[f.id];
  }
  bool closed = false; //!< Gridlane closed the connection (a CALL after that goes unanswered)
  void close(std::uint16_t, std::string) override { closed = true; }
};

struct World {
  core::SystemClock clock;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<services::StationService> stations;
  std::unique_ptr<services::AuthorizationService> authorization;
  std::unique_ptr<services::TransactionService> transactions;
  MessageCatalog c16{core::ProtocolVersion::Ocpp16};
  MessageCatalog c201{core::ProtocolVersion::Ocpp201};
  MessageCatalog c21{core::ProtocolVersion::Ocpp21};
  asio::io_context ioc;

  // Every input starts from a copy of one migrated database.
  fuzz::DatabaseImage image{
      "inbound", [](const std::string &path) {
        store::SqliteStore{store::SqliteOptions{path, "normal", 64, std::chrono::microseconds(0)}}.stop();
      }};

  void open() {
    const auto db = image.fresh();
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{db, "normal", 64, std::chrono::microseconds(0)});
    stations = std::make_unique<services::StationService>(
        *store, clock, services::StationServiceConfig{core::UnknownStationPolicy::Accept, 300, 60},
        [](std::function<void()> f, std::function<void(core::JobRefusal)>) { f(); });
    authorization = std::make_unique<services::AuthorizationService>(*store, clock);
    transactions = std::make_unique<services::TransactionService>(*store, clock);
    store->run([this](domain::Repository &r) {
      for (auto v : {core::ProtocolVersion::Ocpp16, core::ProtocolVersion::Ocpp201, core::ProtocolVersion::Ocpp21}) {
        domain::Station s;
        s.id = domain::StationId::unchecked(station_for(v));
        s.registration = domain::RegistrationStatus::Accepted;
        s.protocol = v;
        s.created_at = clock.now();
        r.insert_station(s);
      }
      // Tags the seed corpus uses: one of each status, and a group.
      r.upsert_id_token({"TAG1", domain::TokenStatus::Accepted, {}, {}});
      r.upsert_id_token({"04A2B3C4D5", domain::TokenStatus::Accepted, {}, std::string("GROUP1")});
      r.upsert_id_token({"BLOCKED1", domain::TokenStatus::Blocked, {}, {}});
      r.upsert_id_token({"EXPIRED1", domain::TokenStatus::Expired, {}, {}});
    });
  }
  void close() {
    transactions.reset();
    authorization.reset();
    stations.reset();
    store.reset();
  }
  const MessageCatalog &catalog(core::ProtocolVersion v) const {
    return v == core::ProtocolVersion::Ocpp16 ? c16 : v == core::ProtocolVersion::Ocpp201 ? c201 : c21;
  }
  //! Runs the strand and the store until neither has work left: every unit committed, every
  //! answer it produced sent.
  void settle() {
    for (int round = 0; round < 1000; ++round) {
      ioc.restart();
      auto ran = ioc.poll();
      store->run([](domain::Repository &) {});
      ioc.restart();
      ran += ioc.poll();
      if (ran == 0) return;
    }
    GRIDLANE_FUZZ_CHECK(false, "the connection never settles");
  }
};

World *world = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  core::set_log_level("off"); // a bad frame is logged; millions of them are noise
  world = new World();        // never destroyed (libFuzzer exits without unwinding); its files are:
  std::atexit([] { world->image.remove(); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  auto &w = *world;
  w.open();
  fuzz::Input in{data, size};
  const auto version = fuzz::version_from(in.byte());
  std::string_view rest = in.rest();

  RecordingTransport transport;
  transport.version = version;
  auto strand = asio::make_strand(w.ioc);
  services::StationContext who{domain::StationId::unchecked(station_for(version)), version};
  auto conn = std::make_shared<Connection>(strand, who.id, w.catalog(version), transport, ConnectionOptions{});
  Services services{*w.stations, *w.authorization, *w.transactions};
  if (version == core::ProtocolVersion::Ocpp16)
    conn->set_dispatcher(v16::make_dispatcher(services, who, domain::RegistrationStatus::Accepted));
  else
    conn->set_dispatcher(v2::make_dispatcher(services, who, domain::RegistrationStatus::Accepted, conn, false));

  std::map<std::string, int> calls; // per message id: the CALLs the station sent
  for (std::size_t n = 0; n < max_frames && !rest.empty() && !transport.closed; ++n) {
    auto eol = rest.find('\n');
    auto text = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
    auto parsed = parse_frame(text, version);
    if (auto *f = std::get_if<Frame>(&parsed); f && f->type == MessageType::Call) ++calls[f->id];
    asio::post(strand, [conn, t = std::string(text)] { conn->on_text(t); });
    w.settle();
  }
  for (const auto &[id, n] : transport.closed ? decltype(calls){} : calls) {
    auto it = transport.answers.find(id);
    GRIDLANE_FUZZ_CHECK(it != transport.answers.end() && it->second >= n, "a CALL was never answered");
  }
  asio::post(strand, [conn] { conn->on_closed(); });
  w.settle();
  conn.reset(); // the dispatcher refers to the services: gone before they are
  w.close();
  return 0;
}
