#include "gridlane/alerts/signature.hpp"

#include <array>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace gridlane::alerts {

std::string sign(std::string_view secret, std::int64_t timestamp, std::string_view body) {
  std::string material = std::to_string(timestamp);
  material += '.';
  material += body;
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char *>(material.data()), material.size(), mac.data(), &size))
    throw std::runtime_error("HMAC-SHA256 failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < size; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 0xF];
  }
  return out;
}

} // namespace gridlane::alerts
