// The listener and the HTTP session: accepting connections, reading requests, and handing each
// to the mount of its path; the small mounts (/health, the debug call endpoint, the API).
#include <algorithm>
#include <array>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <map>
#include <thread>

#include "gridlane/api/api.hpp"
#include "gridlane/api/problem.hpp"
#include "gridlane/core/json_text.hpp"
#include "internal.hpp"

namespace gridlane::net {
namespace json = boost::json;
namespace websocket = beast::websocket;
using core::StationId;

Reply problem(http::status status, std::string_view detail, unsigned version) {
  Reply res{status, version};
  res.set(http::field::server, server_name);
  res.set(http::field::content_type, "application/problem+json");
  res.body() = api::problem_response(static_cast<int>(status), detail).body;
  res.prepare_payload();
  return res;
}

Reply to_http(api::Response response, unsigned version) {
  Reply res{static_cast<http::status>(response.status), version};
  res.set(http::field::server, server_name);
  if (!response.body.empty()) res.set(http::field::content_type, response.content_type);
  for (const auto &[name, value] : response.headers)
    res.set(name, value);
  res.body() = std::move(response.body);
  res.prepare_payload();
  return res;
}

namespace {

//! The OCPI form of an answer (the envelope is its body), with the Server header.
Reply ocpi_http(ocpi::Response response, unsigned version) {
  Reply res{static_cast<http::status>(response.status), version};
  res.set(http::field::server, server_name);
  if (!response.body.empty()) res.set(http::field::content_type, "application/json");
  for (const auto &[name, value] : response.headers)
    res.set(name, value);
  res.body() = std::move(response.body);
  res.prepare_payload();
  return res;
}

core::Timestamp wall_now() {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

//! An OCPI request whose body is over the cap: the envelope, 413.
Reply ocpi_too_large(unsigned version) {
  return ocpi_http(ocpi::failure(ocpi::StatusCode::ClientError, "request body larger than 64 KiB", wall_now(), 413),
                   version);
}

Reply json_response(http::status status, const json::value &body, unsigned version) {
  Reply res{status, version};
  res.set(http::field::server, server_name);
  res.set(http::field::content_type, "application/json");
  res.body() = core::to_json_text(body);
  res.prepare_payload();
  return res;
}

//! Awaits an outbound CALL's outcome (delivered on the station's strand) on the caller's executor.
asio::awaitable<ocpp::CallOutcome> await_call(std::shared_ptr<ocpp::Connection> conn, std::string action,
                                              json::value payload) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(ocpp::CallOutcome)>(
      [](auto handler, const std::shared_ptr<ocpp::Connection> &conn, const std::string &action,
         const json::value &payload) {
        auto ex = asio::get_associated_executor(handler);
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        conn->call(action, payload, [h, ex](ocpp::CallOutcome o) {
          asio::post(ex, [h, o = std::move(o)]() mutable { (*h)(std::move(o)); });
        });
      },
      asio::use_awaitable, std::move(conn), std::move(action), std::move(payload));
}

//! Writes `res` with the request's keep-alive; true when the connection may carry another request.
asio::awaitable<bool> answer(beast::tcp_stream &stream, const Request &req, Reply res) {
  res.keep_alive(req.keep_alive());
  auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
  co_return !wec && req.keep_alive();
}

} // namespace

Server::Impl::Impl(ServerDeps d) : deps(std::move(d)), acceptor(ioc) {
  // The mount table: one line per mount. A path no mount serves is answered 404 problem+json.
  mounts.add("/ocpp/", MountMatch::Prefix, {&Impl::serve_station, true});
  mounts.add("/api/v1/", MountMatch::Prefix, {&Impl::serve_api});
  mounts.add("/api/v1/events", MountMatch::Exact, {&Impl::serve_events});
  mounts.add("/health", MountMatch::Exact, {&Impl::serve_health});
  mounts.add("/ocpi/", MountMatch::Prefix, {&Impl::serve_ocpi}); // OCPI roaming (404 when not enabled)
  if (deps.config.ocpp.debug_call_endpoint)
    mounts.add("/debug/stations/", MountMatch::Prefix, {&Impl::serve_debug_call});
  if (deps.config.web.enabled) {
    site = StaticSite::load(StaticOptions{deps.config.web.root});
    mounts.add("/", MountMatch::Prefix, {&Impl::serve_static}); // the web console: everything else
    if (site->built())
      net_log().info("web console: {} files ({} KiB) from {}", site->file_count(), site->total_bytes() / 1024,
                     site->root().string());
    else
      net_log().warn("web console not built: no index.html in {}; / says how to build it", site->root().string());
  }
}

asio::awaitable<void> Server::Impl::listen() {
  for (;;) {
    auto strand = asio::make_strand(ioc);
    auto [ec, socket] = co_await acceptor.async_accept(strand, use_tuple);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) co_return;
      net_log().warn("accept failed: {}", ec.message());
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
  bool drain = false; // answered before its body was read: the rest is read and dropped at the end
  for (;;) {
    stream.expires_after(std::chrono::seconds(30));
    http::request_parser<http::string_body> parser;
    parser.header_limit(8 * 1024);
    // The header is read first, so that the body limit is the mount's: a plain mount may take
    // larger bodies (a diagnostics upload). Until then the largest limit of any mount applies
    // (Beast checks a Content-Length against it as the header ends); the mount's own limit is
    // then checked against the Content-Length here, and by Beast for a chunked body.
    std::size_t limit = std::size_t{64} * 1024;
    parser.body_limit(std::max(limit, max_body_limit));
    auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
    bool too_large = hec == http::error::body_limit;
    if (hec && !too_large) break;
    if (const auto *mount = mounts.find(target_path(parser.get().target())); mount && mount->handler.plain)
      limit = mount->handler.body_limit;
    parser.body_limit(limit);
    if (auto length = parser.content_length(); length && *length > limit) too_large = true;
    boost::system::error_code ec;
    if (!too_large) {
      auto [rec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
      ec = rec;
      too_large = ec == http::error::body_limit;
    }
    if (too_large) {
      auto res = target_path(parser.get().target()).starts_with("/ocpi")
                     ? ocpi_too_large(parser.get().version())
                     : problem(http::status::payload_too_large,
                               "request body larger than " + std::to_string(limit / 1024) + " KiB", 11);
      res.keep_alive(false);
      co_await http::async_write(stream, res, use_tuple);
      drain = true;
      break;
    }
    if (ec) break;
    auto req = parser.release();
    // The request boundary: a failure while serving it is logged with the request and answered
    // 500 problem+json, and the connection ends; the listener and other requests go on.
    std::string what = std::string(req.method_string()) + " " + api::loggable_path(req.target().substr(0, 200));
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
      net_log().error("{}: {}; answered 500", what, failure);
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
  if (drain) {
    // A body refused as too large is still on its way. Closing the socket with it unread would
    // reset the connection, and a client still writing would see the reset instead of the 413
    // (a station uploading a log gets EPIPE). The rest is read and dropped until the client
    // closes, for at most 5 s.
    stream.expires_after(std::chrono::seconds(5));
    std::array<char, std::size_t{16} * 1024> sink{};
    for (;;) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
      if (ec) break;
    }
  }
}

//! Serves one request by its mount; true when the connection may carry another.
asio::awaitable<bool> Server::Impl::serve_request(beast::tcp_stream &stream, Request req) {
  const auto *mount = mounts.find(target_path(req.target()));
  const bool upgrade = websocket::is_upgrade(req);
  if (mount && (upgrade ? mount->handler.websocket : boost::urls::parse_origin_form(req.target()).has_value())) {
    auto served = (this->*(mount->handler.serve))(stream, req);
    co_return co_await std::move(served);
  }
  // Not served: no mount, an upgrade where no WebSocket is served, or a malformed target.
  auto res = upgrade ? problem(http::status::not_found, "no such endpoint", req.version())
             : mount ? problem(http::status::bad_request, "malformed request target", req.version())
                     : problem(http::status::not_found, "no such resource", req.version());
  if (upgrade) req.keep_alive(false); // the handshake's connection is not reused
  auto written = answer(stream, req, std::move(res));
  co_return co_await std::move(written);
}

namespace {

Reply health(const Request &req, std::size_t stations) {
  if (req.method() != http::verb::get) return problem(http::status::method_not_allowed, "use GET", req.version());
  return json_response(http::status::ok, json::object{{"status", "ok"}, {"stations", stations}}, req.version());
}

//! The debug call's station and CALL, or the answer refusing it.
struct DebugCall {
  std::shared_ptr<ocpp::Connection> conn;
  std::string action;
  json::value payload;
  std::optional<Reply> refused;
};

DebugCall debug_call(const Request &req, const ocpp::ConnectionRegistry &registry) {
  DebugCall out;
  auto parsed = boost::urls::parse_origin_form(req.target());
  std::vector<std::string> parts(parsed->segments().begin(), parsed->segments().end());
  if (parts.size() != 4 || parts[3] != "call") {
    out.refused = problem(http::status::not_found, "no such resource", req.version());
    return out;
  }
  if (req.method() != http::verb::post) {
    out.refused = problem(http::status::method_not_allowed, "use POST", req.version());
    return out;
  }
  auto id = StationId::parse(parts[2]);
  out.conn = id ? registry.find(*id) : nullptr;
  if (!out.conn) {
    out.refused = problem(http::status::not_found, "station is not connected", req.version());
    return out;
  }
  boost::system::error_code ec;
  auto body = json::parse(req.body(), ec);
  if (ec || !body.is_object() || !body.as_object().contains("action") || !body.at("action").is_string()) {
    out.refused =
        problem(http::status::bad_request, "body must be {\"action\": string, \"payload\": object}", req.version());
    return out;
  }
  out.payload = body.as_object().contains("payload") ? body.at("payload") : json::object{};
  out.action = std::string(body.at("action").as_string());
  return out;
}

json::object debug_outcome(const ocpp::CallOutcome &outcome) {
  static constexpr std::string_view names[] = {"result", "error", "timeout", "closed", "not_sent"};
  json::object out{{"status", names[static_cast<int>(outcome.status)]}};
  if (outcome.status == ocpp::CallOutcome::Status::Result || !outcome.payload.is_null())
    out["payload"] = outcome.payload;
  if (!outcome.error_code.empty()) out["error_code"] = outcome.error_code;
  if (!outcome.error_description.empty()) out["error_description"] = outcome.error_description;
  return out;
}

//! The request's headers by lower-case name; a repeated header joined into one list (", ").
std::map<std::string, std::string> lowercase_headers(const Request &req) {
  std::map<std::string, std::string> out;
  for (const auto &field : req) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto [it, fresh] = out.try_emplace(std::move(name), field.value());
    if (!fresh) it->second += ", " + std::string(field.value());
  }
  return out;
}

} // namespace

//! GET /health: up, and how many stations are connected.
asio::awaitable<bool> Server::Impl::serve_health(beast::tcp_stream &stream, Request &req) {
  auto res = health(req, deps.registry.size());
  auto written = answer(stream, req, std::move(res));
  co_return co_await std::move(written);
}

//! POST /debug/stations/{id}/call {"action", "payload"}: any CALL to a connected station
//! (ocpp.debug_call_endpoint; for tests and troubleshooting, never in production).
asio::awaitable<bool> Server::Impl::serve_debug_call(beast::tcp_stream &stream, Request &req) {
  auto call = debug_call(req, deps.registry);
  std::optional<Reply> res = std::move(call.refused);
  if (!res) {
    auto pending = await_call(std::move(call.conn), std::move(call.action), std::move(call.payload));
    auto outcome = co_await std::move(pending);
    res = json_response(http::status::ok, debug_outcome(outcome), req.version());
  }
  auto written = answer(stream, req, std::move(*res));
  co_return co_await std::move(written);
}

//! /api/v1/...: the request handed to the API library, its response written back.
asio::awaitable<bool> Server::Impl::serve_api(beast::tcp_stream &stream, Request &req) {
  bool keep = req.keep_alive();
  api::Request ar;
  ar.method = std::string(req.method_string());
  auto parsed = boost::urls::parse_origin_form(req.target());
  ar.path = parsed->path();
  for (auto param : parsed->params())
    ar.query[param.key] = param.value;
  ar.body = std::move(req.body());
  if (auto auth = req.find(http::field::authorization); auth != req.end()) ar.authorization = auth->value();
  if (auto accept = req.find(http::field::accept); accept != req.end()) ar.accept = accept->value();
  boost::system::error_code ec;
  auto peer = stream.socket().remote_endpoint(ec);
  if (!ec) ar.remote = peer.address().to_string();
  auto start = [this, ar = std::move(ar)](std::function<void(api::Response)> reply) mutable {
    deps.api.handle(std::move(ar), std::move(reply));
  };
  // A request whose handler failed without answering (on whatever thread) is answered 500.
  auto pending = await_value<api::Response>(std::move(start), api::problem_response(500, "internal error"));
  auto response = co_await std::move(pending);
  auto res = to_http(std::move(response), req.version());
  res.keep_alive(keep);
  auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
  co_return keep && !wec;
}

//! /ocpi/...: the request handed to the OCPI server (src/ocpi), its envelope written back.
asio::awaitable<bool> Server::Impl::serve_ocpi(beast::tcp_stream &stream, Request &req) {
  if (!deps.ocpi) {
    auto res = problem(http::status::not_found, "OCPI is not enabled on this server", req.version());
    auto written = answer(stream, req, std::move(res));
    co_return co_await std::move(written);
  }
  bool keep = req.keep_alive();
  ocpi::Request oreq;
  oreq.method = std::string(req.method_string());
  auto parsed = boost::urls::parse_origin_form(req.target());
  oreq.path = parsed->path();
  for (auto param : parsed->params())
    oreq.query[param.key] = param.value;
  oreq.headers = lowercase_headers(req);
  oreq.body = std::move(req.body());
  boost::system::error_code ec;
  auto peer = stream.socket().remote_endpoint(ec);
  if (!ec) oreq.remote = peer.address().to_string();
  // The ids go back even on the fallback answer, when the client sent them.
  auto fallback = ocpi::failure(ocpi::StatusCode::ServerError, "internal error", wall_now(), 500);
  for (const auto *name : {"x-request-id", "x-correlation-id"})
    if (const auto *v = oreq.header(name)) fallback.headers.emplace_back(name, *v);
  auto start = [this, oreq = std::move(oreq)](std::function<void(ocpi::Response)> reply) mutable {
    deps.ocpi->handle(std::move(oreq), std::move(reply));
  };
  // A handler that never answers (a partner call that hangs past its own timeouts) is answered
  // 3000 after a bound, so the connection is not held forever.
  const auto bound = std::chrono::milliseconds(30000 + 3 * std::max(deps.config.ocpi.request_timeout_ms, 0));
  auto pending = await_value<ocpi::Response>(std::move(start), std::move(fallback), bound);
  auto response = co_await std::move(pending);
  auto res = ocpi_http(std::move(response), req.version());
  res.keep_alive(keep);
  auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
  co_return keep && !wec;
}

namespace {

//! A plain response whose body is a span of a file: the header, then the bytes in chunks of
//! 64 KiB read as the client takes them (the timeout restarts for each). The reads are made on
//! the connection's thread: a chunk from the page cache costs microseconds, far less than handing
//! each to a pool, and only one chunk per connection is in memory. True when the connection may
//! carry another request.
asio::awaitable<bool> send_file(beast::tcp_stream &stream, const Request &req, PlainResponse response, bool keep) {
  const auto &span = *response.file;
  beast::file file;
  boost::system::error_code ec;
  file.open(span.path.c_str(), beast::file_mode::scan, ec);
  if (!ec) file.seek(span.offset, ec);
  if (ec) {
    net_log().error("{}: cannot open {}: {}", api::loggable_path(req.target().substr(0, 200)), span.path.string(),
                    ec.message());
    auto res = problem(http::status::internal_server_error, "the file cannot be read", req.version());
    res.keep_alive(keep);
    auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
    co_return keep && !wec;
  }
  http::response<http::empty_body> head{static_cast<http::status>(response.status), req.version()};
  head.set(http::field::server, server_name);
  head.set(http::field::content_type, response.content_type);
  head.set("X-Content-Type-Options", "nosniff");
  for (const auto &[name, value] : response.headers)
    head.set(name, value);
  head.content_length(span.length);
  head.keep_alive(keep);
  http::response_serializer<http::empty_body> header(head);
  stream.expires_after(std::chrono::seconds(30));
  auto [hec, hn] = co_await http::async_write_header(stream, header, use_tuple);
  if (hec) co_return false;
  if (req.method() == http::verb::head) co_return keep; // HEAD: a GET's headers, no body
  std::vector<char> chunk(std::size_t{64} * 1024);
  for (std::uint64_t left = span.length; left > 0;) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
    const auto got = file.read(chunk.data(), want, ec);
    if (ec || got == 0) {
      // Shorter than its record says (changed on disk): the promised length cannot be kept, so
      // the connection ends and the client sees a short body.
      net_log().error("{}: {} ended {} bytes early{}", api::loggable_path(req.target().substr(0, 200)),
                      span.path.string(), left, ec ? ": " + ec.message() : "");
      co_return false;
    }
    stream.expires_after(std::chrono::seconds(30));
    auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(chunk.data(), got), use_tuple);
    if (wec) co_return false;
    left -= got;
  }
  co_return keep;
}

} // namespace

//! A plain mount (Server::mount): the request decoded, handed to its handler, the answer written.
asio::awaitable<bool> Server::Impl::serve_plain(beast::tcp_stream &stream, Request &req) {
  const auto *mount = mounts.find(target_path(req.target()));
  bool keep = req.keep_alive();
  PlainRequest pr;
  pr.method = std::string(req.method_string());
  auto parsed = boost::urls::parse_origin_form(req.target());
  pr.path = parsed->path();
  for (auto param : parsed->params())
    pr.query[param.key] = param.value;
  pr.headers = lowercase_headers(req);
  pr.body = std::move(req.body());
  boost::system::error_code ec;
  auto peer = stream.socket().remote_endpoint(ec);
  if (!ec) pr.remote = peer.address().to_string();
  auto handler = mount->handler.plain;
  auto start = [handler, pr = std::move(pr)](std::function<void(PlainResponse)> reply) mutable {
    (*handler)(std::move(pr), std::move(reply));
  };
  PlainResponse dropped{500, "application/problem+json", {}, {}, std::nullopt};
  dropped.body = api::problem_response(500, "internal error").body;
  auto pending = await_value<PlainResponse>(std::move(start), std::move(dropped), std::chrono::seconds(60));
  auto response = co_await std::move(pending);
  if (response.file) {
    auto sent = send_file(stream, req, std::move(response), keep);
    co_return co_await std::move(sent);
  }
  Reply res{static_cast<http::status>(response.status), req.version()};
  res.set(http::field::server, server_name);
  res.set(http::field::content_type, response.content_type);
  res.set("X-Content-Type-Options", "nosniff");
  for (const auto &[name, value] : response.headers)
    res.set(name, value);
  res.body() = std::move(response.body);
  res.prepare_payload();
  if (req.method() == http::verb::head) res.body().clear(); // HEAD: a GET's headers (Content-Length), no body
  res.keep_alive(keep);
  auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
  co_return keep && !wec;
}

//! Everything no other mount serves: the web console's files from memory (static_files.cpp).
asio::awaitable<bool> Server::Impl::serve_static(beast::tcp_stream &stream, Request &req) {
  StaticRequest sr;
  sr.method = req.method() == http::verb::get    ? StaticMethod::Get
              : req.method() == http::verb::head ? StaticMethod::Head
                                                 : StaticMethod::Other;
  sr.path = target_path(req.target());
  sr.accept_encoding = req[http::field::accept_encoding];
  sr.if_none_match = req[http::field::if_none_match];
  auto reply = site->answer(sr);
  if (reply.problem) {
    auto res = problem(static_cast<http::status>(reply.status), *reply.problem, req.version());
    for (const auto &[name, value] : reply.headers)
      res.set(name, value);
    auto written = answer(stream, req, std::move(res));
    co_return co_await std::move(written);
  }
  http::response<http::span_body<const char>> res{static_cast<http::status>(reply.status), req.version()};
  res.set(http::field::server, server_name);
  for (const auto &[name, value] : reply.headers)
    res.set(name, value);
  res.body() = {reply.body.data(), reply.body.size()};
  if (reply.status != 304) res.content_length(reply.content_length); // HEAD: the size a GET would send
  res.keep_alive(req.keep_alive());
  auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
  co_return !wec && req.keep_alive();
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

void Server::set_ocpi(ocpi::Server *ocpi) {
  impl_->deps.ocpi = ocpi;
}

void Server::mount(PlainMount m) {
  const auto match = m.path.size() > 1 && m.path.back() == '/' ? MountMatch::Prefix : MountMatch::Exact;
  Impl::Mounted mounted{&Impl::serve_plain};
  mounted.body_limit = m.body_limit;
  impl_->max_body_limit = std::max(impl_->max_body_limit, m.body_limit);
  mounted.plain = std::make_shared<const PlainHandler>(std::move(m.handler));
  impl_->mounts.add(std::move(m.path), match, std::move(mounted));
}

void Server::run() {
  asio::signal_set signals(impl_->ioc, SIGINT, SIGTERM);
  signals.async_wait([this](boost::system::error_code ec, int sig) {
    if (ec) return;
    net_log().info("signal {}: shutting down", sig);
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
        net_log().error("a network handler failed: {}", e.what());
      } catch (...) {
        net_log().error("a network handler failed with a non-standard exception");
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

bool Server::stopping() const {
  return impl_->stopping.load();
}

} // namespace gridlane::net
