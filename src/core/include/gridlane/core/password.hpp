#pragma once
//! Password hashing with argon2id (libsodium). Slow on purpose: never call on a network thread.
#include <string>
#include <string_view>

namespace gridlane::core {

//! Returns an encoded argon2id hash ("$argon2id$v=19$m=...") of arbitrary bytes.
std::string hash_password(std::string_view password);

//! True when the password matches the encoded hash.
bool verify_password(const std::string &encoded_hash, std::string_view password);

//! A fresh random bearer secret, "<prefix>_" + 43 base64url characters (256 bits).
std::string random_token(std::string_view prefix);

//! How bearer secrets are stored: hex BLAKE2b-256. Secrets are random, so no salt or stretching.
std::string token_hash(std::string_view token);

//! Lower-case hex SHA-256 of bytes (firmware files: what stations and operators compare).
std::string sha256_hex(std::string_view data);

} // namespace gridlane::core
