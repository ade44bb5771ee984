// The event stream: GET /api/v1/events[?station=ID], the domain events as Server-Sent Events.
#include <boost/url.hpp>
#include <deque>
#include <mutex>

#include "gridlane/api/event_codec.hpp"
#include "gridlane/api/problem.hpp"
#include "internal.hpp"

namespace gridlane::net {

//! The stream mount: a GET takes the connection over; any other method is the API's (405).
asio::awaitable<bool> Server::Impl::serve_events(beast::tcp_stream &stream, Request &req) {
  if (req.method() != http::verb::get) {
    auto served = serve_api(stream, req);
    co_return co_await std::move(served);
  }
  stream.expires_never();
  co_await event_stream(std::move(stream), std::move(req));
  co_return false;
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
  auto pending =
      await_value<Verdict>(std::move(start), Verdict{std::nullopt, api::problem_response(503, "try again later")},
                           std::chrono::milliseconds(std::chrono::seconds(10)));
  co_return co_await std::move(pending);
}

//! GET /api/v1/events[?station=ID]: Server-Sent Events of the domain events. Each consumer has
//! a bounded queue; one that does not keep up is disconnected, never the server slowed. The
//! credential is checked again every `credential_recheck`: a stream ends (after an `end` event)
//! once its token is logged out or expired, its API key revoked, its user disabled, or its role
//! changed.
asio::awaitable<void> Server::Impl::event_stream(beast::tcp_stream stream, Request req) {
  constexpr auto credential_recheck = std::chrono::seconds(5);
  std::string authorization;
  if (auto auth = req.find(http::field::authorization); auth != req.end()) authorization = auth->value();
  auto first = authenticate(authorization);
  auto [who, error] = co_await std::move(first);
  if (!who) {
    auto res = to_http(error, req.version());
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
        net_log().info("event stream of {} ended: credentials no longer valid", principal.actor);
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
      net_log().warn("event stream consumer too slow: disconnected");
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

} // namespace gridlane::net
