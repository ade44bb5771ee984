#pragma once
//! Password hashing with argon2id (libsodium). Slow on purpose: never call on a network thread.
#include <string>
#include <string_view>

namespace gridlane::core {

//! Returns an encoded argon2id hash ("$argon2id$v=19$m=...") of arbitrary bytes.
std::string hash_password(std::string_view password);

//! True when the password matches the encoded hash.
bool verify_password(const std::string& encoded_hash, std::string_view password);

} // namespace gridlane::core
