#pragma once
// The row codec of the domain's protocol enums: each is stored as its wire text (the text the
// columns held before they were typed, so no migration), and read back with its parse function.
// A text Gridlane never writes reads as absent (optional columns) or the caller's fallback.
#include <optional>
#include <string>

namespace gridlane::store {

template <class E> std::optional<std::string> enum_text(const std::optional<E> &v) {
  return v ? std::optional<std::string>(std::string(to_string(*v))) : std::nullopt;
}

template <class Parse>
auto enum_column(const std::optional<std::string> &text, Parse parse) -> decltype(parse(std::string_view{})) {
  if (!text) return std::nullopt;
  return parse(*text);
}

} // namespace gridlane::store
