#include "gridlane/ocpp/connection.hpp"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <cstring>
#include <random>

#include "gridlane/core/logging.hpp"
#include "gridlane/ocpp/trace.hpp"

namespace gridlane::ocpp {
namespace asio = boost::asio;
namespace json = boost::json;

void Responder::result(json::value payload) {
  auto conn = std::move(conn_);
  if (!conn) return;
  asio::post(conn->strand_, [conn, id = std::move(id_), action = std::move(action_), p = std::move(payload),
                             received = received_]() mutable {
    if (conn->closed_) return;
    bool sent = conn->send_result(id, action, p);
    conn->count_inbound(action, sent ? InboundResult::Accepted : InboundResult::CallError, received);
  });
}

void Responder::error(RpcError code, std::string description) {
  auto conn = std::move(conn_);
  if (!conn) return;
  asio::post(conn->strand_, [conn, id = std::move(id_), action = std::move(action_), code, d = std::move(description),
                             received = received_] {
    if (conn->closed_) return;
    conn->send_error(id, code, d);
    conn->count_inbound(action, InboundResult::CallError, received);
  });
}

Connection::Connection(asio::any_io_executor strand, core::StationId station, const MessageCatalog &catalog,
                       Transport &transport, ConnectionOptions options)
    : strand_(std::move(strand)), station_(std::move(station)), catalog_(catalog), transport_(transport),
      options_(options), timer_(strand_), log_(core::Component::Ocpp, station_.str()) {
  // A random prefix per connection, so an answer meant for an earlier connection of the same
  // station can never match a CALL of this one. Seeded once per thread: opening a
  // random_device for every connection was a tenth of a reconnect storm's CPU.
  thread_local std::mt19937_64 ids = [] {
    std::random_device rd;
    return std::mt19937_64((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
  }();
  id_prefix_ = ids();
}

Connection::~Connection() {
  uncount_connection();
}

void Connection::set_metrics(MessageMetrics *metrics) {
  uncount_connection();
  metrics_ = metrics;
  if (metrics_ && !closed_) {
    open_gauge_ = &metrics_->connections(version());
    open_gauge_->add(1);
  }
}

void Connection::uncount_connection() {
  if (!open_gauge_) return;
  open_gauge_->add(-1);
  open_gauge_ = nullptr;
}

void Connection::count_inbound(std::string_view action, InboundResult result,
                               std::chrono::steady_clock::time_point received) {
  if (!metrics_) return;
  metrics_->inbound(metrics_->action(version(), action), result, std::chrono::steady_clock::now() - received);
}

void Connection::count_outbound(std::string_view action, const CallOutcome &outcome,
                                std::chrono::steady_clock::time_point sent) {
  if (!metrics_) return;
  OutboundResult result = OutboundResult::NotSent;
  switch (outcome.status) {
  case CallOutcome::Status::Result: result = OutboundResult::Result; break;
  case CallOutcome::Status::Error: result = OutboundResult::CallError; break;
  case CallOutcome::Status::Timeout: result = OutboundResult::Timeout; break;
  case CallOutcome::Status::Closed: result = OutboundResult::Closed; break;
  case CallOutcome::Status::NotSent: result = OutboundResult::NotSent; break;
  }
  auto took = sent == std::chrono::steady_clock::time_point{} ? std::chrono::steady_clock::duration{}
                                                              : std::chrono::steady_clock::now() - sent;
  metrics_->outbound(metrics_->action(version(), action), result, took);
}

void Connection::close(std::uint16_t code, std::string reason) {
  asio::post(strand_, [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
    if (!self->closed_) self->transport_.close(code, std::move(reason));
  });
}

std::string Connection::next_id() {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx-%llx", static_cast<unsigned long long>(id_prefix_),
                static_cast<unsigned long long>(++id_counter_));
  return buf;
}

namespace {
struct FrameHeader {
  std::int64_t at_ms;
  std::uint32_t length;
  bool inbound;
};
constexpr std::size_t header_bytes = sizeof(std::int64_t) + sizeof(std::uint32_t) + 1;

void write_header(char *p, const FrameHeader &h) {
  std::memcpy(p, &h.at_ms, sizeof h.at_ms);
  std::memcpy(p + sizeof h.at_ms, &h.length, sizeof h.length);
  p[sizeof h.at_ms + sizeof h.length] = h.inbound ? 1 : 0;
}

FrameHeader read_header(const char *p) {
  FrameHeader h{};
  std::memcpy(&h.at_ms, p, sizeof h.at_ms);
  std::memcpy(&h.length, p + sizeof h.at_ms, sizeof h.length);
  h.inbound = p[sizeof h.at_ms + sizeof h.length] != 0;
  return h;
}
} // namespace

void Connection::keep(bool inbound, std::string_view text) {
  if (options_.recent_frames == 0) return;
  constexpr std::size_t max_text = 2048;
  text = text.substr(0, max_text);
  auto at = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  char header[header_bytes];
  write_header(header, FrameHeader{at.count(), static_cast<std::uint32_t>(text.size()), inbound});
  std::lock_guard lock{frames_mutex_};
  if (frame_count_ >= options_.recent_frames) {
    // Drop the oldest frame; what follows moves to the front (a few kilobytes at most).
    auto oldest = read_header(frames_.data());
    frames_.erase(0, header_bytes + oldest.length);
    --frame_count_;
    // After a large message, give back what an idle station no longer needs.
    if (frames_.capacity() > 4096 && frames_.capacity() > 4 * (frames_.size() + header_bytes + text.size()))
      frames_.shrink_to_fit();
  }
  frames_.append(header, header_bytes).append(text);
  ++frame_count_;
}

std::vector<KeptFrame> Connection::recent_frames() const {
  std::lock_guard lock{frames_mutex_};
  std::vector<KeptFrame> out;
  out.reserve(frame_count_);
  for (std::size_t pos = 0; pos < frames_.size();) {
    auto h = read_header(frames_.data() + pos);
    out.push_back(KeptFrame{std::chrono::system_clock::time_point(std::chrono::milliseconds(h.at_ms)), h.inbound,
                            frames_.substr(pos + header_bytes, h.length)});
    pos += header_bytes + h.length;
  }
  return out;
}

void Connection::trace(bool inbound, std::string_view text) const {
  if (!trace_ || !trace_->traced(station_)) return;
  constexpr auto max = TraceSet::max_text;
  if (text.size() <= max)
    log_.info("frame {}: {}", inbound ? "in" : "out", text);
  else
    log_.info("frame {} ({} bytes, first {}): {}", inbound ? "in" : "out", text.size(), max, text.substr(0, max));
}

void Connection::send(std::string frame) {
  trace(false, frame);
  keep(false, frame);
  transport_.send(std::move(frame));
}

void Connection::on_text(std::string_view text) {
  if (closed_) return;
  trace(true, text);
  // The frame boundary: whatever a frame's handling throws costs that frame an InternalError
  // (when its CALL id is known), never the read loop that called us.
  std::string call_id;
  try {
    handle_text(text, call_id);
  } catch (const std::exception &e) {
    log_.error("frame handling failed: {}", e.what());
    if (!call_id.empty()) send_error(call_id, RpcError::InternalError, "internal error");
  } catch (...) {
    log_.error("frame handling failed with a non-standard exception");
    if (!call_id.empty()) send_error(call_id, RpcError::InternalError, "internal error");
  }
}

void Connection::handle_text(std::string_view text, std::string &call_id) {
  keep(true, text);
  auto parsed = parse_frame(text, version());
  if (auto *err = std::get_if<FrameError>(&parsed)) {
    log_.warn("bad frame: {}", err->message);
    if (metrics_) metrics_->bad_frame(version());
    send_error(err->id, err->code, err->message);
    return;
  }
  auto &frame = std::get<Frame>(parsed);
  switch (frame.type) {
  case MessageType::Call:
    call_id = frame.id;
    handle_call(frame);
    call_id.clear(); // answered, or its answer is under way
    break;
  case MessageType::CallResult:
  case MessageType::CallError: handle_answer(frame); break;
  case MessageType::CallResultError: {
    // OCPP 2.1: the station found one of our answers invalid. Nothing to retry; keep a trace.
    log_.warn("station rejected our answer to {}: {} {}", frame.id, frame.error_code, frame.error_description);
    break;
  }
  case MessageType::Send: handle_send(frame); break;
  }
}

void Connection::handle_call(Frame &frame) {
  const auto received = std::chrono::steady_clock::now();
  if (!catalog_.knows(frame.action)) {
    send_error(frame.id, RpcError::NotImplemented, "unknown action " + frame.action);
    count_inbound(frame.action, InboundResult::Rejected, received); // counted as "other"
    return;
  }
  if (!dispatcher_ || !dispatcher_->supports(frame.action)) {
    send_error(frame.id, RpcError::NotSupported, frame.action + " is not sent to a CSMS");
    count_inbound(frame.action, InboundResult::Rejected, received);
    return;
  }
  if (const auto *schema = catalog_.request(frame.action)) {
    if (auto violation = validate(*schema, frame.payload, false, frame.action)) {
      send_error(frame.id, error_for(violation->kind), frame.action + ": " + violation->message);
      count_inbound(frame.action, InboundResult::Rejected, received);
      return;
    }
  }
  try {
    dispatcher_->on_call(frame.action, frame.payload, Responder{shared_from_this(), frame.id, frame.action, received});
  } catch (const std::exception &e) {
    // An adapter bug must cost one answer, never the connection or the process.
    log_.error("{} handler failed: {}", frame.action, e.what());
    send_error(frame.id, RpcError::InternalError, "internal error");
    count_inbound(frame.action, InboundResult::CallError, received);
  }
}

void Connection::handle_send(Frame &frame) {
  // OCPP 2.1 SEND is never answered, not even with an error: invalid ones are logged and dropped.
  const auto received = std::chrono::steady_clock::now();
  if (!catalog_.knows(frame.action) || !dispatcher_ || !dispatcher_->supports(frame.action)) {
    log_.warn("SEND of unsupported action {} dropped", frame.action);
    count_inbound(frame.action, InboundResult::Rejected, received);
    return;
  }
  if (const auto *schema = catalog_.request(frame.action)) {
    if (auto violation = validate(*schema, frame.payload, false, frame.action)) {
      log_.warn("invalid SEND {} dropped: {}", frame.action, violation->message);
      count_inbound(frame.action, InboundResult::Rejected, received);
      return;
    }
  }
  try {
    dispatcher_->on_send(frame.action, frame.payload);
    count_inbound(frame.action, InboundResult::Accepted, received);
  } catch (const std::exception &e) {
    log_.error("{} SEND handler failed: {}", frame.action, e.what());
    count_inbound(frame.action, InboundResult::CallError, received);
  }
}

void Connection::handle_answer(Frame &frame) {
  if (!inflight_ || inflight_->id != frame.id) {
    log_.warn("answer to unknown message id {}", frame.id);
    return;
  }
  CallOutcome outcome;
  if (frame.type == MessageType::CallError) {
    outcome.status = CallOutcome::Status::Error;
    outcome.error_code = frame.error_code;
    outcome.error_description = frame.error_description;
    outcome.payload = std::move(frame.error_details);
  } else if (!frame.payload.is_object()) {
    outcome.status = CallOutcome::Status::Error;
    outcome.error_code = std::string(wire_name(RpcError::FormatViolation, version()));
    outcome.error_description = "CALLRESULT payload is not an object";
  } else if (auto violation = catalog_.response(inflight_->action) ? validate(*catalog_.response(inflight_->action),
                                                                              frame.payload, true, inflight_->action)
                                                                   : std::nullopt) {
    outcome.status = CallOutcome::Status::Error;
    outcome.error_code = std::string(wire_name(error_for(violation->kind), version()));
    outcome.error_description = "station's answer fails its schema: " + violation->message;
    outcome.payload = std::move(frame.payload);
    // OCPP 2.1 tells the station its CALLRESULT was not acceptable (CALLRESULTERROR).
    if (version() == core::ProtocolVersion::Ocpp21)
      send(call_result_error_frame(frame.id, error_for(violation->kind), version(), violation->message));
  } else {
    outcome.status = CallOutcome::Status::Result;
    outcome.payload = std::move(frame.payload);
    if (dispatcher_) {
      try {
        dispatcher_->on_result(inflight_->action, inflight_->payload, outcome.payload);
      } catch (const std::exception &e) {
        log_.error("{} result handler failed: {}", inflight_->action, e.what());
      }
    }
  }
  finish_inflight(std::move(outcome));
}

namespace {
std::string clipped(std::string text) {
  constexpr std::size_t max = 200; // an anomaly row stays small whatever the station sent
  if (text.size() > max) {
    text.resize(max);
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
      text.pop_back();
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
    text += "...";
  }
  return text;
}
} // namespace

// Strict first. Only a message that fails, from a station with a compatibility setting that
// may account for the failure, gets a second, lenient look; it is taken (rewritten) only if
// it then conforms, and each deviation accepted is kept as an anomaly.
std::optional<ValidationError> Connection::validate(const CompiledSchema &schema, json::value &payload, bool answer,
                                                    std::string_view action) {
  auto violation = schema.validate(payload);
  if (!violation || !compat_) return violation;
  using K = ValidationError::Kind;
  if (violation->kind != K::Format && violation->kind != K::Additional) return violation;
  auto settings = compat_->settings(station_);
  Leniency leniency{settings.timestamps_without_offset, answer && settings.extra_properties_in_answers};
  if (!leniency.any()) return violation;
  json::value relaxed = payload;
  std::vector<Relaxation> used;
  if (schema.validate(relaxed, leniency, used) || used.empty()) return violation;
  payload = std::move(relaxed);
  for (auto kind : {Relaxation::Kind::TimestampWithoutOffset, Relaxation::Kind::UnknownProperty}) {
    std::size_t count = 0;
    const Relaxation *first = nullptr;
    for (const auto &u : used) {
      if (u.kind != kind) continue;
      if (!first) first = &u;
      ++count;
    }
    if (!first) continue;
    std::string detail = std::string(action) + (answer ? " answer" : "") + ": '" + first->path + "' " +
                         (kind == Relaxation::Kind::TimestampWithoutOffset ? first->value + " read as UTC"
                                                                           : "dropped (" + first->value + ")");
    if (count > 1) detail += " and " + std::to_string(count - 1) + " more";
    compat_->record_use(station_,
                        kind == Relaxation::Kind::TimestampWithoutOffset ? "compat_timestamps_without_offset"
                                                                         : "compat_extra_properties_in_answers",
                        clipped(std::move(detail)));
  }
  return std::nullopt;
}

namespace {
//! Hands a CALL's outcome to whoever sent it. What that throws is logged here: the queue of
//! CALLs behind it goes on, and the other callers still get their outcomes.
void deliver(const core::StationId &station, std::function<void(CallOutcome)> &done, CallOutcome outcome) {
  if (!done) return;
  try {
    done(std::move(outcome));
  } catch (const std::exception &e) {
    core::log(core::Component::Ocpp).error("[{}] a CALL's outcome handler failed: {}", station.str(), e.what());
  } catch (...) {
    core::log(core::Component::Ocpp).error("[{}] a CALL's outcome handler failed", station.str());
  }
}
} // namespace

void Connection::call(std::string action, json::value payload, std::function<void(CallOutcome)> done) {
  asio::post(strand_, [self = shared_from_this(), action = std::move(action), payload = std::move(payload),
                       done = std::move(done)]() mutable {
    auto refuse = [&](std::string why) {
      CallOutcome o;
      o.status = self->closed_ ? CallOutcome::Status::Closed : CallOutcome::Status::NotSent;
      o.error_description = std::move(why);
      self->count_outbound(action, o, {});
      deliver(self->station_, done, std::move(o));
    };
    if (self->closed_) return refuse("connection closed");
    if (!self->catalog_.knows(action)) return refuse("unknown action " + action);
    if (const auto *schema = self->catalog_.request(action)) {
      if (auto violation = schema->validate(payload))
        return refuse(action + " payload fails its schema: " + violation->message);
    }
    if (self->queue_.size() >= self->options_.max_pending_calls)
      return refuse("too many calls queued for this station");
    self->queue_.push_back(Pending{std::move(action), std::move(payload), std::move(done), {}});
    self->pump();
  });
}

void Connection::pump() {
  if (closed_ || inflight_ || queue_.empty()) return;
  inflight_ = std::move(queue_.front());
  queue_.pop_front();
  inflight_->id = next_id();
  inflight_->sent_at = std::chrono::steady_clock::now();
  send(call_frame(inflight_->id, inflight_->action, inflight_->payload));
  timer_.expires_after(options_.call_timeout);
  timer_.async_wait([self = shared_from_this(), id = inflight_->id](boost::system::error_code ec) {
    if (ec || !self->inflight_ || self->inflight_->id != id) return;
    CallOutcome o;
    o.status = CallOutcome::Status::Timeout;
    o.error_description = "no answer within the call timeout";
    self->finish_inflight(std::move(o));
  });
}

void Connection::finish_inflight(CallOutcome outcome) {
  auto done = std::move(inflight_->done);
  count_outbound(inflight_->action, outcome, inflight_->sent_at);
  inflight_.reset();
  timer_.cancel();
  deliver(station_, done, std::move(outcome));
  pump();
}

bool Connection::send_result(const std::string &id, const std::string &action, const json::value &payload) {
  if (closed_) return false;
  if (const auto *schema = catalog_.response(action)) {
    if (auto violation = schema->validate(payload)) {
      // Never send a payload that fails its schema: the station gets an InternalError instead.
      log_.error("refusing to send an invalid {} response: {}", action, violation->message);
      send_error(id, RpcError::InternalError, "internal error");
      return false;
    }
  }
  send(call_result_frame(id, payload));
  return true;
}

void Connection::send_error(const std::string &id, RpcError code, std::string_view description) {
  if (closed_) return;
  send(call_error_frame(id, code, version(), description));
}

void Connection::on_closed() {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  boost::container::devector<Pending> pending;
  pending.swap(queue_);
  if (inflight_) pending.push_front(std::move(*inflight_));
  inflight_.reset();
  for (auto &p : pending) {
    CallOutcome o;
    o.status = CallOutcome::Status::Closed;
    o.error_description = "connection closed";
    count_outbound(p.action, o, {});
    deliver(station_, p.done, std::move(o));
  }
  uncount_connection();
}

} // namespace gridlane::ocpp
