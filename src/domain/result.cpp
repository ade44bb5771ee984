#include "gridlane/domain/result.hpp"

#include <stdexcept>

namespace gridlane::domain {

std::string_view to_string(ServiceError::Code code) {
  switch (code) {
  case ServiceError::Code::Invalid: return "invalid";
  case ServiceError::Code::NotFound: return "not_found";
  case ServiceError::Code::Conflict: return "conflict";
  case ServiceError::Code::Forbidden: return "forbidden";
  case ServiceError::Code::Unavailable: return "unavailable";
  case ServiceError::Code::Internal: return "internal";
  }
  return "internal";
}

void throw_exception_from_error(const ServiceError &e, const boost::source_location &) {
  throw std::logic_error("the value of a failed result was read: " + std::string(to_string(e.code)) + ": " + e.message);
}

} // namespace gridlane::domain
