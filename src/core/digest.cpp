#include "gridlane/core/digest.hpp"

#include <sodium.h>
#include <stdexcept>

namespace gridlane::core {

std::string sha256_hex(std::string_view data) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char *>(data.data()), data.size());
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, sizeof digest * 2);
}

} // namespace gridlane::core
