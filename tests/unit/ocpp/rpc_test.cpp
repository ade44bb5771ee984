#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/ocpp/rpc.hpp"

using namespace gridlane::ocpp;
using gridlane::core::ProtocolVersion;

namespace {
FrameError error_of(std::string_view text, ProtocolVersion v = ProtocolVersion::Ocpp16) {
  auto r = parse_frame(text, v);
  EXPECT_TRUE(std::holds_alternative<FrameError>(r)) << text;
  return std::holds_alternative<FrameError>(r) ? std::get<FrameError>(r) : FrameError{};
}
} // namespace

TEST(Frames, parses_call_result_and_error) {
  auto call = std::get<Frame>(parse_frame(R"([2,"a1","Heartbeat",{}])", ProtocolVersion::Ocpp16));
  EXPECT_EQ(call.type, MessageType::Call);
  EXPECT_EQ(call.id, "a1");
  EXPECT_EQ(call.action, "Heartbeat");
  auto res = std::get<Frame>(parse_frame(R"([3,"a2",{"x":1}])", ProtocolVersion::Ocpp16));
  EXPECT_EQ(res.type, MessageType::CallResult);
  EXPECT_EQ(res.payload.at("x").as_int64(), 1);
  auto err = std::get<Frame>(parse_frame(R"([4,"a3","NotSupported","nope",{}])", ProtocolVersion::Ocpp16));
  EXPECT_EQ(err.error_code, "NotSupported");
  EXPECT_EQ(err.error_description, "nope");
}

TEST(Frames, broken_frames_are_protocol_errors_in_16) {
  EXPECT_EQ(error_of("not json").code, RpcError::ProtocolError);
  EXPECT_EQ(error_of("not json").id, "-1");
  EXPECT_EQ(error_of(R"({"a":1})").code, RpcError::ProtocolError);
  EXPECT_EQ(error_of(R"([2,"id"])").code, RpcError::ProtocolError);
  EXPECT_EQ(error_of(R"([2,17,"Heartbeat",{}])").id, "-1");
  EXPECT_EQ(error_of(R"([2,"a","Heartbeat",{}, 5])").code, RpcError::ProtocolError);
  EXPECT_EQ(error_of(R"([2,"a","Heartbeat",{}, 5])").id, "a");
  EXPECT_EQ(wire_name(error_of(R"([9,"a","Heartbeat",{}])").code, ProtocolVersion::Ocpp16), "ProtocolError");
  EXPECT_EQ(error_of(R"([2,"a","Heartbeat",[]])").code, RpcError::FormatViolation);
  EXPECT_EQ(error_of(R"([2,"0123456789012345678901234567890123456","Heartbeat",{}])").id, "-1");
}

TEST(Frames, broken_frames_are_rpc_framework_errors_in_2x) {
  EXPECT_EQ(error_of("not json", ProtocolVersion::Ocpp201).code, RpcError::RpcFrameworkError);
  EXPECT_EQ(error_of(R"([7,"a","Heartbeat",{}])", ProtocolVersion::Ocpp201).code, RpcError::MessageTypeNotSupported);
  EXPECT_EQ(error_of(R"([6,"a","NotifyPeriodicEventStream",{}])", ProtocolVersion::Ocpp201).code,
            RpcError::MessageTypeNotSupported);
  EXPECT_TRUE(
      std::holds_alternative<Frame>(parse_frame(R"([6,"a","NotifyPeriodicEventStream",{}])", ProtocolVersion::Ocpp21)));
}

TEST(Frames, builds_frames_that_parse_back) {
  auto text = call_error_frame("m1", RpcError::OccurrenceConstraintViolation, ProtocolVersion::Ocpp16, "missing");
  EXPECT_EQ(text, R"([4,"m1","OccurenceConstraintViolation","missing",{}])");
  EXPECT_EQ(call_frame("m2", "Reset", boost::json::object{{"type", "Soft"}}), R"([2,"m2","Reset",{"type":"Soft"}])");
  EXPECT_EQ(call_result_frame("m3", boost::json::object{}), R"([3,"m3",{}])");
  std::string long_description(400, 'x');
  auto parsed = std::get<Frame>(
      parse_frame(call_error_frame("m4", RpcError::InternalError, ProtocolVersion::Ocpp16, long_description),
                  ProtocolVersion::Ocpp16));
  EXPECT_EQ(parsed.error_description.size(), 255u);
}

TEST(Frames, message_types_beyond_int64_are_unsupported_not_thrown) {
  // 2^64-1 parses as an unsigned number that no int64 holds; it was once narrowed with a throw.
  auto e16 = error_of(R"([18446744073709551615,"x","Heartbeat",{}])");
  EXPECT_EQ(wire_name(e16.code, ProtocolVersion::Ocpp16), "ProtocolError");
  EXPECT_EQ(e16.id, "x");
  EXPECT_NE(e16.message.find("18446744073709551615"), std::string::npos);
  auto e2 = error_of(R"([18446744073709551615,"x","Heartbeat",{}])", ProtocolVersion::Ocpp201);
  EXPECT_EQ(e2.code, RpcError::MessageTypeNotSupported);
  EXPECT_EQ(e2.id, "x");
  EXPECT_EQ(error_of(R"([9223372036854775808,"x","Heartbeat",{}])", ProtocolVersion::Ocpp21).code,
            RpcError::MessageTypeNotSupported);
  EXPECT_EQ(error_of(R"([-9223372036854775808,"x","Heartbeat",{}])", ProtocolVersion::Ocpp21).code,
            RpcError::MessageTypeNotSupported);
  EXPECT_EQ(error_of(R"([-2,"x","Heartbeat",{}])", ProtocolVersion::Ocpp201).code, RpcError::MessageTypeNotSupported);
  EXPECT_EQ(error_of(R"([0,"x","Heartbeat",{}])", ProtocolVersion::Ocpp201).code, RpcError::MessageTypeNotSupported);
}

TEST(Frames, message_types_that_are_not_integers_are_framework_errors) {
  EXPECT_EQ(error_of(R"([2.0,"x","Heartbeat",{}])", ProtocolVersion::Ocpp201).code, RpcError::RpcFrameworkError);
  EXPECT_EQ(error_of(R"([1e400,"x","Heartbeat",{}])", ProtocolVersion::Ocpp201).code, RpcError::RpcFrameworkError);
  EXPECT_EQ(error_of(R"(["2","x","Heartbeat",{}])").code, RpcError::ProtocolError);
  EXPECT_EQ(error_of(R"([null,"x","Heartbeat",{}])").id, "x");
  EXPECT_EQ(error_of(R"([true,"x","Heartbeat",{}])").code, RpcError::ProtocolError);
}
