#pragma once
//! OCPP-J framing: CALL [2,id,action,payload], CALLRESULT [3,id,payload],
//! CALLERROR [4,id,code,description,details]; OCPP 2.1 adds CALLRESULTERROR [5,...] and SEND [6,...].
//! Error codes are mapped to each version's spelling here and nowhere else.
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "gridlane/core/ids.hpp"
#include "gridlane/ocpp/schema_validator.hpp"

namespace gridlane::ocpp {

using core::ProtocolVersion;

enum class MessageType { Call = 2, CallResult = 3, CallError = 4, CallResultError = 5, Send = 6 };

//! RPC error codes, named as OCPP 2.x names them; wire_name() gives each version's spelling.
enum class RpcError {
  FormatViolation, //!< 1.6: FormationViolation
  GenericError,
  InternalError,
  MessageTypeNotSupported, //!< 2.x only; 1.6 uses ProtocolError
  NotImplemented,
  NotSupported,
  OccurrenceConstraintViolation, //!< 1.6: OccurenceConstraintViolation (sic)
  PropertyConstraintViolation,
  ProtocolError,
  RpcFrameworkError, //!< 2.x only; 1.6 uses ProtocolError
  SecurityError,
  TypeConstraintViolation,
};

std::string_view wire_name(RpcError code, ProtocolVersion version);
//! Reads an error code in either version's spelling.
std::optional<RpcError> parse_rpc_error(std::string_view text);
//! Which CALLERROR a schema violation of an inbound payload gets.
RpcError error_for(ValidationError::Kind kind);

struct Frame {
  MessageType type = MessageType::Call;
  std::string id;
  std::string action;         //!< CALL and SEND
  boost::json::value payload; //!< CALL, SEND, CALLRESULT
  std::string error_code;     //!< CALLERROR / CALLRESULTERROR
  std::string error_description;
  boost::json::value error_details;
};

//! A frame that could not be read: answer with a CALLERROR with this code and id.
struct FrameError {
  RpcError code;
  std::string id; //!< "-1" when the message id could not be read
  std::string message;
};

std::variant<Frame, FrameError> parse_frame(std::string_view text, ProtocolVersion version);

//! The payload is taken by value: a caller that moves it in spares a copy (the simulator's load).
std::string call_frame(std::string_view id, std::string_view action, boost::json::value payload);
std::string call_result_frame(std::string_view id, const boost::json::value &payload);
std::string call_error_frame(std::string_view id, RpcError code, ProtocolVersion version, std::string_view description,
                             const boost::json::object &details = {});
//! OCPP 2.1: [5, id, code, description, details], answering an unacceptable CALLRESULT.
std::string call_result_error_frame(std::string_view id, RpcError code, ProtocolVersion version,
                                    std::string_view description);

} // namespace gridlane::ocpp
