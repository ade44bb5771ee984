#include "serve_firmware.hpp"

#include <charconv>

#include "gridlane/api/api.hpp"
#include "gridlane/core/logging.hpp"

namespace gridlane::app {
namespace fs = std::filesystem;

fs::path firmware_directory(const core::Config &config) {
  if (!config.firmware.directory.empty()) return config.firmware.directory;
  auto url = core::parse_database_url(config.database.url);
  if (url.engine == core::DatabaseEngine::Sqlite && !url.target.empty() && url.target != ":memory:" &&
      !url.target.starts_with("file:"))
    return fs::path(url.target).parent_path() / "firmware";
  return fs::path("firmware");
}

namespace {

std::optional<std::int64_t> number(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

net::PlainResponse text(int status, std::string body) {
  net::PlainResponse r;
  r.status = status;
  r.body = std::move(body) + "\n";
  return r;
}

} // namespace

std::optional<ByteRange> parse_range(const std::string &header, std::int64_t size, bool &whole) {
  whole = true;
  constexpr std::string_view unit = "bytes=";
  if (header.size() <= unit.size() || header.compare(0, unit.size(), unit) != 0) return ByteRange{0, size - 1};
  std::string_view spec = std::string_view(header).substr(unit.size());
  // Several ranges would need multipart/byteranges: the whole body answers them (RFC 9110 14.2).
  if (spec.find(',') != std::string_view::npos) return ByteRange{0, size - 1};
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return ByteRange{0, size - 1};
  auto first_text = spec.substr(0, dash), last_text = spec.substr(dash + 1);
  ByteRange r;
  if (first_text.empty()) { // the last N bytes
    auto n = number(last_text);
    if (!n) return ByteRange{0, size - 1};
    whole = false;
    if (*n == 0 || size == 0) return std::nullopt;
    r.first = size - std::min(*n, size);
    r.last = size - 1;
    return r;
  }
  auto first = number(first_text);
  if (!first) return ByteRange{0, size - 1};
  std::optional<std::int64_t> last = size - 1;
  if (!last_text.empty()) {
    last = number(last_text);
    if (!last || *last < *first) return ByteRange{0, size - 1}; // not a valid range: ignored
  }
  whole = false;
  if (*first >= size) return std::nullopt;
  r.first = *first;
  r.last = std::min(*last, size - 1);
  return r;
}

net::PlainHandler firmware_download(domain::StoreExecutor &store, services::FirmwareService &files) {
  return [&store, &files](net::PlainRequest req, std::function<void(net::PlainResponse)> reply) {
    if (req.method != "GET" && req.method != "HEAD") {
      auto r = text(405, "GET or HEAD");
      r.headers.emplace_back("Allow", "GET, HEAD");
      return reply(std::move(r));
    }
    // /firmware/{id}/{file name}; the mount also serves "/firmware" itself (net::Mounts), which
    // names no file.
    constexpr std::string_view prefix = "/firmware/";
    const std::string_view path = req.path;
    const std::string_view rest = path.size() > prefix.size() ? path.substr(prefix.size()) : std::string_view{};
    auto slash = rest.find('/');
    auto id = number(rest.substr(0, slash));
    if (slash == std::string_view::npos || !id) return reply(text(404, "no such firmware file"));
    std::string name(rest.substr(slash + 1));
    std::string range;
    if (auto it = req.headers.find("range"); it != req.headers.end()) range = it->second;
    auto row = std::make_shared<std::optional<domain::FirmwareFile>>();
    store.submit([row, id = *id](domain::Repository &r) { *row = r.firmware_file(id); },
                 [&files, row, name, range, reply](std::exception_ptr e) {
                   if (e) return reply(text(503, "try again later"));
                   if (!*row || (*row)->file_name != name) return reply(text(404, "no such firmware file"));
                   const auto &file = **row;
                   bool whole = true;
                   auto span = parse_range(range, file.size_bytes, whole);
                   if (!span) {
                     auto r = text(416, "range not satisfiable");
                     r.headers.emplace_back("Content-Range", "bytes */" + std::to_string(file.size_bytes));
                     return reply(std::move(r));
                   }
                   // The bytes are streamed by the listener from the file, a chunk at a time.
                   net::PlainResponse r;
                   r.content_type = "application/octet-stream";
                   r.file = net::FileSpan{files.path_of(file), static_cast<std::uint64_t>(span->first),
                                          static_cast<std::uint64_t>(span->last - span->first + 1)};
                   r.status = whole ? 200 : 206;
                   if (!whole)
                     r.headers.emplace_back("Content-Range", "bytes " + std::to_string(span->first) + "-" +
                                                                 std::to_string(span->last) + "/" +
                                                                 std::to_string(file.size_bytes));
                   r.headers.emplace_back("Accept-Ranges", "bytes");
                   r.headers.emplace_back("ETag", "\"" + file.sha256 + "\"");
                   r.headers.emplace_back("X-Checksum-SHA256", file.sha256);
                   r.headers.emplace_back("Cache-Control", "no-cache");
                   reply(std::move(r));
                 });
  };
}

net::PlainHandler forward_to_api(api::Api &api) {
  return [&api](net::PlainRequest req, std::function<void(net::PlainResponse)> reply) {
    api::Request ar;
    ar.method = std::move(req.method);
    ar.path = std::move(req.path);
    ar.query = std::move(req.query);
    ar.body = std::move(req.body);
    if (auto it = req.headers.find("authorization"); it != req.headers.end()) ar.authorization = it->second;
    ar.remote = std::move(req.remote);
    api.handle(std::move(ar), [reply](api::Response res) {
      net::PlainResponse out;
      out.status = res.status;
      out.content_type = std::move(res.content_type);
      out.headers = std::move(res.headers);
      out.body = std::move(res.body);
      reply(std::move(out));
    });
  };
}

} // namespace gridlane::app
