#include "gridlane/net/server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/container/devector.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "gridlane/api/event_codec.hpp"
#include "gridlane/core/base64.hpp"
#include "gridlane/core/json_text.hpp"
#include "gridlane/core/logging.hpp"

namespace gridlane::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using core::StationId;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view server_name = "gridlane";

// These helpers are plain functions returning an awaitable, and callers pass them named
// values: GCC 12 destroys some temporaries of a co_await full-expression twice.

//! A co_spawn completion: a coroutine that ends with an exception is logged with what it was
//! doing, never dropped silently (asio::detached would), and never ends the process.
struct LogFailure {
  std::string what;
  void operator()(std::exception_ptr e) const {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception &x) {
      core::logger("net")->error("{} failed: {}", what, x.what());
    } catch (...) {
      core::logger("net")->error("{} failed with a non-standard exception", what);
    }
  }
};

//! Awaits any callback-style operation delivering a T, on the caller's executor. The callback
//! may be called from any thread, at most once counts; if `start` throws, or every copy of the
//! callback is dropped without a call (a handler that failed on another thread), the caller gets
//! `if_dropped` instead of waiting forever with its socket open. With a `timeout`, the caller gets
//! `if_dropped` after it too.
template <class T, class Start>
asio::awaitable<T> await_value(Start start, T if_dropped, std::optional<std::chrono::milliseconds> timeout = {}) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(T)>(
      [](auto handler, Start start, T if_dropped, std::optional<std::chrono::milliseconds> timeout) {
        using Handler = decltype(handler);
        struct Once {
          Once(Handler h, T f)
              : handler(std::move(h)), ex(asio::get_associated_executor(handler)), fallback(std::move(f)) {}
          ~Once() { deliver(std::move(fallback)); }
          void deliver(T value) {
            if (used.exchange(true)) return;
            asio::post(ex, [h = std::move(handler), value = std::move(value)]() mutable { h(std::move(value)); });
          }
          Handler handler;
          asio::associated_executor_t<Handler> ex;
          T fallback;
          std::atomic<bool> used{false};
        };
        auto once = std::make_shared<Once>(std::move(handler), std::move(if_dropped));
        if (timeout) {
          auto timer = std::make_shared<asio::steady_timer>(once->ex, *timeout);
          // The timer holds the waiter only weakly: a delivered value is not kept for it.
          timer->async_wait([timer, weak = std::weak_ptr<Once>(once)](boost::system::error_code) {
            if (auto o = weak.lock()) o->deliver(T{o->fallback});
          });
        }
        try {
          start([once](T value) { once->deliver(std::move(value)); });
        } catch (const std::exception &e) {
          core::logger("net")->error("starting an operation failed: {}", e.what());
        } catch (...) {
          core::logger("net")->error("starting an operation failed with a non-standard exception");
        }
      },
      asio::use_awaitable, std::move(start), std::move(if_dropped), timeout);
}

//! Awaits an outbound CALL's outcome (delivered on the station's strand) on the caller's executor.
asio::awaitable<ocpp::CallOutcome> await_call(std::shared_ptr<ocpp::Connection> conn, std::string action,
                                              json::value payload) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(ocpp::CallOutcome)>(
      [](auto handler, std::shared_ptr<ocpp::Connection> conn, std::string action, json::value payload) {
        auto ex = asio::get_associated_executor(handler);
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        conn->call(std::move(action), std::move(payload), [h, ex](ocpp::CallOutcome o) {
          asio::post(ex, [h, o = std::move(o)]() mutable { (*h)(std::move(o)); });
        });
      },
      asio::use_awaitable, std::move(conn), std::move(action), std::move(payload));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

//! The first of the server's subprotocols, in its order of preference, that the station offers.
std::optional<core::ProtocolVersion> choose_subprotocol(std::string_view offered,
                                                        const std::vector<std::string> &preference) {
  std::vector<std::string_view> tokens;
  while (!offered.empty()) {
    auto comma = offered.find(',');
    tokens.push_back(trim(offered.substr(0, comma)));
    offered = comma == std::string_view::npos ? std::string_view{} : offered.substr(comma + 1);
  }
  for (const auto &wanted : preference) {
    for (auto t : tokens) {
      if (t == wanted) return core::protocol_from_subprotocol(t);
    }
  }
  return std::nullopt;
}

struct Credentials {
  std::string user;
  std::string password;
};

std::optional<Credentials> basic_credentials(std::string_view header) {
  constexpr std::string_view prefix = "Basic ";
  if (header.size() <= prefix.size() || !beast::iequals(header.substr(0, prefix.size()), prefix)) return std::nullopt;
  auto decoded = core::base64_decode(trim(header.substr(prefix.size())));
  if (!decoded) return std::nullopt;
  auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

http::response<http::string_body> json_response(http::status status, const json::value &body, unsigned version,
                                                bool problem = false) {
  http::response<http::string_body> res{status, version};
  res.set(http::field::server, server_name);
  res.set(http::field::content_type, problem ? "application/problem+json" : "application/json");
  res.body() = core::to_json_text(body);
  res.prepare_payload();
  return res;
}

http::response<http::string_body> problem(http::status status, std::string_view detail, unsigned version) {
  return json_response(status,
                       json::object{{"type", "about:blank"},
                                    {"title", std::string(http::obsolete_reason(status))},
                                    {"status", static_cast<int>(status)},
                                    {"detail", detail}},
                       version, true);
}

//! The API's answer for a request whose handler failed without answering.
api::Response internal_error_response() {
  api::Response r;
  r.status = 500;
  r.content_type = "application/problem+json";
  r.body = core::to_json_text(json::object{
      {"type", "about:blank"}, {"title", "Internal Server Error"}, {"status", 500}, {"detail", "internal error"}});
  return r;
}

} // namespace

class StationSession;

struct Server::Impl {
  explicit Impl(ServerDeps d) : deps(std::move(d)), acceptor(ioc) {}

  ServerDeps deps;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};

  asio::awaitable<void> listen();
  asio::awaitable<void> http_session(tcp::socket socket);
  asio::awaitable<bool> serve_request(beast::tcp_stream &stream, http::request<http::string_body> req);
  asio::awaitable<void> upgrade(beast::tcp_stream stream, http::request<http::string_body> req);
  asio::awaitable<http::response<http::string_body>> route(const http::request<http::string_body> &req);
  asio::awaitable<void> drain_and_stop();
  asio::awaitable<void> api_request(beast::tcp_stream &stream, http::request<http::string_body> &req, bool &keep);
  asio::awaitable<void> event_stream(beast::tcp_stream stream, http::request<http::string_body> req);
  asio::awaitable<std::pair<std::optional<domain::Principal>, api::Response>> authenticate(std::string authorization);
  void publish(domain::Event event) { deps.bus.publish(std::move(event)); }
  static domain::Timestamp now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
};

//! A station's WebSocket: one strand, one reader, a bounded queue of outgoing frames.
class StationSession final : public ocpp::Transport, public std::enable_shared_from_this<StationSession> {
public:
  StationSession(websocket::stream<tcp::socket> ws, Server::Impl &server, StationId id, core::ProtocolVersion version,
                 domain::RegistrationStatus registration, std::uint64_t admitted_at)
      : ws_(std::move(ws)), server_(server), id_(std::move(id)), version_(version), registration_(registration),
        admitted_at_(admitted_at) {}

  const StationId &id() const { return id_; }

  asio::any_io_executor executor() { return ws_.get_executor(); }

  //! Builds the station's Connection and makes it the station's registered connection (which
  //! closes any earlier one). On the session's strand, before run().
  void start() {
    const auto &cfg = server_.deps.config.ocpp;
    const auto &catalog = version_ == core::ProtocolVersion::Ocpp16    ? server_.deps.catalog16
                          : version_ == core::ProtocolVersion::Ocpp201 ? server_.deps.catalog201
                                                                       : server_.deps.catalog21;
    conn_ = std::make_shared<ocpp::Connection>(
        ws_.get_executor(), id_, catalog, *this,
        ocpp::ConnectionOptions{std::chrono::seconds(cfg.call_timeout_s), cfg.max_pending_calls, cfg.recent_frames});
    services::StationContext who{id_, version_};
    if (version_ == core::ProtocolVersion::Ocpp16)
      conn_->set_dispatcher(ocpp::v16::make_dispatcher(server_.deps.services, who, registration_));
    else
      conn_->set_dispatcher(
          ocpp::v2::make_dispatcher(server_.deps.services, who, registration_, conn_, cfg.request_base_report));
    std::weak_ptr<StationSession> weak = shared_from_this();
    registered_ = server_.deps.registry.add(
        conn_,
        [weak](std::uint16_t code, std::string reason) {
          if (auto self = weak.lock()) self->close(static_cast<websocket::close_code>(code), std::move(reason));
        },
        admitted_at_);
    // Not registered (an operator's change landed during the handshake): it is being closed and
    // reads nothing more.
    refused_ = !registered_;
  }

  static asio::awaitable<void> run(std::shared_ptr<StationSession> self) { co_await self->serve(); }

private:
  //! The session boundary: whatever escapes the read loop is logged with the station id, the
  //! connection is closed with 1011, and the cleanup below always runs.
  asio::awaitable<void> serve() {
    auto log = core::logger("net");
    bool failed = false;
    try {
      if (registered_) {
        log->info("[{}] connected ({})", id_.str(), core::to_string(version_));
        boost::system::error_code ec;
        auto peer = ws_.next_layer().remote_endpoint(ec);
        server_.publish(domain::StationConnected{id_, Server::Impl::now(), version_,
                                                 ec ? std::nullopt : std::optional{peer.address().to_string()}});
      } else {
        log->info("[{}] refused at registration: changed by an operator during its handshake", id_.str());
      }
      co_await read_loop();
    } catch (const std::exception &e) {
      log->error("[{}] session failed: {}; closing with 1011", id_.str(), e.what());
      failed = true;
    } catch (...) {
      log->error("[{}] session failed with a non-standard exception; closing with 1011", id_.str());
      failed = true;
    }
    // A close already under way ends the socket itself (within the WebSocket timeout).
    if (failed) close_on_strand(websocket::close_code::internal_error, "internal error");
    closed_ = true;
    outbox_.clear();
    try {
      conn_->on_closed();
    } catch (const std::exception &e) {
      log->error("[{}] failing pending calls failed: {}", id_.str(), e.what());
    }
    server_.deps.registry.remove(conn_.get());
    if (registered_) {
      server_.publish(domain::StationDisconnected{id_, Server::Impl::now()});
      log->info("[{}] disconnected", id_.str());
    }
  }

  asio::awaitable<void> read_loop() {
    const auto &cfg = server_.deps.config.ocpp;
    auto log = core::logger("net");
    beast::flat_buffer buffer;
    for (;;) {
      // Most stations are idle most of the time. A message read prepares a buffer of a TCP
      // frame's size before any byte arrives and holds it while waiting; reading the first
      // byte alone holds one byte instead, and the rest of the message follows at once from
      // what the WebSocket layer has already received.
      auto [ec, n] = co_await ws_.async_read_some(buffer, 1, use_tuple);
      if (!ec && !ws_.is_message_done()) {
        auto [rest_ec, rest_n] = co_await ws_.async_read(buffer, use_tuple);
        ec = rest_ec;
      }
      if (ec) {
        if (ec == websocket::error::message_too_big)
          log->warn("[{}] frame larger than {} bytes: closed with 1009", id_.str(), cfg.max_frame_bytes);
        else if (ec != websocket::error::closed && ec != asio::error::operation_aborted)
          log->info("[{}] connection lost: {}", id_.str(), ec.message());
        break;
      }
      if (ws_.got_binary() && !refused_) {
        // OCPP-J messages are text frames (RFC 6455 1003: a data type the endpoint cannot accept).
        log->warn("[{}] binary frame: closed with 1003", id_.str());
        refused_ = true;
        close_on_strand(websocket::close_code::unknown_data, "OCPP-J messages are text frames");
      }
      if (!refused_) {
        auto data = buffer.cdata();
        conn_->on_text(std::string_view(static_cast<const char *>(data.data()), data.size()));
      }
      buffer.consume(buffer.size());
      buffer.shrink_to_fit(); // and give back what the message needed
    }
  }

public:
  //! On the strand (ocpp::Connection guarantees it).
  void send(std::string frame) override {
    if (closed_ || closing_) return;
    if (outbox_.size() >= server_.deps.config.ocpp.max_write_queue) {
      core::logger("net")->warn("[{}] not reading its messages: dropped", id_.str());
      close_on_strand(websocket::close_code::policy_error, "write queue full");
      return;
    }
    outbox_.push_back(std::move(frame));
    if (!writing_) {
      writing_ = true;
      asio::co_spawn(ws_.get_executor(), write_loop(shared_from_this()), LogFailure{"[" + id_.str() + "] write"});
    }
  }

  //! ocpp::Transport: on the strand (ocpp::Connection::close posts there).
  void close(std::uint16_t code, std::string reason) override {
    close_on_strand(static_cast<websocket::close_code>(code), std::move(reason));
  }

  //! Any thread.
  void close(websocket::close_code code, std::string reason) {
    asio::post(ws_.get_executor(),
               [self = shared_from_this(), code, reason = std::move(reason)] { self->close_on_strand(code, reason); });
  }

private:
  void close_on_strand(websocket::close_code code, std::string reason) {
    if (closed_ || closing_) return;
    closing_ = true;
    close_reason_ = websocket::close_reason(code, reason);
    if (!writing_)
      asio::co_spawn(ws_.get_executor(), do_close(shared_from_this()), LogFailure{"[" + id_.str() + "] close"});
  }

  static asio::awaitable<void> do_close(std::shared_ptr<StationSession> self) {
    auto [ec] = co_await self->ws_.async_close(self->close_reason_, use_tuple);
    boost::system::error_code ignored;
    if (ec) self->ws_.next_layer().close(ignored);
  }

  static asio::awaitable<void> write_loop(std::shared_ptr<StationSession> self) {
    bool failed = false;
    try {
      while (!self->outbox_.empty() && !self->closed_) {
        auto [ec, n] = co_await self->ws_.async_write(asio::buffer(self->outbox_.front()), use_tuple);
        if (ec) {
          self->outbox_.clear();
          break;
        }
        self->outbox_.pop_front();
        if (self->closing_) break;
      }
    } catch (const std::exception &e) {
      core::logger("net")->error("[{}] write failed: {}; connection dropped", self->id_.str(), e.what());
      failed = true;
    }
    self->writing_ = false;
    if (failed) {
      // The stream's write state is unknown: end the TCP connection, which ends the read loop.
      self->outbox_.clear();
      boost::system::error_code ignored;
      self->ws_.next_layer().close(ignored);
      co_return;
    }
    if (self->closing_ && !self->closed_) co_await do_close(self);
  }

  // A plain socket under the WebSocket: its own timer covers handshake and idle timeouts, and a
  // tcp_stream's two timers and wrapper operations would cost every idle connection memory.
  websocket::stream<tcp::socket> ws_;
  Server::Impl &server_;
  StationId id_;
  core::ProtocolVersion version_;
  domain::RegistrationStatus registration_;
  std::uint64_t admitted_at_; //!< the registry epoch read before this connection's admission check
  std::shared_ptr<ocpp::Connection> conn_;
  boost::container::devector<std::string> outbox_; // unlike std::deque, allocates nothing while empty
  websocket::close_reason close_reason_;
  bool writing_ = false;
  bool closing_ = false;
  bool closed_ = false;
  bool refused_ = false;    //!< a frame was refused and the connection is closing: read nothing more
  bool registered_ = false; //!< the registry took it (it refuses one an operator changed meanwhile)
};

asio::awaitable<void> Server::Impl::listen() {
  auto log = core::logger("net");
  for (;;) {
    auto strand = asio::make_strand(ioc);
    auto [ec, socket] = co_await acceptor.async_accept(strand, use_tuple);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) co_return;
      log->warn("accept failed: {}", ec.message());
      // Out of file descriptors: back off instead of spinning.
      auto ex = co_await asio::this_coro::executor;
      asio::steady_timer pause(ex, std::chrono::milliseconds(50));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    auto ex = socket.get_executor();
    asio::co_spawn(ex, http_session(std::move(socket)), LogFailure{"HTTP session"});
  }
}

asio::awaitable<void> Server::Impl::http_session(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    stream.expires_after(std::chrono::seconds(30));
    http::request_parser<http::string_body> parser;
    parser.header_limit(8 * 1024);
    parser.body_limit(64 * 1024);
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (ec == http::error::body_limit) {
      auto res = problem(http::status::payload_too_large, "request body larger than 64 KiB", 11);
      res.keep_alive(false);
      co_await http::async_write(stream, res, use_tuple);
      break;
    }
    if (ec) break;
    auto req = parser.release();
    // The request boundary: a failure while serving it is logged with the request and answered
    // 500 problem+json, and the connection ends; the listener and other requests go on.
    std::string what = std::string(req.method_string()) + " " + std::string(req.target().substr(0, 200));
    auto version = req.version();
    std::string failure;
    bool more = false;
    try {
      more = co_await serve_request(stream, std::move(req));
    } catch (const std::exception &e) {
      failure = e.what();
    } catch (...) {
      failure = "a non-standard exception";
    }
    if (!failure.empty()) {
      core::logger("net")->error("{}: {}; answered 500", what, failure);
      auto res = problem(http::status::internal_server_error, "internal error", version);
      res.keep_alive(false);
      stream.expires_after(std::chrono::seconds(10));
      co_await http::async_write(stream, res, use_tuple); // a stream handed off is closed: nothing written
      break;
    }
    if (!more) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

//! Serves one request; true when the connection may carry another. A WebSocket upgrade or an
//! event stream takes the stream over (false).
asio::awaitable<bool> Server::Impl::serve_request(beast::tcp_stream &stream, http::request<http::string_body> req) {
  if (websocket::is_upgrade(req)) {
    stream.expires_never();
    co_await upgrade(std::move(stream), std::move(req));
    co_return false;
  }
  std::string_view target = req.target();
  if (target == "/api/v1/events" || target.substr(0, 15) == "/api/v1/events?") {
    if (req.method() == http::verb::get) {
      stream.expires_never();
      co_await event_stream(std::move(stream), std::move(req));
      co_return false;
    }
  }
  if (target.substr(0, 8) == "/api/v1/" || target == "/api/v1") {
    bool keep = req.keep_alive();
    co_await api_request(stream, req, keep);
    co_return keep;
  }
  auto res = co_await route(req);
  res.keep_alive(req.keep_alive());
  auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
  co_return !wec && req.keep_alive();
}

asio::awaitable<http::response<http::string_body>> Server::Impl::route(const http::request<http::string_body> &req) {
  auto parsed = boost::urls::parse_origin_form(req.target());
  if (!parsed) co_return problem(http::status::bad_request, "malformed request target", req.version());
  auto segments = parsed->segments();
  std::vector<std::string> parts(segments.begin(), segments.end());
  if (parts.size() == 1 && parts[0] == "health") {
    if (req.method() != http::verb::get) co_return problem(http::status::method_not_allowed, "use GET", req.version());
    std::size_t n = deps.registry.size();
    co_return json_response(http::status::ok, json::object{{"status", "ok"}, {"stations", n}}, req.version());
  }
  if (parts.size() == 4 && parts[0] == "debug" && parts[1] == "stations" && parts[3] == "call" &&
      deps.config.ocpp.debug_call_endpoint) {
    if (req.method() != http::verb::post)
      co_return problem(http::status::method_not_allowed, "use POST", req.version());
    auto id = StationId::parse(parts[2]);
    auto conn = id ? deps.registry.find(*id) : nullptr;
    if (!conn) co_return problem(http::status::not_found, "station is not connected", req.version());
    boost::system::error_code ec;
    auto body = json::parse(req.body(), ec);
    if (ec || !body.is_object() || !body.as_object().contains("action") || !body.at("action").is_string())
      co_return problem(http::status::bad_request, "body must be {\"action\": string, \"payload\": object}",
                        req.version());
    json::value payload = body.as_object().contains("payload") ? body.at("payload") : json::object{};
    std::string action(body.at("action").as_string());
    auto call = await_call(std::move(conn), std::move(action), std::move(payload));
    auto outcome = co_await std::move(call);
    static constexpr std::string_view names[] = {"result", "error", "timeout", "closed", "not_sent"};
    json::object out{{"status", names[static_cast<int>(outcome.status)]}};
    if (outcome.status == ocpp::CallOutcome::Status::Result || !outcome.payload.is_null())
      out["payload"] = outcome.payload;
    if (!outcome.error_code.empty()) out["error_code"] = outcome.error_code;
    if (!outcome.error_description.empty()) out["error_description"] = outcome.error_description;
    co_return json_response(http::status::ok, out, req.version());
  }
  co_return problem(http::status::not_found, "no such resource", req.version());
}

asio::awaitable<void> Server::Impl::upgrade(beast::tcp_stream stream, http::request<http::string_body> req) {
  auto log = core::logger("net");
  auto reject = [&](http::status status, std::string_view detail,
                    std::chrono::seconds retry_after = std::chrono::seconds{0}) -> asio::awaitable<void> {
    auto res = problem(status, detail, req.version());
    if (status == http::status::unauthorized) res.set(http::field::www_authenticate, "Basic realm=\"gridlane\"");
    if (retry_after.count() > 0) res.set(http::field::retry_after, std::to_string(retry_after.count()));
    res.keep_alive(false);
    stream.expires_after(std::chrono::seconds(10));
    co_await http::async_write(stream, res, use_tuple);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  };
  if (stopping) co_return co_await reject(http::status::service_unavailable, "server is shutting down");

  // /ocpp/{stationId}: the identity is percent-decoded and must be 1-48 characters of OCPP's
  // identifierString set without ':' (StationId::parse), so it is ASCII and valid UTF-8.
  auto parsed = boost::urls::parse_origin_form(req.target());
  std::vector<std::string> parts;
  if (parsed) parts.assign(parsed->segments().begin(), parsed->segments().end());
  if (parts.size() != 2 || parts[0] != "ocpp") co_return co_await reject(http::status::not_found, "no such endpoint");
  auto id = StationId::parse(parts[1]);
  if (!id) {
    log->warn("rejected: station identity is not 1-48 characters of a-z A-Z 0-9 * - _ = + | @ . or space");
    co_return co_await reject(http::status::bad_request,
                              "station identity must be 1-48 characters of a-z A-Z 0-9 * - _ = + | @ . or space");
  }

  // The subprotocol is chosen before anything else happens: a client that speaks no OCPP
  // version of ours is refused before admission can register it.
  std::optional<core::ProtocolVersion> version;
  if (auto proto = req.find(http::field::sec_websocket_protocol); proto != req.end())
    version = choose_subprotocol(proto->value(), deps.config.ocpp.subprotocols);
  const auto &cfg = deps.config.ocpp;
  auto accept = [&](websocket::stream<tcp::socket> &ws) -> asio::awaitable<boost::system::error_code> {
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(30);
    timeouts.idle_timeout = std::chrono::seconds(cfg.idle_timeout_s);
    timeouts.keep_alive_pings = cfg.keepalive_pings;
    ws.set_option(timeouts);
    if (cfg.permessage_deflate) {
      websocket::permessage_deflate pmd;
      pmd.server_enable = true;
      ws.set_option(pmd);
    }
    ws.read_message_max(cfg.max_frame_bytes);
    ws.set_option(websocket::stream_base::decorator([version](websocket::response_type &res) {
      res.set(http::field::server, server_name);
      if (version) res.set(http::field::sec_websocket_protocol, core::to_string(*version));
    }));
    auto [ec] = co_await ws.async_accept(req, use_tuple);
    co_return ec;
  };
  if (!version) {
    // OCPP-J: complete the handshake without Sec-WebSocket-Protocol, then close at once.
    log->warn("[{}] rejected: no supported OCPP subprotocol offered", id->str());
    websocket::stream<tcp::socket> ws(stream.release_socket());
    auto accepted = accept(ws);
    if (auto ec = co_await std::move(accepted); ec) co_return;
    websocket::close_reason reason(websocket::close_code::protocol_error, "no supported OCPP subprotocol");
    co_await ws.async_close(reason, use_tuple);
    co_return;
  }

  std::optional<std::string> password;
  if (auto auth = req.find(http::field::authorization); auth != req.end()) {
    auto creds = basic_credentials(auth->value());
    if (!creds || creds->user != id->str()) {
      log->warn("[{}] rejected: malformed Basic credentials", id->str());
      co_return co_await reject(http::status::unauthorized, "bad credentials");
    }
    password = std::move(creds->password);
  }

  std::string remote;
  {
    boost::system::error_code ec;
    auto peer = stream.socket().remote_endpoint(ec);
    if (!ec) remote = peer.address().to_string();
  }
  // Read before the admission check: an operator's change committed after this point closes the
  // connection at registration even if the check below saw the station as it was before.
  const auto admitted_at = deps.registry.epoch();
  auto start_admission = [this, station = *id, password, remote](services::Reply<services::Admission> reply) mutable {
    deps.services.stations.admit(station, std::move(password), std::move(remote), std::move(reply));
  };
  // A handshake never waits without limit for admission (password hashing, the store): the
  // hashing pool's own wait limit plus the hash itself, at least 10 s.
  const auto admission_limit = std::chrono::milliseconds(std::max(10000, deps.config.auth.hash_wait_ms + 5000));
  auto admit = await_value<services::Outcome<services::Admission>>(
      std::move(start_admission), services::Outcome<services::Admission>::failure("admission did not answer in time"),
      admission_limit);
  auto admission = co_await std::move(admit);
  if (!admission.ok()) {
    log->error("[{}] admission failed: {}", id->str(), admission.error());
    co_return co_await reject(http::status::service_unavailable, "try again later", std::chrono::seconds{1});
  }
  using Verdict = services::Admission::Verdict;
  if (admission.value().verdict == Verdict::Throttled) {
    // Debug only: a flood of these must not flood the log (the lock itself is logged once).
    log->debug("[{}] rejected: too many wrong passwords", id->str());
    co_return co_await reject(http::status::too_many_requests, "too many wrong passwords; try again later",
                              admission.value().retry_after);
  }
  if (admission.value().verdict == Verdict::Busy) {
    log->debug("[{}] rejected: password check queue full", id->str());
    co_return co_await reject(http::status::service_unavailable, "busy; try again later",
                              admission.value().retry_after);
  }
  if (admission.value().verdict == Verdict::NotFound) {
    log->info("[{}] rejected: unknown station", id->str());
    co_return co_await reject(http::status::not_found, "unknown station");
  }
  if (admission.value().verdict == Verdict::Unauthorized) {
    log->warn("[{}] rejected: wrong or missing password", id->str());
    co_return co_await reject(http::status::unauthorized, "bad credentials");
  }

  websocket::stream<tcp::socket> ws(stream.release_socket());
  auto accepted = accept(ws);
  if (auto ec = co_await std::move(accepted); ec) co_return;
  auto session = std::make_shared<StationSession>(std::move(ws), *this, *id, *version, admission.value().registration,
                                                  admitted_at);
  session->start(); // registered: the one registration point, replacing any earlier connection
  if (stopping) session->close(websocket::close_code::going_away, "server is shutting down");
  // The session runs as a coroutine of its own: this one and the HTTP session's end here, with
  // their frames, read buffer and the upgrade request, which would otherwise live as long as
  // the station stays connected. The session's own boundary logs and cleans up after failures.
  auto ex = session->executor();
  asio::co_spawn(ex, StationSession::run(std::move(session)), LogFailure{"[" + id->str() + "] session"});
}

asio::awaitable<void> Server::Impl::api_request(beast::tcp_stream &stream, http::request<http::string_body> &req,
                                                bool &keep) {
  api::Request ar;
  ar.method = std::string(req.method_string());
  auto parsed = boost::urls::parse_origin_form(req.target());
  if (!parsed) {
    auto res = problem(http::status::bad_request, "malformed request target", req.version());
    res.keep_alive(keep);
    co_await http::async_write(stream, res, use_tuple);
    co_return;
  }
  ar.path = parsed->path();
  for (auto param : parsed->params())
    ar.query[param.key] = param.value;
  ar.body = std::move(req.body());
  if (auto auth = req.find(http::field::authorization); auth != req.end()) ar.authorization = auth->value();
  boost::system::error_code ec;
  auto peer = stream.socket().remote_endpoint(ec);
  if (!ec) ar.remote = peer.address().to_string();
  auto start = [this, ar = std::move(ar)](std::function<void(api::Response)> reply) mutable {
    deps.api.handle(std::move(ar), std::move(reply));
  };
  // A request whose handler failed without answering (on whatever thread) is answered 500.
  auto pending = await_value<api::Response>(std::move(start), internal_error_response());
  auto response = co_await std::move(pending);
  http::response<http::string_body> res{static_cast<http::status>(response.status), req.version()};
  res.set(http::field::server, server_name);
  if (!response.body.empty()) res.set(http::field::content_type, response.content_type);
  for (const auto &[name, value] : response.headers)
    res.set(name, value);
  res.body() = std::move(response.body);
  res.keep_alive(keep);
  res.prepare_payload();
  auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
  if (wec) keep = false;
}

//! Resolves a bearer credential through the API: the principal, or the error response to send.
//! A check that does not answer within 10 s counts as a failure (503).
asio::awaitable<std::pair<std::optional<domain::Principal>, api::Response>>
Server::Impl::authenticate(std::string authorization) {
  using Verdict = std::pair<std::optional<domain::Principal>, api::Response>;
  auto start = [this, authorization = std::move(authorization)](std::function<void(Verdict)> reply) {
    deps.api.authenticate(authorization, [reply](std::optional<domain::Principal> who, api::Response error) {
      reply({std::move(who), std::move(error)});
    });
  };
  api::Response unavailable;
  unavailable.status = 503;
  unavailable.content_type = "application/problem+json";
  unavailable.body = core::to_json_text(json::object{
      {"type", "about:blank"}, {"title", "Service Unavailable"}, {"status", 503}, {"detail", "try again later"}});
  auto pending = await_value<Verdict>(std::move(start), Verdict{std::nullopt, std::move(unavailable)},
                                      std::chrono::milliseconds(std::chrono::seconds(10)));
  co_return co_await std::move(pending);
}

//! GET /api/v1/events[?station=ID]: Server-Sent Events of the domain events. Each consumer has
//! a bounded queue; one that does not keep up is disconnected, never the server slowed. The
//! credential is checked again every `credential_recheck`: a stream ends (after an `end` event)
//! once its token is logged out or expired, its API key revoked, its user disabled, or its role
//! changed.
asio::awaitable<void> Server::Impl::event_stream(beast::tcp_stream stream, http::request<http::string_body> req) {
  constexpr auto credential_recheck = std::chrono::seconds(5);
  std::string authorization;
  if (auto auth = req.find(http::field::authorization); auth != req.end()) authorization = auth->value();
  auto first = authenticate(authorization);
  auto [who, error] = co_await std::move(first);
  if (!who) {
    http::response<http::string_body> res{static_cast<http::status>(error.status), req.version()};
    res.set(http::field::content_type, error.content_type);
    for (const auto &[name, value] : error.headers)
      res.set(name, value);
    res.body() = error.body;
    res.prepare_payload();
    res.keep_alive(false);
    co_await http::async_write(stream, res, use_tuple);
    co_return;
  }
  const domain::Principal principal = *who;
  std::optional<std::string> only_station;
  if (auto parsed = boost::urls::parse_origin_form(req.target())) {
    for (auto param : parsed->params()) {
      if (param.key == "station") only_station = param.value;
    }
  }
  struct Feed {
    explicit Feed(const asio::any_io_executor &ex) : wake(ex) {}
    std::mutex mutex;
    std::deque<std::string> queue;
    bool overflow = false;
    asio::steady_timer wake;
  };
  constexpr std::size_t max_queued = 1024;
  auto ex = co_await asio::this_coro::executor;
  auto feed = std::make_shared<Feed>(ex);
  std::weak_ptr<Feed> weak = feed;
  // Runs on the publisher's thread: it must not throw into the publisher.
  auto subscription = deps.bus.subscribe([weak, only_station](const domain::Event &e) {
    if (only_station && domain::station_of(e).str() != *only_station) return;
    auto f = weak.lock();
    if (!f) return;
    std::string frame = api::sse_frame(e);
    {
      std::lock_guard lock{f->mutex};
      if (f->queue.size() >= max_queued)
        f->overflow = true;
      else
        f->queue.push_back(std::move(frame));
    }
    asio::post(f->wake.get_executor(), [f] { f->wake.cancel(); });
  });
  std::string head = "HTTP/1.1 200 OK\r\nServer: gridlane\r\nContent-Type: text/event-stream\r\n"
                     "Cache-Control: no-cache\r\nConnection: close\r\n\r\n: connected\n\n";
  auto [hec, hn] = co_await asio::async_write(stream.socket(), asio::buffer(head), use_tuple);
  if (hec) co_return;
  auto next_check = std::chrono::steady_clock::now() + credential_recheck;
  auto next_ping = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!stopping) {
    if (std::chrono::steady_clock::now() >= next_check) {
      auto again = authenticate(authorization);
      auto [now_who, now_error] = co_await std::move(again);
      // A check that could not be made (503) keeps the stream; a refused or changed credential ends it.
      if (now_error.status != 503 &&
          (!now_who || now_who->actor != principal.actor || now_who->role != principal.role)) {
        core::logger("net")->info("event stream of {} ended: credentials no longer valid", principal.actor);
        static const std::string end = "event: end\ndata: {\"reason\":\"credentials no longer valid\"}\n\n";
        stream.expires_after(std::chrono::seconds(5));
        co_await asio::async_write(stream, asio::buffer(end), use_tuple);
        break;
      }
      next_check = std::chrono::steady_clock::now() + credential_recheck;
    }
    std::deque<std::string> batch;
    bool overflow;
    {
      std::lock_guard lock{feed->mutex};
      batch.swap(feed->queue);
      overflow = feed->overflow;
    }
    if (overflow) {
      core::logger("net")->warn("event stream consumer too slow: disconnected");
      break;
    }
    if (batch.empty()) {
      // Nothing to send: wait for an event, the next credential check, or the keep-alive
      // comment every 15 s that keeps proxies open.
      feed->wake.expires_at(std::min(next_check, next_ping));
      auto [wec] = co_await feed->wake.async_wait(use_tuple);
      if (!wec && std::chrono::steady_clock::now() >= next_ping) {
        static const std::string ping = ": keepalive\n\n";
        stream.expires_after(std::chrono::seconds(30));
        auto [pec, pn] = co_await asio::async_write(stream, asio::buffer(ping), use_tuple);
        stream.expires_never();
        if (pec) break;
        next_ping = std::chrono::steady_clock::now() + std::chrono::seconds(15);
      }
      continue;
    }
    std::string out;
    for (auto &f : batch)
      out += f;
    stream.expires_after(std::chrono::seconds(30)); // a consumer that stops reading is dropped
    auto [wec, wn] = co_await stream.async_write_some(asio::buffer(out), use_tuple);
    if (wec) break;
    if (wn < out.size()) {
      auto rest = out.substr(wn);
      auto [rec, rn] = co_await asio::async_write(stream, asio::buffer(rest), use_tuple);
      if (rec) break;
    }
    stream.expires_never();
  }
  subscription.reset();
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> Server::Impl::drain_and_stop() {
  // Give stations a moment to receive their last answers and close frames, then stop.
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer timer(ex);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    if (deps.registry.size() == 0) break;
    if (std::chrono::steady_clock::now() >= deadline) break;
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(use_tuple);
  }
  ioc.stop();
}

Server::Server(ServerDeps deps) : impl_(std::make_unique<Impl>(std::move(deps))) {}

Server::~Server() = default;

std::string Server::bind() {
  const auto &cfg = impl_->deps.config.server;
  tcp::endpoint ep{asio::ip::make_address(cfg.host), cfg.port};
  auto &acc = impl_->acceptor;
  acc.open(ep.protocol());
  acc.set_option(asio::socket_base::reuse_address(true));
  acc.bind(ep);
  acc.listen(asio::socket_base::max_listen_connections);
  auto local = acc.local_endpoint();
  auto host = local.address().to_string();
  if (local.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(local.port());
}

void Server::run() {
  asio::signal_set signals(impl_->ioc, SIGINT, SIGTERM);
  signals.async_wait([this](boost::system::error_code ec, int sig) {
    if (ec) return;
    core::logger("net")->info("signal {}: shutting down", sig);
    shutdown();
  });
  asio::co_spawn(impl_->acceptor.get_executor(), impl_->listen(), LogFailure{"listener"});
  // The worker-thread boundary: a completion handler that throws is logged and the thread goes
  // back to work; it never takes the process down.
  auto work = [this] {
    for (;;) {
      try {
        impl_->ioc.run();
        return;
      } catch (const std::exception &e) {
        core::logger("net")->error("a network handler failed: {}", e.what());
      } catch (...) {
        core::logger("net")->error("a network handler failed with a non-standard exception");
      }
    }
  };
  std::vector<std::thread> threads;
  int count = impl_->deps.config.server.threads;
  if (count == 0) count = std::clamp(static_cast<int>(std::thread::hardware_concurrency()) - 1, 1, 16);
  for (int i = 1; i < count; ++i)
    threads.emplace_back(work);
  work();
  for (auto &t : threads)
    t.join();
}

void Server::shutdown() {
  if (impl_->stopping.exchange(true)) return;
  asio::post(impl_->ioc, [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
    impl->deps.registry.close_all(static_cast<std::uint16_t>(websocket::close_code::going_away),
                                  "server is shutting down");
    asio::co_spawn(impl->ioc, impl->drain_and_stop(), LogFailure{"shutdown"});
  });
}

std::size_t Server::station_count() const {
  return impl_->deps.registry.size();
}

} // namespace gridlane::net
