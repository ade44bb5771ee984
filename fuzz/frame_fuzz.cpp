// The OCPP-J frame parser (parse_frame) under each version, with the frames Gridlane writes in
// answer: whatever arrives, parsing returns a Frame or a FrameError (never throws), and the
// answer built from either is itself a frame that parses back to the same id and content.
#include <boost/json.hpp>
#include <cmath>
#include <limits>

#include "fuzz_support.hpp"
#include "gridlane/ocpp/rpc.hpp"

using namespace gridlane;
using namespace gridlane::ocpp;

namespace {

// Equal, except that a double may come back one unit in the last place off: Boost.JSON 1.81
// parses decimals fast rather than correctly rounded, so text -> double -> text -> double can
// land on the neighbour. That is Boost's documented behaviour, not a Gridlane defect.
// A whole double is written without a fraction (16.0 as 16, by design: plain decimals), so it
// reads back as an integer: numbers compare as numbers, whatever kind holds them.
bool same(const boost::json::value &a, const boost::json::value &b) {
  if (a.is_number() && b.is_number() && (a.is_double() || b.is_double())) {
    double x = a.to_number<double>(), y = b.to_number<double>();
    return x == y || std::fabs(x - y) <= 4 * std::numeric_limits<double>::epsilon() * std::fabs(x);
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &p = a.get_array(), &q = b.get_array();
    if (p.size() != q.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
      if (!same(p[i], q[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const auto &p = a.get_object(), &q = b.get_object();
    if (p.size() != q.size()) return false;
    for (const auto &[k, v] : p) {
      const auto *w = q.if_contains(k);
      if (!w || !same(v, *w)) return false;
    }
    return true;
  }
  return a == b;
}

Frame reparse(const std::string &text, core::ProtocolVersion version) {
  auto again = parse_frame(text, version);
  GRIDLANE_FUZZ_CHECK(std::holds_alternative<Frame>(again), "a frame Gridlane writes does not parse");
  return std::get<Frame>(std::move(again));
}

void check_one(std::string_view text, core::ProtocolVersion version) {
  auto parsed = parse_frame(text, version);
  if (auto *err = std::get_if<FrameError>(&parsed)) {
    // The CALLERROR answering a broken frame must be a valid frame for the station.
    auto answer = reparse(call_error_frame(err->id, err->code, version, err->message), version);
    GRIDLANE_FUZZ_CHECK(answer.type == MessageType::CallError, "the answer to a broken frame is not a CALLERROR");
    GRIDLANE_FUZZ_CHECK(answer.id == err->id, "the answer to a broken frame lost its id");
    GRIDLANE_FUZZ_CHECK(
        parse_rpc_error(answer.error_code) == err->code ||
            (version == core::ProtocolVersion::Ocpp16 && parse_rpc_error(answer.error_code) == RpcError::ProtocolError),
        "the answer to a broken frame carries another error code");
    return;
  }
  auto &f = std::get<Frame>(parsed);
  GRIDLANE_FUZZ_CHECK(!f.id.empty() && f.id.size() <= 36, "a frame was read with an id outside 1..36 characters");
  switch (f.type) {
  case MessageType::Call:
  case MessageType::Send: {
    GRIDLANE_FUZZ_CHECK(f.payload.is_object(), "a CALL was read with a payload that is not an object");
    auto again = reparse(call_frame(f.id, f.action, f.payload), version);
    GRIDLANE_FUZZ_CHECK(again.type == MessageType::Call && again.id == f.id && again.action == f.action &&
                            same(again.payload, f.payload),
                        "a CALL does not survive writing and reading back");
    // What the connection answers an unknown action with.
    auto answer =
        reparse(call_error_frame(f.id, RpcError::NotImplemented, version, "unknown action " + f.action), version);
    GRIDLANE_FUZZ_CHECK(answer.id == f.id, "the NotImplemented answer lost the id");
    break;
  }
  case MessageType::CallResult: {
    auto again = reparse(call_result_frame(f.id, f.payload), version);
    GRIDLANE_FUZZ_CHECK(again.type == MessageType::CallResult && again.id == f.id && same(again.payload, f.payload),
                        "a CALLRESULT does not survive writing and reading back");
    break;
  }
  case MessageType::CallError:
  case MessageType::CallResultError:
    GRIDLANE_FUZZ_CHECK(version == core::ProtocolVersion::Ocpp21 || f.type == MessageType::CallError,
                        "a CALLRESULTERROR was read outside OCPP 2.1");
    break;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  for (auto v : {core::ProtocolVersion::Ocpp16, core::ProtocolVersion::Ocpp201, core::ProtocolVersion::Ocpp21})
    check_one(text, v);
  return 0;
}
