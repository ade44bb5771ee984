#include "station.hpp"

#include <algorithm>
#include <cstdio>
#include <variant>

namespace gridlane::sim {
namespace json = boost::json;
using tcp = asio::ip::tcp;

Station::Station(asio::io_context &ioc, Shared &shared, int index)
    : strand_(asio::make_strand(ioc)), shared_(shared), index_(index), call_timer_(strand_), wake_(strand_),
      rng_(shared.opt.seed * 7919 + static_cast<std::uint64_t>(index)) {
  char id[64];
  site_meter_ = shared.opt.site_meter && index == shared.opt.stations + 1;
  if (site_meter_)
    std::snprintf(id, sizeof id, "%sMETER", shared.opt.prefix.c_str());
  else
    std::snprintf(id, sizeof id, "%s%05d", shared.opt.prefix.c_str(), index);
  id_ = id;
  v16_ = std::uniform_real_distribution<double>(0, 1)(rng_) < shared.opt.share_16;
  // Drawn only when asked for, so a fleet without them is the same as before for a given seed.
  if (shared.opt.share_dc > 0) dc_ = std::uniform_real_distribution<double>(0, 1)(rng_) < shared.opt.share_dc;
  if (shared.opt.ignore_share > 0)
    ignores_profiles_ = std::uniform_real_distribution<double>(0, 1)(rng_) < shared.opt.ignore_share;
  const auto &listed = shared.opt.ignore_stations;
  if (std::find(listed.begin(), listed.end(), index) != listed.end()) ignores_profiles_ = true;
  connectors_.resize(static_cast<std::size_t>(std::max(1, shared.opt.connectors)));
  for (auto &c : connectors_)
    c.register_wh = std::uniform_real_distribution<double>(0, 5e6)(rng_);
}

void Station::start() {
  asio::co_spawn(strand_, run(shared_from_this()), asio::detached);
}

void Station::drop() {
  asio::post(strand_, [self = shared_from_this()] {
    if (!self->connected_) return;
    self->storm_pending_ = true;
    self->shared_.storm_stations++;
    self->close();
  });
}

// ---- connection lifecycle -----------------------------------------------------------------

asio::awaitable<void> Station::run(std::shared_ptr<Station> self) {
  int attempt = 0;
  bool remote_reset = false; // why the next boot happens: a reset the CSMS asked for, or power-up
  while (Clock::now() < self->shared_.deadline) {
    bool ok = co_await self->connect();
    if (ok) {
      attempt = 0;
      self->shared_.connects++;
      asio::co_spawn(self->strand_, reader(self), asio::detached);
      co_await self->behave(remote_reset);
      remote_reset = self->reset_requested_;
      self->close();
      if (self->storm_pending_) continue; // the storm: everyone reconnects at once, no back-off
    } else {
      self->shared_.connect_failures++;
    }
    if (Clock::now() >= self->shared_.deadline) break;
    // Back off with jitter, so a fleet does not reconnect in lockstep after an outage.
    auto base = std::chrono::milliseconds(std::min(30000, 500 << std::min(attempt++, 6)));
    auto jitter = std::uniform_real_distribution<double>(0.5, 1.5)(self->rng_);
    self->wake_.expires_after(std::chrono::milliseconds(static_cast<long>(static_cast<double>(base.count()) * jitter)));
    co_await self->wake_.async_wait(use_tuple);
  }
  self->close();
}

asio::awaitable<bool> Station::connect() {
  ws_ = std::make_unique<websocket::stream<beast::tcp_stream>>(strand_);
  connected_ = false;
  reset_requested_ = false;
  tcp::resolver resolver(strand_);
  auto [rec, results] = co_await resolver.async_resolve(shared_.host, shared_.port, use_tuple);
  if (rec) co_return false;
  auto &stream = beast::get_lowest_layer(*ws_);
  stream.expires_after(std::chrono::seconds(10));
  const auto &sources = shared_.opt.source_addresses;
  if (!sources.empty()) {
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(sources[static_cast<std::size_t>(index_) % sources.size()], ec);
    if (!ec) {
      stream.socket().open(addr.is_v4() ? tcp::v4() : tcp::v6(), ec);
      if (!ec) stream.socket().bind(tcp::endpoint(addr, 0), ec);
    }
  }
  auto [cec, ep] = co_await stream.async_connect(results, use_tuple);
  if (cec) co_return false;
  stream.expires_never();
  websocket::stream_base::timeout t = websocket::stream_base::timeout::suggested(beast::role_type::client);
  ws_->set_option(t);
  const char *protocol = v16_ ? "ocpp1.6" : "ocpp2.0.1";
  ws_->set_option(websocket::stream_base::decorator(
      [protocol](websocket::request_type &req) { req.set(beast::http::field::sec_websocket_protocol, protocol); }));
  std::string host = shared_.host + ":" + shared_.port;
  std::string target = shared_.path + "/" + id_;
  auto [hec] = co_await ws_->async_handshake(host, target, use_tuple);
  if (hec) co_return false;
  connected_ = true;
  co_return true;
}

void Station::close() {
  if (!ws_ || !connected_) return;
  connected_ = false;
  beast::get_lowest_layer(*ws_).close();
  call_timer_.cancel();
  wake_.cancel();
}

// ---- frames -------------------------------------------------------------------------------

void Station::send(std::string frame) {
  if (!connected_) return;
  outbox_.push_back(std::move(frame));
  if (!writing_) {
    writing_ = true;
    asio::co_spawn(strand_, writer(shared_from_this()), asio::detached);
  }
}

asio::awaitable<void> Station::writer(std::shared_ptr<Station> self) {
  while (!self->outbox_.empty() && self->connected_) {
    auto &ws = *self->ws_;
    auto [ec, n] = co_await ws.async_write(asio::buffer(self->outbox_.front()), use_tuple);
    if (ec) {
      self->close();
      break;
    }
    self->outbox_.pop_front();
  }
  self->outbox_.clear();
  self->writing_ = false;
}

asio::awaitable<void> Station::reader(std::shared_ptr<Station> self) {
  beast::flat_buffer buffer;
  auto *ws = self->ws_.get();
  while (self->connected_ && ws == self->ws_.get()) {
    auto [ec, n] = co_await ws->async_read(buffer, use_tuple);
    if (ec) break;
    auto parsed = ocpp::parse_frame(beast::buffers_to_string(buffer.cdata()), self->version());
    buffer.consume(buffer.size());
    auto *frame = std::get_if<ocpp::Frame>(&parsed);
    if (!frame) continue; // a frame that cannot be read is not answered
    using T = ocpp::MessageType;
    if ((frame->type == T::CallResult || frame->type == T::CallError) && frame->id == self->pending_id_) {
      self->pending_result_ = frame->type == T::CallResult ? std::move(frame->payload) : json::value(nullptr);
      self->call_timer_.cancel();
    } else if (frame->type == T::Call) {
      self->answer(*frame);
    }
  }
  if (ws == self->ws_.get()) self->close();
}

asio::awaitable<std::optional<json::value>> Station::call_value(std::string_view action, json::value payload) {
  if (!connected_) co_return std::nullopt;
  pending_id_ = std::to_string(++next_id_);
  pending_result_.reset();
  auto started = Clock::now();
  send(ocpp::call_frame(pending_id_, action, std::move(payload)));
  shared_.calls_sent++;
  call_timer_.expires_after(std::chrono::seconds(30));
  co_await call_timer_.async_wait(use_tuple);
  pending_id_.clear();
  if (!pending_result_) co_return std::nullopt;
  shared_.record(shared_.latencies_ms, std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  if (pending_result_->is_null()) {
    shared_.call_errors++;
    co_return std::nullopt;
  }
  co_return std::move(pending_result_);
}

} // namespace gridlane::sim
