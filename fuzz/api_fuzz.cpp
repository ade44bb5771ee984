// The operator API's JSON bodies: Api::handle with a fuzzed body on every route that reads one,
// as an admin, over a fresh copy of a temporary SQLite database for each input (so a finding
// replays alone; the real command service, no station connected). The first byte picks the route. Whatever the body,
// the answer comes, it is never a 500 while the store is healthy, and it is JSON; what a write stored reads back.
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <unistd.h>

#include "database_image.hpp"
#include "fuzz_support.hpp"
#include "gridlane/api/api.hpp"
#include "gridlane/bus/local_bus.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/core/password.hpp"
#include "gridlane/ocpp/registry.hpp"
#include "gridlane/services/command_service.hpp"
#include "gridlane/services/compat_service.hpp"
#include "gridlane/store/sqlite_store.hpp"

using namespace gridlane;
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr const char *admin_key = "glk_fuzz-admin-key";

struct Route {
  const char *method;
  const char *path;
  const char *read_back; //!< a GET that must still answer after a successful write, or null
};
constexpr Route routes[] = {
    {"POST", "/api/v1/auth/login", nullptr},
    {"POST", "/api/v1/stations", nullptr},
    {"PUT", "/api/v1/stations/FUZZ-1/password", "/api/v1/stations/FUZZ-1"},
    {"PUT", "/api/v1/stations/FUZZ-1/site", "/api/v1/stations/FUZZ-1"},
    {"PUT", "/api/v1/stations/FUZZ-1/compat", "/api/v1/stations/FUZZ-1/compat"},
    {"POST", "/api/v1/stations/FUZZ-1/commands", "/api/v1/stations/FUZZ-1/commands"},
    {"POST", "/api/v1/id-tokens/import", "/api/v1/id-tokens"},
    {"PUT", "/api/v1/id-tokens/TAG1", "/api/v1/id-tokens/TAG1"},
    {"POST", "/api/v1/users", "/api/v1/users"},
    {"POST", "/api/v1/api-keys", "/api/v1/api-keys"},
};

struct World {
  core::SystemClock clock;
  std::unique_ptr<asio::thread_pool> blocking;
  std::unique_ptr<store::SqliteStore> store;
  bus::LocalBus bus;
  std::unique_ptr<services::CompatService> compat;
  std::unique_ptr<ocpp::ConnectionRegistry> registry; // no station connected: commands find it offline
  std::unique_ptr<services::CommandService> commands;
  std::unique_ptr<api::Api> api;

  // Every input starts from a copy of one prepared database: an admin key, a station, a token.
  fuzz::DatabaseImage image{
      "api", [this](const std::string &path) {
        store::SqliteStore template_store{store::SqliteOptions{path, "normal", 64, std::chrono::microseconds(0)}};
        template_store.run([this](domain::Repository &r) {
          domain::ApiKey k;
          k.name = "fuzz";
          k.key_hash = core::token_hash(admin_key);
          k.role = domain::Role::Admin;
          k.created_by = "fuzz";
          k.created_at = clock.now();
          r.insert_api_key(k);
          domain::Station s;
          s.id = domain::StationId::unchecked("FUZZ-1");
          s.registration = domain::RegistrationStatus::Accepted;
          s.protocol = core::ProtocolVersion::Ocpp201;
          s.created_at = clock.now();
          r.insert_station(s);
          r.upsert_id_token({"TAG1", domain::TokenStatus::Accepted, {}, {}});
        });
      }}; // the store closes with the scope: the file is complete

  void open() {
    const auto db = image.fresh();
    blocking = std::make_unique<asio::thread_pool>(1);
    store = std::make_unique<store::SqliteStore>(store::SqliteOptions{db, "normal", 64, std::chrono::microseconds(0)});
    auto *pool = blocking.get();
    compat = std::make_unique<services::CompatService>(*store, clock);
    store->run([this](domain::Repository &r) { compat->load(r); });
    registry = std::make_unique<ocpp::ConnectionRegistry>(compat.get());
    commands = std::make_unique<services::CommandService>(
        *store, clock, *registry, bus, [pool](std::chrono::milliseconds delay, std::function<void()> f) {
          auto timer = std::make_shared<asio::steady_timer>(pool->get_executor(), delay);
          timer->async_wait([timer, f = std::move(f)](boost::system::error_code) { f(); });
        });
    api = std::make_unique<api::Api>(
        *store, clock, *commands, *registry,
        [pool](std::function<void()> f, std::function<void(core::JobRefusal)>) { asio::post(*pool, std::move(f)); });
    api->set_compat(*compat);
  }
  void close() {
    api.reset();
    blocking->join(); // the pool's timers (command waits) and hashing finish before the store goes
    commands.reset();
    registry.reset();
    compat.reset();
    store.reset();
    blocking.reset();
  }

  api::Response call(std::string method, std::string path, std::string body) {
    api::Request req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.body = std::move(body);
    req.authorization = std::string("Bearer ") + admin_key;
    req.remote = "127.0.0.1";
    std::promise<api::Response> answered;
    auto future = answered.get_future();
    api->handle(std::move(req), [&answered](api::Response r) { answered.set_value(std::move(r)); });
    return future.get(); // an answer that never comes is a hang: libFuzzer's -timeout reports it
  }
};

World *world = nullptr;

void check_answer(const api::Response &res, const char *what) {
  if (res.status >= 500 || res.status < 200) {
    std::fprintf(stderr, "%s answered %d: %s\n", what, res.status, res.body.c_str());
    GRIDLANE_FUZZ_CHECK(false, "the API answered a request body with a server error");
  }
  if (!res.body.empty()) {
    boost::system::error_code ec;
    (void)json::parse(res.body, ec);
    GRIDLANE_FUZZ_CHECK(!ec, "the API answered with a body that is not JSON");
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  core::set_log_level("off");
  world = new World(); // never destroyed (libFuzzer exits without unwinding); its files are:
  std::atexit([] { world->image.remove(); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  auto &w = *world;
  w.open();
  fuzz::Input in{data, size};
  const Route &route = routes[in.byte() % std::size(routes)];
  auto res = w.call(route.method, route.path, std::string(in.rest()));
  check_answer(res, route.path);
  if (res.status < 300 && route.read_back) check_answer(w.call("GET", route.read_back, ""), route.read_back);
  w.close();
  return 0;
}
