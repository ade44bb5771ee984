#pragma once
// Shared by the 1.6 and 2.x command renderers: a domain option onto a generated wire enum (the
// generated enums and the domain's share the OCPP names), and the refusals they return.
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "gridlane/domain/commands.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::ocpp::command_wire {

//! 'text', for messages that name a field.
inline std::string quoted(std::string_view text) {
  std::string s;
  s.reserve(text.size() + 2);
  s += '\'';
  s += text;
  s += '\'';
  return s;
}

//! The wire value of this name, when the version's enum has it.
template <class W> std::optional<W> wire_enum(std::string_view name) {
  W out{};
  if (from_string(name, out)) return out;
  return std::nullopt;
}

//! Sets a generated field (an enum of this version, a 2.1 open string, or an optional of either)
//! to a name; false when the version's enum does not have it.
template <class F> bool set_name(F &field, std::string_view name) {
  if constexpr (std::is_same_v<F, std::string>) {
    field = std::string(name);
    return true;
  } else if constexpr (requires {
                         typename F::value_type;
                         field.emplace();
                       }) {
    return set_name(field.emplace(), name);
  } else {
    auto w = wire_enum<F>(name);
    if (w) field = *w;
    return w.has_value();
  }
}

inline domain::ServiceError cannot(std::string message, std::string field) {
  return domain::ServiceError::invalid(std::move(message), std::move(field));
}
inline domain::ServiceError required(std::string_view field, std::string_view version) {
  return cannot(quoted(std::string(field)) + " (integer) is required for OCPP " + std::string(version),
                std::string(field));
}

//! A rate (thousandths of A or W) as the wire's number.
inline double rate_number(domain::RateMilli r) {
  return static_cast<double>(r.thousandths) / 1000.0;
}

} // namespace gridlane::ocpp::command_wire
