#pragma once
//! The webhook signature (docs/operations.md "Verifying a webhook"): HMAC-SHA256 keyed with the
//! channel's secret over "<timestamp>.<raw body>", where <timestamp> is the X-Gridlane-Timestamp
//! header (Unix seconds); sent as `X-Gridlane-Signature: sha256=<64 lower-case hex digits>`.
#include <cstdint>
#include <string>
#include <string_view>

namespace gridlane::alerts {

//! "sha256=" + hex(HMAC-SHA256(secret, std::to_string(timestamp) + "." + body)).
std::string sign(std::string_view secret, std::int64_t timestamp, std::string_view body);

} // namespace gridlane::alerts
