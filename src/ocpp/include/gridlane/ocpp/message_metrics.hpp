#pragma once
//! The OCPP message path's metrics (docs/operations.md, Observability): connections by protocol,
//! messages by action, direction and result, handling latency by action and direction. Actions
//! are labelled by the version's catalogue, never by what the wire says: a name the catalogue
//! does not know is counted as "other", so the series stay bounded whatever stations send.
//! Lookups are lock-free (a map fixed at construction); a series is registered on first use.
#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gridlane/core/ids.hpp"
#include "gridlane/core/metrics.hpp"
#include "gridlane/ocpp/catalog.hpp"

namespace gridlane::ocpp {

//! What became of an inbound CALL (or SEND).
enum class InboundResult : std::uint8_t {
  Accepted, //!< answered with a CALLRESULT (a SEND: handled)
  Rejected, //!< refused before handling: unknown, not for a CSMS, or failing its schema
  CallError //!< the handler answered with a CALLERROR (or failed: InternalError)
};

//! What became of a CALL sent to a station.
enum class OutboundResult : std::uint8_t { Result, CallError, Timeout, Closed, NotSent };

class MessageMetrics {
public:
  //! Registers nothing yet; `registry` and the catalogues outlive this.
  MessageMetrics(core::metrics::Registry &registry, const MessageCatalog &catalog16, const MessageCatalog &catalog201,
                 const MessageCatalog &catalog21);
  ~MessageMetrics();
  MessageMetrics(const MessageMetrics &) = delete;
  MessageMetrics &operator=(const MessageMetrics &) = delete;

  //! One action's series of one version, looked up once per message.
  class Action;
  //! The action's series; "other" for a name the version's catalogue does not know.
  Action &action(core::ProtocolVersion version, std::string_view name);

  void inbound(Action &a, InboundResult result, std::chrono::steady_clock::duration took);
  //! `took` is the round trip, observed for answered CALLs only (a timeout is counted, not timed).
  void outbound(Action &a, OutboundResult result, std::chrono::steady_clock::duration took);
  //! An inbound frame that is not a message at all (not JSON, not an OCPP-J array).
  void bad_frame(core::ProtocolVersion version);
  //! The open connections of a version (gridlane_ocpp_connections).
  core::metrics::Gauge &connections(core::ProtocolVersion version);

private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  struct Version {
    std::unordered_map<std::string, std::unique_ptr<Action>, Hash, std::equal_to<>> actions;
    std::unique_ptr<Action> other;
    core::metrics::Gauge *connections = nullptr;
    core::metrics::Counter *bad_frames = nullptr;
  };
  core::metrics::Registry &registry_;
  std::array<Version, 3> versions_;
};

} // namespace gridlane::ocpp
