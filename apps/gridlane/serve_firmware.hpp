#pragma once
//! Firmware's plain HTTP endpoints (docs/operations.md "Firmware"), mounted by its block in
//! serve_ops.cpp: stations download files at /firmware/{id}/{file name} (GET and HEAD, one byte
//! range for a resumed download), and the upload route of the API gets a body limit of its own.
#include <filesystem>
#include <optional>
#include <string>

#include "gridlane/core/config.hpp"
#include "gridlane/net/server.hpp"
#include "gridlane/services/async.hpp"
#include "gridlane/services/firmware_service.hpp"

namespace gridlane::api {
class Api;
}

namespace gridlane::app {

//! `[firmware] directory`, else a `firmware` folder beside the SQLite database (the working
//! directory's for an in-memory one).
std::filesystem::path firmware_directory(const core::Config &config);

//! One `Range: bytes=...` header over a body of `size` bytes: [first, last], nullopt when it asks
//! for no byte of the body (416); a header that is not one byte range is the whole body.
struct ByteRange {
  std::int64_t first = 0, last = 0;
};
std::optional<ByteRange> parse_range(const std::string &header, std::int64_t size, bool &whole);

//! GET/HEAD /firmware/{id}/{file name}: the row read on the store; the bytes (the whole file or
//! the requested range) streamed from the file by the listener (net::FileSpan).
net::PlainHandler firmware_download(domain::StoreExecutor &store, services::FirmwareService &files);
//! Hands a request of the mount to the API unchanged (the API authenticates and routes it).
net::PlainHandler forward_to_api(api::Api &api);

} // namespace gridlane::app
