#pragma once
//! Shared by the fuzz targets: an invariant check that stops the run with the input kept, and
//! the way an input's first bytes choose what is fuzzed.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "gridlane/core/ids.hpp"
#include "gridlane/ocpp/catalog.hpp"

namespace gridlane::fuzz {

//! A broken invariant is a finding like a crash: libFuzzer keeps the input as crash-<sha1>.
#define GRIDLANE_FUZZ_CHECK(cond, what)                                                                                \
  do {                                                                                                                 \
    if (!(cond)) {                                                                                                     \
      std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", __FILE__, __LINE__, what);                          \
      std::abort();                                                                                                    \
    }                                                                                                                  \
  } while (0)

//! Reads the input front to back: a few selector bytes, then the rest as text.
struct Input {
  const std::uint8_t *data;
  std::size_t size;

  //! The next byte (0 once the input is used up).
  std::uint8_t byte() {
    if (size == 0) return 0;
    --size;
    return *data++;
  }
  std::string_view rest() const { return {reinterpret_cast<const char *>(data), size}; }
};

inline core::ProtocolVersion version_from(std::uint8_t b) {
  switch (b % 3) {
  case 0: return core::ProtocolVersion::Ocpp16;
  case 1: return core::ProtocolVersion::Ocpp201;
  default: return core::ProtocolVersion::Ocpp21;
  }
}

//! The compiled official schemas of one OCPP version, built once per process.
inline const ocpp::MessageCatalog &catalog_of(core::ProtocolVersion version) {
  static const ocpp::MessageCatalog v16{core::ProtocolVersion::Ocpp16};
  static const ocpp::MessageCatalog v201{core::ProtocolVersion::Ocpp201};
  static const ocpp::MessageCatalog v21{core::ProtocolVersion::Ocpp21};
  return version == core::ProtocolVersion::Ocpp16 ? v16 : version == core::ProtocolVersion::Ocpp201 ? v201 : v21;
}

} // namespace gridlane::fuzz
