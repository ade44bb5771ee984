#pragma once
//! Content digests (libsodium): the SHA-256 recorded for every stored diagnostics file.
#include <string>
#include <string_view>

namespace gridlane::core {

//! SHA-256 of `data` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

} // namespace gridlane::core
