#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace gridlane::core {

//! Decodes standard base64 (with padding); nullopt for malformed input.
std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

} // namespace gridlane::core
