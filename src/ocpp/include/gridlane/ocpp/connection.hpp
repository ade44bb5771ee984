#pragma once
//! One station's OCPP-J conversation, independent of the transport: inbound frames are parsed,
//! validated against the version's schemas and dispatched; answers are validated before they
//! leave; outbound CALLs are queued so that at most one is outstanding, matched by id and timed
//! out. Everything here runs on the connection's strand; Responder and call() may be used from
//! any thread.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/container/devector.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/ids.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/domain/compat.hpp"
#include "gridlane/domain/trace.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/ocpp/message_metrics.hpp"
#include "gridlane/ocpp/rpc.hpp"

namespace gridlane::ocpp {

//! Implemented by the network layer. Called on the connection's strand only.
class Transport {
public:
  virtual ~Transport() = default;
  virtual void send(std::string frame) = 0;
  //! Closes the connection with a WebSocket close code and reason.
  virtual void close(std::uint16_t code, std::string reason) = 0;
};

class Connection;

//! Answers one inbound CALL exactly once, from any thread.
class Responder {
public:
  Responder(std::shared_ptr<Connection> conn, std::string id, std::string action,
            std::chrono::steady_clock::time_point received = std::chrono::steady_clock::now())
      : conn_(std::move(conn)), id_(std::move(id)), action_(std::move(action)), received_(received) {}
  void result(boost::json::value payload);
  void error(RpcError code, std::string description);
  const std::string &action() const { return action_; }

private:
  std::shared_ptr<Connection> conn_;
  std::string id_;
  std::string action_;
  std::chrono::steady_clock::time_point received_; //!< the CALL's arrival (handling latency)
};

//! A version adapter: turns validated CALLs into domain calls.
class CallDispatcher {
public:
  virtual ~CallDispatcher() = default;
  //! True for the actions a CSMS handles (the others are NotSupported).
  virtual bool supports(std::string_view action) const = 0;
  virtual void on_call(const std::string &action, const boost::json::value &payload, Responder responder) = 0;
  //! An OCPP 2.1 SEND: validated, never answered.
  virtual void on_send(const std::string & /*action*/, const boost::json::value & /*payload*/) {}
  //! A CALL this connection sent was answered with a valid CALLRESULT (before its caller hears).
  virtual void on_result(const std::string & /*action*/, const boost::json::value & /*request*/,
                         const boost::json::value & /*response*/) {}
};

//! The outcome of a CALL sent to the station.
struct CallOutcome {
  enum class Status {
    Result,  //!< CALLRESULT, valid against the response schema
    Error,   //!< CALLERROR from the station, or a CALLRESULT that failed its schema
    Timeout, //!< no answer within the call timeout
    Closed,  //!< the connection closed first
    NotSent, //!< refused before sending: payload fails its schema, unknown action, queue full
  };
  Status status = Status::Closed;
  boost::json::value payload;
  std::string error_code;
  std::string error_description;
};

struct ConnectionOptions {
  std::chrono::milliseconds call_timeout{30000};
  std::size_t max_pending_calls = 64;
  std::size_t recent_frames = 20; //!< frames kept for troubleshooting (0: none)
};

//! A frame kept for troubleshooting.
struct KeptFrame {
  std::chrono::system_clock::time_point at;
  bool inbound;
  std::string text;
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
  Connection(boost::asio::any_io_executor strand, core::StationId station, const MessageCatalog &catalog,
             Transport &transport, ConnectionOptions options);

  void set_dispatcher(std::unique_ptr<CallDispatcher> dispatcher) { dispatcher_ = std::move(dispatcher); }
  //! Where the station's compatibility settings are looked up when a message fails its schema
  //! (none: always strict). Before the first frame.
  void set_compat(domain::CompatDirectory *compat) { compat_ = compat; }
  //! Where the station's trace switch is read: while on, every frame in and out is logged (info,
  //! "[<station>] frame in: ..." / "frame out: ...", cut at TraceSet::max_text). Before the first frame.
  void set_trace(const domain::StationTrace *trace) { trace_ = trace; }
  //! Where messages are counted and timed (none: not measured). Before the first frame; the
  //! connection counts itself open until on_closed (or its end).
  void set_metrics(MessageMetrics *metrics);
  ~Connection();

  //! A text frame from the station. On the strand. A failure while handling a frame is logged
  //! and, for a CALL, answered InternalError; only a failure to do even that reaches the caller.
  void on_text(std::string_view text);
  //! The transport closed: pending CALLs fail with Closed, late answers are dropped. On the strand.
  void on_closed();

  //! Asks the transport to close with this WebSocket close code and reason (unless it closed
  //! already); on_closed follows once it has. Any thread.
  void close(std::uint16_t code, std::string reason);

  //! Sends a CALL to the station; `done` runs on the strand. Any thread.
  void call(std::string action, boost::json::value payload, std::function<void(CallOutcome)> done);

  const core::StationId &station() const { return station_; }
  core::ProtocolVersion version() const { return catalog_.version(); }
  const boost::asio::any_io_executor &executor() const { return strand_; }
  //! The last frames in and out, oldest first. Any thread.
  std::vector<KeptFrame> recent_frames() const;

private:
  friend class Responder;
  struct Pending {
    std::string action;
    boost::json::value payload;
    std::function<void(CallOutcome)> done;
    std::string id;
    std::chrono::steady_clock::time_point sent_at{};
  };
  //! False when the payload failed its schema and an InternalError went instead.
  bool send_result(const std::string &id, const std::string &action, const boost::json::value &payload);
  void send_error(const std::string &id, RpcError code, std::string_view description);
  //! Counts an inbound CALL's fate (no-op without metrics).
  void count_inbound(std::string_view action, InboundResult result, std::chrono::steady_clock::time_point received);
  void count_outbound(std::string_view action, const CallOutcome &outcome, std::chrono::steady_clock::time_point sent);
  void uncount_connection();
  void handle_text(std::string_view text, std::string &call_id);
  void handle_call(Frame &frame);
  void handle_answer(Frame &frame);
  void handle_send(Frame &frame);
  //! Strict validation; lenient only where the station's compatibility settings allow (answer:
  //! the payload is a CALLRESULT to `action`), each deviation accepted recorded.
  std::optional<ValidationError> validate(const CompiledSchema &schema, boost::json::value &payload, bool answer,
                                          std::string_view action);
  void pump();
  void finish_inflight(CallOutcome outcome);
  std::string next_id();
  void keep(bool inbound, std::string_view text);
  void trace(bool inbound, std::string_view text) const;
  void send(std::string frame);

  boost::asio::any_io_executor strand_;
  core::StationId station_;
  const MessageCatalog &catalog_;
  Transport &transport_;
  ConnectionOptions options_;
  std::unique_ptr<CallDispatcher> dispatcher_;
  domain::CompatDirectory *compat_ = nullptr;
  const domain::StationTrace *trace_ = nullptr;
  MessageMetrics *metrics_ = nullptr;
  //! The open-connections gauge this connection counts itself in until closed (the registry's:
  //! it outlives the MessageMetrics, which a connection may outlive in shutdown).
  core::metrics::Gauge *open_gauge_ = nullptr;
  // devector, not deque: an empty std::deque still allocates a 512-byte block, and on an idle
  // station's connection this queue is empty nearly all the time.
  boost::container::devector<Pending> queue_;
  std::optional<Pending> inflight_;
  boost::asio::steady_timer timer_;
  std::uint64_t id_prefix_;
  std::uint64_t id_counter_ = 0;
  bool closed_ = false;
  mutable std::mutex frames_mutex_; // the strand writes, API readers read: rarely contended
  // The recent frames, packed one after another (time, direction, length, text) in one
  // buffer: no allocation per frame, and an idle station's few frames cost only their bytes.
  std::string frames_;
  std::size_t frame_count_ = 0;
  core::StationLog log_; //!< "[<station>] ..." lines of the ocpp component
};

} // namespace gridlane::ocpp
