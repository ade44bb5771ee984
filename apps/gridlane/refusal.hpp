#pragma once
//! How `gridlane admin` reports what a service refused: "gridlane: invalid: <message> (<field>)"
//! on standard error and exit status 1 (main catches the exception). One place for every
//! admin command file.
#include <stdexcept>
#include <string>
#include <utility>

#include "gridlane/domain/result.hpp"

namespace gridlane::app {

[[noreturn]] inline void refuse(const domain::ServiceError &e) {
  throw std::invalid_argument(std::string(to_string(e.code)) + ": " + e.message +
                              (e.field ? " (" + *e.field + ")" : std::string{}));
}

//! The value of a service's answer, or its refusal reported as above.
template <class T> T checked(domain::Result<T> r) {
  if (!r) refuse(r.error());
  return std::move(*r);
}

inline void checked(const domain::Result<void> &r) {
  if (!r) refuse(r.error());
}

} // namespace gridlane::app
