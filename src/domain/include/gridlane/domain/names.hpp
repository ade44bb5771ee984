#pragma once
//! Enum spellings written once as tables: the codecs (API, OCPI, OCPP adapters) and the store's
//! rows read and write an enum's names through its table.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace gridlane::domain {

template <class E, std::size_t N> using NameTable = std::array<std::pair<E, std::string_view>, N>;

//! The name of `value` in `names` (every enumerator is listed; empty otherwise).
template <class E, std::size_t N> constexpr std::string_view name_of(const NameTable<E, N> &names, E value) {
  for (const auto &[e, name] : names)
    if (e == value) return name;
  return {};
}

//! The enumerator named `name` exactly, if any.
template <class E, std::size_t N>
constexpr std::optional<E> value_of(const NameTable<E, N> &names, std::string_view name) {
  for (const auto &[e, n] : names)
    if (n == name) return e;
  return std::nullopt;
}

} // namespace gridlane::domain
