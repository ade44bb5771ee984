#include "gridlane/net/server.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/container/devector.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

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

//! Awaits any callback-style operation delivering a T, on the caller's executor.
template <class T, class Start> asio::awaitable<T> await_value(Start start) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(T)>(
      [](auto handler, Start start) {
        auto ex = asio::get_associated_executor(handler);
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        start([h, ex](T value) { asio::post(ex, [h, value = std::move(value)]() mutable { (*h)(std::move(value)); }); });
      },
      asio::use_awaitable, std::move(start));
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
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

//! The first of the server's subprotocols, in its order of preference, that the station offers.
std::optional<core::ProtocolVersion> choose_subprotocol(std::string_view offered,
                                                        const std::vector<std::string>& preference) {
  std::vector<std::string_view> tokens;
  while (!offered.empty()) {
    auto comma = offered.find(',');
    tokens.push_back(trim(offered.substr(0, comma)));
    offered = comma == std::string_view::npos ? std::string_view{} : offered.substr(comma + 1);
  }
  for (const auto& wanted : preference) {
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

http::response<http::string_body> json_response(http::status status, const json::value& body, unsigned version,
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

} // namespace

class StationSession;

struct Server::Impl {
  explicit Impl(ServerDeps d) : deps(std::move(d)), acceptor(ioc) {}

  ServerDeps deps;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  mutable std::mutex mutex;
  std::unordered_map<StationId, std::shared_ptr<StationSession>> stations;

  asio::awaitable<void> listen();
  asio::awaitable<void> http_session(tcp::socket socket);
  asio::awaitable<void> upgrade(beast::tcp_stream stream, http::request<http::string_body> req);
  asio::awaitable<http::response<http::string_body>> route(const http::request<http::string_body>& req);
  asio::awaitable<void> drain_and_stop();
  asio::awaitable<void> api_request(beast::tcp_stream& stream, http::request<http::string_body>& req, bool& keep);
  asio::awaitable<void> event_stream(beast::tcp_stream stream, http::request<http::string_body> req);
  void publish(const std::string& type, const StationId& station, std::string data) {
    deps.bus.publish(domain::Event{type, station, std::move(data),
                                   std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now())});
  }
  void register_station(const std::shared_ptr<StationSession>& s);
  void unregister_station(const StationId& id, const StationSession* s);
  std::shared_ptr<StationSession> find_station(const StationId& id) const;
};

//! A station's WebSocket: one strand, one reader, a bounded queue of outgoing frames.
class StationSession final : public ocpp::Transport, public std::enable_shared_from_this<StationSession> {
public:
  StationSession(websocket::stream<tcp::socket> ws, Server::Impl& server, StationId id,
                 core::ProtocolVersion version, domain::RegistrationStatus registration)
      : ws_(std::move(ws)), server_(server), id_(std::move(id)), version_(version), registration_(registration) {}

  const StationId& id() const { return id_; }
  std::shared_ptr<ocpp::Connection> connection() const { return conn_; }

  asio::any_io_executor executor() { return ws_.get_executor(); }

  static asio::awaitable<void> run(std::shared_ptr<StationSession> self) { co_await self->serve(); }

private:
  asio::awaitable<void> serve() {
    const auto& cfg = server_.deps.config.ocpp;
    const auto& catalog = version_ == core::ProtocolVersion::Ocpp16    ? server_.deps.catalog16
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
    auto log = core::logger("net");
    log->info("[{}] connected ({})", id_.str(), core::to_string(version_));
    server_.deps.registry.add(conn_);
    server_.publish("station.connected", id_,
                    json::serialize(json::object{{"protocol", core::to_string(version_)}}));
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
      auto data = buffer.cdata();
      conn_->on_text(std::string_view(static_cast<const char*>(data.data()), data.size()));
      buffer.consume(buffer.size());
      buffer.shrink_to_fit(); // and give back what the message needed
    }
    closed_ = true;
    outbox_.clear();
    conn_->on_closed();
    server_.deps.registry.remove(conn_.get());
    server_.unregister_station(id_, this);
    server_.publish("station.disconnected", id_, "{}");
    log->info("[{}] disconnected", id_.str());
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
      asio::co_spawn(ws_.get_executor(), write_loop(shared_from_this()), asio::detached);
    }
  }

  //! ocpp::Transport: on the strand (ocpp::Connection::close posts there).
  void close(std::uint16_t code, std::string reason) override {
    close_on_strand(static_cast<websocket::close_code>(code), std::move(reason));
  }

  //! Any thread.
  void close(websocket::close_code code, std::string reason) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)] {
      self->close_on_strand(code, reason);
    });
  }

private:
  void close_on_strand(websocket::close_code code, std::string reason) {
    if (closed_ || closing_) return;
    closing_ = true;
    close_reason_ = websocket::close_reason(code, reason);
    if (!writing_) asio::co_spawn(ws_.get_executor(), do_close(shared_from_this()), asio::detached);
  }

  static asio::awaitable<void> do_close(std::shared_ptr<StationSession> self) {
    auto [ec] = co_await self->ws_.async_close(self->close_reason_, use_tuple);
    boost::system::error_code ignored;
    if (ec) self->ws_.next_layer().close(ignored);
  }

  static asio::awaitable<void> write_loop(std::shared_ptr<StationSession> self) {
    while (!self->outbox_.empty() && !self->closed_) {
      auto [ec, n] = co_await self->ws_.async_write(asio::buffer(self->outbox_.front()), use_tuple);
      if (ec) {
        self->outbox_.clear();
        break;
      }
      self->outbox_.pop_front();
      if (self->closing_) break;
    }
    self->writing_ = false;
    if (self->closing_ && !self->closed_) co_await do_close(self);
  }

  // A plain socket under the WebSocket: its own timer covers handshake and idle timeouts, and a
  // tcp_stream's two timers and wrapper operations would cost every idle connection memory.
  websocket::stream<tcp::socket> ws_;
  Server::Impl& server_;
  StationId id_;
  core::ProtocolVersion version_;
  domain::RegistrationStatus registration_;
  std::shared_ptr<ocpp::Connection> conn_;
  boost::container::devector<std::string> outbox_; // unlike std::deque, allocates nothing while empty
  websocket::close_reason close_reason_;
  bool writing_ = false;
  bool closing_ = false;
  bool closed_ = false;
};

void Server::Impl::register_station(const std::shared_ptr<StationSession>& s) {
  std::shared_ptr<StationSession> previous;
  {
    std::lock_guard lock{mutex};
    auto& slot = stations[s->id()];
    previous = std::exchange(slot, s);
  }
  // A station that reconnects while its old connection still looks open (a half-open TCP
  // connection after a network drop) gets the new one; the old one is closed.
  if (previous) previous->close(websocket::close_code::policy_error, "replaced by a new connection");
}

void Server::Impl::unregister_station(const StationId& id, const StationSession* s) {
  std::lock_guard lock{mutex};
  if (auto it = stations.find(id); it != stations.end() && it->second.get() == s) stations.erase(it);
}

std::shared_ptr<StationSession> Server::Impl::find_station(const StationId& id) const {
  std::lock_guard lock{mutex};
  auto it = stations.find(id);
  return it == stations.end() ? nullptr : it->second;
}

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
    asio::co_spawn(ex, http_session(std::move(socket)), asio::detached);
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
    if (websocket::is_upgrade(req)) {
      stream.expires_never();
      co_await upgrade(std::move(stream), std::move(req));
      co_return;
    }
    std::string_view target = req.target();
    if (target == "/api/v1/events" || target.substr(0, 15) == "/api/v1/events?") {
      if (req.method() == http::verb::get) {
        stream.expires_never();
        co_await event_stream(std::move(stream), std::move(req));
        co_return;
      }
    }
    if (target.substr(0, 8) == "/api/v1/" || target == "/api/v1") {
      bool keep = req.keep_alive();
      co_await api_request(stream, req, keep);
      if (!keep) break;
      continue;
    }
    auto res = co_await route(req);
    res.keep_alive(req.keep_alive());
    auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
    if (wec || !req.keep_alive()) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<http::response<http::string_body>> Server::Impl::route(const http::request<http::string_body>& req) {
  auto parsed = boost::urls::parse_origin_form(req.target());
  if (!parsed) co_return problem(http::status::bad_request, "malformed request target", req.version());
  auto segments = parsed->segments();
  std::vector<std::string> parts(segments.begin(), segments.end());
  if (parts.size() == 1 && parts[0] == "health") {
    if (req.method() != http::verb::get) co_return problem(http::status::method_not_allowed, "use GET", req.version());
    std::size_t n;
    {
      std::lock_guard lock{mutex};
      n = stations.size();
    }
    co_return json_response(http::status::ok, json::object{{"status", "ok"}, {"stations", n}}, req.version());
  }
  if (parts.size() == 4 && parts[0] == "debug" && parts[1] == "stations" && parts[3] == "call" &&
      deps.config.ocpp.debug_call_endpoint) {
    if (req.method() != http::verb::post) co_return problem(http::status::method_not_allowed, "use POST", req.version());
    auto id = StationId::parse(parts[2]);
    auto session = id ? find_station(*id) : nullptr;
    if (!session) co_return problem(http::status::not_found, "station is not connected", req.version());
    boost::system::error_code ec;
    auto body = json::parse(req.body(), ec);
    if (ec || !body.is_object() || !body.as_object().contains("action") || !body.at("action").is_string())
      co_return problem(http::status::bad_request, "body must be {\"action\": string, \"payload\": object}", req.version());
    json::value payload = body.as_object().contains("payload") ? body.at("payload") : json::object{};
    auto conn = session->connection();
    std::string action(body.at("action").as_string());
    auto call = await_call(std::move(conn), std::move(action), std::move(payload));
    auto outcome = co_await std::move(call);
    static constexpr std::string_view names[] = {"result", "error", "timeout", "closed", "not_sent"};
    json::object out{{"status", names[static_cast<int>(outcome.status)]}};
    if (outcome.status == ocpp::CallOutcome::Status::Result || !outcome.payload.is_null()) out["payload"] = outcome.payload;
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

  // /ocpp/{stationId}: the identity is percent-decoded; OCPP-J limits it to 48 characters, no ':'.
  auto parsed = boost::urls::parse_origin_form(req.target());
  std::vector<std::string> parts;
  if (parsed) parts.assign(parsed->segments().begin(), parsed->segments().end());
  if (parts.size() != 2 || parts[0] != "ocpp") co_return co_await reject(http::status::not_found, "no such endpoint");
  auto id = StationId::parse(parts[1]);
  if (!id) co_return co_await reject(http::status::bad_request, "station identity must be 1-48 characters without ':'");

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
  auto start_admission = [this, station = *id, password, remote](services::Reply<services::Admission> reply) mutable {
    deps.services.stations.admit(station, std::move(password), std::move(remote), std::move(reply));
  };
  auto admit = await_value<services::Outcome<services::Admission>>(std::move(start_admission));
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
    co_return co_await reject(http::status::service_unavailable, "busy; try again later", admission.value().retry_after);
  }
  if (admission.value().verdict == Verdict::NotFound) {
    log->info("[{}] rejected: unknown station", id->str());
    co_return co_await reject(http::status::not_found, "unknown station");
  }
  if (admission.value().verdict == Verdict::Unauthorized) {
    log->warn("[{}] rejected: wrong or missing password", id->str());
    co_return co_await reject(http::status::unauthorized, "bad credentials");
  }

  std::optional<core::ProtocolVersion> version;
  if (auto proto = req.find(http::field::sec_websocket_protocol); proto != req.end())
    version = choose_subprotocol(proto->value(), deps.config.ocpp.subprotocols);

  const auto& cfg = deps.config.ocpp;
  websocket::stream<tcp::socket> ws(stream.release_socket());
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
  ws.set_option(websocket::stream_base::decorator([version](websocket::response_type& res) {
    res.set(http::field::server, server_name);
    if (version) res.set(http::field::sec_websocket_protocol, core::to_string(*version));
  }));
  auto [ec] = co_await ws.async_accept(req, use_tuple);
  if (ec) co_return;
  if (!version) {
    // OCPP-J: complete the handshake without Sec-WebSocket-Protocol, then close at once.
    log->warn("[{}] rejected: no supported OCPP subprotocol offered", id->str());
    websocket::close_reason reason(websocket::close_code::protocol_error, "no supported OCPP subprotocol");
    co_await ws.async_close(reason, use_tuple);
    co_return;
  }
  auto session = std::make_shared<StationSession>(std::move(ws), *this, *id, *version, admission.value().registration);
  register_station(session);
  if (stopping) session->close(websocket::close_code::going_away, "server is shutting down");
  // The session runs as a coroutine of its own: this one and the HTTP session's end here, with
  // their frames, read buffer and the upgrade request, which would otherwise live as long as
  // the station stays connected.
  auto ex = session->executor();
  asio::co_spawn(ex, StationSession::run(std::move(session)), asio::detached);
}

asio::awaitable<void> Server::Impl::api_request(beast::tcp_stream& stream, http::request<http::string_body>& req,
                                                bool& keep) {
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
  for (auto param : parsed->params()) ar.query[param.key] = param.value;
  ar.body = std::move(req.body());
  if (auto auth = req.find(http::field::authorization); auth != req.end()) ar.authorization = auth->value();
  boost::system::error_code ec;
  auto peer = stream.socket().remote_endpoint(ec);
  if (!ec) ar.remote = peer.address().to_string();
  auto start = [this, ar = std::move(ar)](std::function<void(api::Response)> reply) mutable {
    deps.api.handle(std::move(ar), std::move(reply));
  };
  auto pending = await_value<api::Response>(std::move(start));
  auto response = co_await std::move(pending);
  http::response<http::string_body> res{static_cast<http::status>(response.status), req.version()};
  res.set(http::field::server, server_name);
  if (!response.body.empty()) res.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) res.set(name, value);
  res.body() = std::move(response.body);
  res.keep_alive(keep);
  res.prepare_payload();
  auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
  if (wec) keep = false;
}

//! GET /api/v1/events[?station=ID]: Server-Sent Events of the domain events. Each consumer has
//! a bounded queue; one that does not keep up is disconnected, never the server slowed.
asio::awaitable<void> Server::Impl::event_stream(beast::tcp_stream stream, http::request<http::string_body> req) {
  std::string authorization;
  if (auto auth = req.find(http::field::authorization); auth != req.end()) authorization = auth->value();
  auto start = [this, authorization](std::function<void(std::pair<std::optional<domain::Principal>, api::Response>)> reply) {
    deps.api.authenticate(authorization, [reply](std::optional<domain::Principal> who, api::Response error) {
      reply({std::move(who), std::move(error)});
    });
  };
  auto pending = await_value<std::pair<std::optional<domain::Principal>, api::Response>>(std::move(start));
  auto [who, error] = co_await std::move(pending);
  if (!who) {
    http::response<http::string_body> res{static_cast<http::status>(error.status), req.version()};
    res.set(http::field::content_type, error.content_type);
    for (const auto& [name, value] : error.headers) res.set(name, value);
    res.body() = error.body;
    res.prepare_payload();
    res.keep_alive(false);
    co_await http::async_write(stream, res, use_tuple);
    co_return;
  }
  std::optional<std::string> only_station;
  if (auto parsed = boost::urls::parse_origin_form(req.target())) {
    for (auto param : parsed->params()) {
      if (param.key == "station") only_station = param.value;
    }
  }
  struct Feed {
    explicit Feed(const asio::any_io_executor& ex) : wake(ex) {}
    std::mutex mutex;
    std::deque<std::string> queue;
    bool overflow = false;
    asio::steady_timer wake;
  };
  constexpr std::size_t max_queued = 1024;
  auto ex = co_await asio::this_coro::executor;
  auto feed = std::make_shared<Feed>(ex);
  std::weak_ptr<Feed> weak = feed;
  auto subscription = deps.bus.subscribe([weak, only_station](const domain::Event& e) {
    if (only_station && e.station.str() != *only_station) return;
    auto f = weak.lock();
    if (!f) return;
    std::string frame = "event: " + e.type + "\ndata: " +
                        core::to_json_text(json::object{{"type", e.type},
                                                     {"station_id", e.station.str()},
                                                     {"at", core::format_iso8601(e.at)},
                                                     {"data", json::parse(e.data)}}) +
                        "\n\n";
    {
      std::lock_guard lock{f->mutex};
      if (f->queue.size() >= max_queued) f->overflow = true;
      else f->queue.push_back(std::move(frame));
    }
    asio::post(f->wake.get_executor(), [f] { f->wake.cancel(); });
  });
  std::string head = "HTTP/1.1 200 OK\r\nServer: gridlane\r\nContent-Type: text/event-stream\r\n"
                     "Cache-Control: no-cache\r\nConnection: close\r\n\r\n: connected\n\n";
  auto [hec, hn] = co_await asio::async_write(stream.socket(), asio::buffer(head), use_tuple);
  if (hec) co_return;
  while (!stopping) {
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
      // Nothing to send: wait for an event, or send a comment every 15 s to keep proxies open.
      feed->wake.expires_after(std::chrono::seconds(15));
      auto [wec] = co_await feed->wake.async_wait(use_tuple);
      if (!wec) {
        static const std::string ping = ": keepalive\n\n";
        auto [pec, pn] = co_await asio::async_write(stream.socket(), asio::buffer(ping), use_tuple);
        if (pec) break;
      }
      continue;
    }
    std::string out;
    for (auto& f : batch) out += f;
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
    {
      std::lock_guard lock{mutex};
      if (stations.empty()) break;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(use_tuple);
  }
  ioc.stop();
}

Server::Server(ServerDeps deps) : impl_(std::make_unique<Impl>(std::move(deps))) {}

Server::~Server() = default;

std::string Server::bind() {
  const auto& cfg = impl_->deps.config.server;
  tcp::endpoint ep{asio::ip::make_address(cfg.host), cfg.port};
  auto& acc = impl_->acceptor;
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
  asio::co_spawn(impl_->acceptor.get_executor(), impl_->listen(), asio::detached);
  std::vector<std::thread> threads;
  int count = impl_->deps.config.server.threads;
  if (count == 0) count = std::clamp(static_cast<int>(std::thread::hardware_concurrency()) - 1, 1, 16);
  for (int i = 1; i < count; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::shutdown() {
  if (impl_->stopping.exchange(true)) return;
  asio::post(impl_->ioc, [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
    std::vector<std::shared_ptr<StationSession>> open;
    {
      std::lock_guard lock{impl->mutex};
      for (auto& [id, s] : impl->stations) open.push_back(s);
    }
    for (auto& s : open) s->close(websocket::close_code::going_away, "server is shutting down");
    asio::co_spawn(impl->ioc, impl->drain_and_stop(), asio::detached);
  });
}

std::size_t Server::station_count() const {
  std::lock_guard lock{impl_->mutex};
  return impl_->stations.size();
}

} // namespace gridlane::net
