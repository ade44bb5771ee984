#pragma once
// Private to the network layer: the server's state and what its translation units share
// (listener.cpp, station_session.cpp, event_stream.cpp). Only these see Beast and Asio's
// templates; keep them few, they are the slowest files of the build to compile.
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "gridlane/core/logging.hpp"
#include "gridlane/net/mounts.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/net/static_files.hpp"

namespace gridlane::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view server_name = "gridlane";

inline spdlog::logger &net_log() {
  return core::log(core::Component::Net);
}

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
      net_log().error("{} failed: {}", what, x.what());
    } catch (...) {
      net_log().error("{} failed with a non-standard exception", what);
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
          net_log().error("starting an operation failed: {}", e.what());
        } catch (...) {
          net_log().error("starting an operation failed with a non-standard exception");
        }
      },
      asio::use_awaitable, std::move(start), std::move(if_dropped), timeout);
}

using Request = http::request<http::string_body>;
using Reply = http::response<http::string_body>;

//! A problem+json answer (the body of api::problem_response), with the Server header.
Reply problem(http::status status, std::string_view detail, unsigned version);
//! The HTTP form of an API response.
Reply to_http(api::Response response, unsigned version);

struct Server::Impl {
  explicit Impl(ServerDeps d);

  //! A mounted handler: serves one request on the stream; true when the connection may carry
  //! another. One that takes the stream over (a WebSocket, an event stream) answers false.
  struct Mounted {
    using Serve = asio::awaitable<bool> (Impl::*)(beast::tcp_stream &stream, Request &req);
    Mounted(Serve s, bool ws = false) : serve(s), websocket(ws) {} // NOLINT(google-explicit-constructor)
    Serve serve;
    bool websocket = false; //!< takes WebSocket upgrades (any other mount refuses them with 404)
    std::size_t body_limit = std::size_t{64} * 1024;
    std::shared_ptr<const PlainHandler> plain; //!< serve_plain's handler
  };

  ServerDeps deps;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  MountTable<Mounted> mounts;
  std::size_t max_body_limit = std::size_t{64} * 1024; //!< the largest body any mount takes
  std::optional<StaticSite> site;                      //!< the web console's files ([web]), read at start

  // listener.cpp: accepting, reading requests, routing them by the mount table.
  asio::awaitable<void> listen();
  asio::awaitable<void> http_session(tcp::socket socket);
  asio::awaitable<bool> serve_request(beast::tcp_stream &stream, Request req);
  asio::awaitable<void> drain_and_stop();
  asio::awaitable<bool> serve_api(beast::tcp_stream &stream, Request &req);
  asio::awaitable<bool> serve_health(beast::tcp_stream &stream, Request &req);
  asio::awaitable<bool> serve_debug_call(beast::tcp_stream &stream, Request &req);
  asio::awaitable<bool> serve_static(beast::tcp_stream &stream, Request &req);
  asio::awaitable<bool> serve_ocpi(beast::tcp_stream &stream, Request &req);
  asio::awaitable<bool> serve_plain(beast::tcp_stream &stream, Request &req);

  // station_session.cpp: /ocpp/{stationId}, the WebSocket handshake, admission and the session.
  asio::awaitable<bool> serve_station(beast::tcp_stream &stream, Request &req);
  asio::awaitable<void> station_handshake(beast::tcp_stream stream, Request req);

  // event_stream.cpp: GET /api/v1/events, Server-Sent Events.
  asio::awaitable<bool> serve_events(beast::tcp_stream &stream, Request &req);
  asio::awaitable<void> event_stream(beast::tcp_stream stream, Request req);
  asio::awaitable<std::pair<std::optional<domain::Principal>, api::Response>> authenticate(std::string authorization);
};

} // namespace gridlane::net
