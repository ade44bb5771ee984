// The station side: /ocpp/{stationId} WebSocket handshakes (subprotocol, Basic credentials,
// admission) and each admitted station's session (one strand, one reader, a bounded queue of
// outgoing frames). The Connection comes from the injected session factory; the station
// service is told when the station connects and disconnects.
#include <boost/beast/websocket.hpp>
#include <boost/container/devector.hpp>
#include <boost/url.hpp>

#include "gridlane/core/base64.hpp"
#include "internal.hpp"

namespace gridlane::net {
namespace websocket = beast::websocket;
using core::StationId;

namespace {

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

} // namespace

//! A station's WebSocket: one strand, one reader, a bounded queue of outgoing frames.
class StationSession final : public ocpp::Transport, public std::enable_shared_from_this<StationSession> {
public:
  StationSession(websocket::stream<tcp::socket> ws, Server::Impl &server, StationId id, core::ProtocolVersion version,
                 domain::RegistrationStatus registration, std::uint64_t admitted_at)
      : ws_(std::move(ws)), server_(server), id_(std::move(id)), version_(version), registration_(registration),
        admitted_at_(admitted_at), log_(core::Component::Net, id_.str()) {}

  const StationId &id() const { return id_; }

  asio::any_io_executor executor() { return ws_.get_executor(); }

  //! Has the session factory build the station's Connection and makes it the station's
  //! registered connection (which closes any earlier one). On the session's strand, before run().
  void start() {
    conn_ = server_.deps.sessions(ocpp::SessionStart{ws_.get_executor(), id_, version_, registration_, *this});
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
    // A pong is hearing from the station (docs/operations.md, "Availability and uptime"). The
    // callback runs within this session's reads, on its strand; the session owns the stream.
    if (registered_)
      ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
        if (kind != websocket::frame_type::pong) return;
        try {
          server_.deps.stations.answered_ping({id_, version_});
        } catch (const std::exception &e) {
          log_.warn("noting a ping answer failed: {}", e.what());
        }
      });
  }

  static asio::awaitable<void> run(std::shared_ptr<StationSession> self) { co_await self->serve(); }

private:
  //! The session boundary: whatever escapes the read loop is logged with the station id, the
  //! connection is closed with 1011, and the cleanup below always runs.
  asio::awaitable<void> serve() {
    bool failed = false;
    try {
      if (registered_) {
        log_.info("connected ({})", core::to_string(version_));
        boost::system::error_code ec;
        auto peer = ws_.next_layer().remote_endpoint(ec);
        server_.deps.stations.connected(id_, version_, ec ? std::nullopt : std::optional{peer.address().to_string()});
      } else {
        log_.info("refused at registration: changed by an operator during its handshake");
      }
      co_await read_loop();
    } catch (const std::exception &e) {
      log_.error("session failed: {}; closing with 1011", e.what());
      failed = true;
    } catch (...) {
      log_.error("session failed with a non-standard exception; closing with 1011");
      failed = true;
    }
    // A close already under way ends the socket itself (within the WebSocket timeout).
    if (failed) close_on_strand(websocket::close_code::internal_error, "internal error");
    closed_ = true;
    outbox_.clear();
    try {
      conn_->on_closed();
    } catch (const std::exception &e) {
      log_.error("failing pending calls failed: {}", e.what());
    }
    server_.deps.registry.remove(conn_.get());
    if (registered_) {
      server_.deps.stations.disconnected(id_);
      log_.info("disconnected");
    }
  }

  asio::awaitable<void> read_loop() {
    const auto &cfg = server_.deps.config.ocpp;
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
          log_.warn("frame larger than {} bytes: closed with 1009", cfg.max_frame_bytes);
        else if (ec != websocket::error::closed && ec != asio::error::operation_aborted)
          log_.info("connection lost: {}", ec.message());
        break;
      }
      if (ws_.got_binary() && !refused_) {
        // OCPP-J messages are text frames (RFC 6455 1003: a data type the endpoint cannot accept).
        log_.warn("binary frame: closed with 1003");
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
      log_.warn("not reading its messages: dropped");
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
    close_on_strand(static_cast<websocket::close_code>(code), reason);
  }

  //! Any thread.
  void close(websocket::close_code code, std::string reason) {
    asio::post(ws_.get_executor(),
               [self = shared_from_this(), code, reason = std::move(reason)] { self->close_on_strand(code, reason); });
  }

private:
  void close_on_strand(websocket::close_code code, const std::string &reason) {
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
      self->log_.error("write failed: {}; connection dropped", e.what());
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
  core::StationLog log_;    //!< "[<station>] ..." lines of the net component
};

//! /ocpp/{stationId}: a station's WebSocket handshake takes the connection over; any other
//! request there is answered 404.
asio::awaitable<bool> Server::Impl::serve_station(beast::tcp_stream &http_stream, Request &http_req) {
  if (!websocket::is_upgrade(http_req)) {
    auto res = problem(http::status::not_found, "no such resource", http_req.version());
    res.keep_alive(http_req.keep_alive());
    auto [wec, wn] = co_await http::async_write(http_stream, res, use_tuple);
    co_return !wec && http_req.keep_alive();
  }
  http_stream.expires_never();
  co_await station_handshake(std::move(http_stream), std::move(http_req));
  co_return false;
}

asio::awaitable<void> Server::Impl::station_handshake(beast::tcp_stream stream, Request req) {
  auto &log = net_log();
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
    log.warn("rejected: station identity is not 1-48 characters of a-z A-Z 0-9 * - _ = + | @ . or space");
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
    log.warn("[{}] rejected: no supported OCPP subprotocol offered", id->str());
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
      log.warn("[{}] rejected: malformed Basic credentials", id->str());
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
    deps.stations.admit(station, std::move(password), std::move(remote), std::move(reply));
  };
  // A handshake never waits without limit for admission (password hashing, the store): the
  // hashing pool's own wait limit plus the hash itself, at least 10 s.
  const auto admission_limit = std::chrono::milliseconds(std::max(10000, deps.config.auth.hash_wait_ms + 5000));
  auto admit = await_value<services::Outcome<services::Admission>>(
      std::move(start_admission), services::Outcome<services::Admission>::failure("admission did not answer in time"),
      admission_limit);
  auto admission = co_await std::move(admit);
  if (!admission.ok()) {
    log.error("[{}] admission failed: {}", id->str(), admission.error());
    co_return co_await reject(http::status::service_unavailable, "try again later", std::chrono::seconds{1});
  }
  using Verdict = services::Admission::Verdict;
  if (admission.value().verdict == Verdict::Throttled) {
    // Debug only: a flood of these must not flood the log (the lock itself is logged once).
    log.debug("[{}] rejected: too many wrong passwords", id->str());
    co_return co_await reject(http::status::too_many_requests, "too many wrong passwords; try again later",
                              admission.value().retry_after);
  }
  if (admission.value().verdict == Verdict::Busy) {
    log.debug("[{}] rejected: password check queue full", id->str());
    co_return co_await reject(http::status::service_unavailable, "busy; try again later",
                              admission.value().retry_after);
  }
  if (admission.value().verdict == Verdict::NotFound) {
    log.info("[{}] rejected: unknown station", id->str());
    co_return co_await reject(http::status::not_found, "unknown station");
  }
  if (admission.value().verdict == Verdict::Unauthorized) {
    log.warn("[{}] rejected: wrong or missing password", id->str());
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

} // namespace gridlane::net
