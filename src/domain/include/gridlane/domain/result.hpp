#pragma once
//! Expected failures as values. A service that can refuse (a bad parameter, something missing,
//! a conflict with what is stored) returns `Result<T>`; the edges map a ServiceError once: the
//! API to HTTP problem+json (api), the OCPP adapters to the version's CALLERROR code (ocpp).
//! Exceptions stay for the truly exceptional (a broken database), caught at the boundary.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/system/result.hpp>

namespace gridlane::domain {

struct ServiceError {
  enum class Code {
    Invalid,     //!< the request is malformed or breaks a rule (HTTP 422, OCPP FormationViolation...)
    NotFound,    //!< what it refers to does not exist (HTTP 404)
    Conflict,    //!< it contradicts what is stored (HTTP 409)
    Forbidden,   //!< the caller may not do this (HTTP 403, OCPP SecurityError)
    Unavailable, //!< try again later: busy, station offline (HTTP 503)
    Internal,    //!< a failure of Gridlane itself (HTTP 500, OCPP InternalError)
  };
  Code code = Code::Invalid;
  std::string message;              //!< for people: what is wrong and, if it helps, what to do
  std::optional<std::string> field; //!< the offending input, e.g. "password" or "evses[2].uid"

  static ServiceError invalid(std::string message, std::optional<std::string> field = std::nullopt) {
    return {Code::Invalid, std::move(message), std::move(field)};
  }
  static ServiceError not_found(std::string message) { return {Code::NotFound, std::move(message), std::nullopt}; }
  static ServiceError conflict(std::string message) { return {Code::Conflict, std::move(message), std::nullopt}; }
  static ServiceError forbidden(std::string message) { return {Code::Forbidden, std::move(message), std::nullopt}; }
  static ServiceError unavailable(std::string message) { return {Code::Unavailable, std::move(message), std::nullopt}; }
  static ServiceError internal(std::string message) { return {Code::Internal, std::move(message), std::nullopt}; }
};

std::string_view to_string(ServiceError::Code code);

//! Reading the value of a failed result is a programming error: boost::system::result calls
//! this (found by argument-dependent lookup), and it throws std::logic_error with the message.
[[noreturn]] void throw_exception_from_error(const ServiceError &e, const boost::source_location &loc);

template <class T> using Result = boost::system::result<T, ServiceError>;

} // namespace gridlane::domain
