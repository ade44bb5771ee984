// The web console's files in memory and the answer to a request for one (no Beast here).
#include "gridlane/net/static_files.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <system_error>

#include "gridlane/core/logging.hpp"

namespace gridlane::net {
namespace fs = std::filesystem;

namespace {

spdlog::logger &web_log() {
  return core::log(core::Component::Net);
}

// docs/console.md "Serving the console": the pages load only their own scripts and styles and
// talk only to this server.
constexpr std::string_view content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
constexpr std::string_view immutable_cache = "public, max-age=31536000, immutable";

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

//! A strong validator: FNV-1a (64 bit) over the bytes, and their count.
std::string etag_of(std::string_view bytes, std::string_view suffix = {}) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "\"";
  for (int shift = 60; shift >= 0; shift -= 4)
    out += digits[(h >> shift) & 0xF];
  out += '-'; // (not "-" + to_string(): GCC 12's -Wrestrict misfires on it at -O3)
  out += std::to_string(bytes.size());
  out += suffix;
  out += "\"";
  return out;
}

bool starts_with_segment(std::string_view path, std::string_view prefix) {
  // "/api" matches "/api" and "/api/..." but not "/apis".
  return path == prefix ||
         (path.size() > prefix.size() && path.substr(0, prefix.size()) == prefix && path[prefix.size()] == '/');
}

std::optional<std::string> read_capped(const fs::path &file, std::uintmax_t size) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string body(static_cast<std::size_t>(size), '\0');
  in.read(body.data(), static_cast<std::streamsize>(body.size()));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) return std::nullopt;
  return body;
}

std::string html_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

StaticFile make_file(std::string body, std::string_view name) {
  StaticFile f;
  f.etag = etag_of(body);
  f.body = std::move(body);
  f.content_type = std::string(content_type_of(name));
  f.cache_control = name.substr(0, 7) == "assets/" ? std::string(immutable_cache) : "no-cache";
  return f;
}

void add_security_headers(StaticReply &r) {
  r.headers.emplace_back("Content-Security-Policy", std::string(content_security_policy));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
}

StaticReply refusal(int status, std::string detail) {
  StaticReply r;
  r.status = status;
  r.problem = std::move(detail);
  if (status == 405) r.headers.emplace_back("Allow", "GET, HEAD");
  add_security_headers(r);
  return r;
}

} // namespace

std::string_view content_type_of(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 21> types{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
      {".xml", "application/xml"},
      {".gz", "application/gzip"},
  }};
  auto slash = name.rfind('/');
  auto base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  auto dot = base.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  auto ext = lower(base.substr(dot));
  for (const auto &[e, type] : types)
    if (ext == e) return type;
  return "application/octet-stream";
}

std::optional<std::string> decode_static_path(std::string_view raw) {
  if (raw.empty() || raw.front() != '/') return std::nullopt;
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      if (i + 2 >= raw.size()) return std::nullopt;
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      int hi = hex(raw[i + 1]);
      int lo = hex(raw[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0' || c == '\\') return std::nullopt;
    out += c;
  }
  // Every segment but the last (which is empty for ".../") must be a real name.
  std::string_view rest = std::string_view(out).substr(1);
  for (;;) {
    auto slash = rest.find('/');
    auto segment = rest.substr(0, slash);
    if (segment == "." || segment == "..") return std::nullopt;
    if (slash == std::string_view::npos) break;
    if (segment.empty()) return std::nullopt;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

bool accepts_gzip(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    auto comma = accept_encoding.find(',');
    auto item = trim(accept_encoding.substr(0, comma));
    accept_encoding = comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
    auto semi = item.find(';');
    auto name = lower(trim(item.substr(0, semi)));
    if (name != "gzip" && name != "x-gzip") continue;
    if (semi == std::string_view::npos) return true;
    auto param = lower(trim(item.substr(semi + 1)));
    param.erase(std::remove(param.begin(), param.end(), ' '), param.end());
    // q=0, q=0.0, q=0.00, q=0.000: refused; any other weight accepts.
    if (param.substr(0, 2) == "q=") {
      auto q = std::string_view(param).substr(2);
      bool zero = !q.empty() && q.front() == '0' &&
                  std::all_of(q.begin() + 1, q.end(), [](char ch) { return ch == '0' || ch == '.'; });
      return !zero;
    }
    return true;
  }
  return false;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    auto comma = if_none_match.find(',');
    auto item = trim(if_none_match.substr(0, comma));
    if_none_match = comma == std::string_view::npos ? std::string_view{} : if_none_match.substr(comma + 1);
    if (item == "*") return true;
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    if (item == etag) return true;
  }
  return false;
}

StaticSite StaticSite::load(const StaticOptions &options) {
  StaticSite site;
  site.root_ = options.root;
  std::string page =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Gridlane</title></head><body>\n"
      "<h1>Gridlane is running; its web console is not built</h1>\n"
      "<p>No <code>index.html</code> in <code>";
  page += html_escape(options.root.string());
  page += "</code>.</p>\n"
          "<p>Build it with <code>scripts/setup.sh</code> or <code>cd web &amp;&amp; npm ci &amp;&amp; npm run "
          "build</code>, "
          "or point <code>[web] root</code> (or <code>gridlane serve --web-root DIR</code>) at a built "
          "<code>web/dist</code>, then restart the server.</p>\n"
          "<p>The operator API is served at <code>/api/v1</code> (docs/api.md).</p>\n</body></html>\n";
  site.not_built_ = make_file(std::move(page), "index.html");

  std::error_code ec;
  auto root = fs::canonical(options.root, ec);
  if (ec || !fs::is_directory(root, ec)) return site;
  auto inside = [&root](const fs::path &p) {
    auto rel = p.lexically_relative(root);
    return !rel.empty() && *rel.begin() != "..";
  };
  std::map<std::string, std::string> gzipped; // "x.js" -> the bytes of "x.js.gz"
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto &entry = *it;
    auto rel = entry.path().lexically_relative(root).generic_string();
    auto name = entry.path().filename().string();
    if (!name.empty() && name.front() == '.') {
      if (entry.is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    std::error_code fec;
    if (entry.is_symlink(fec)) {
      auto target = fs::canonical(entry.path(), fec);
      if (fec || !inside(target)) {
        web_log().warn("web: {} leads out of the web root; not served", rel);
        continue;
      }
    }
    if (!entry.is_regular_file(fec)) continue;
    auto size = entry.file_size(fec);
    if (fec) continue;
    if (size > options.max_file_bytes || site.total_bytes_ + size > options.max_total_bytes) {
      web_log().warn("web: {} ({} bytes) is over the size limits; not served", rel, size);
      continue;
    }
    auto body = read_capped(entry.path(), size);
    if (!body) {
      web_log().warn("web: {} could not be read; not served", rel);
      continue;
    }
    site.total_bytes_ += body->size();
    if (rel.size() > 3 && rel.substr(rel.size() - 3) == ".gz")
      gzipped.emplace(rel.substr(0, rel.size() - 3), std::move(*body));
    else
      site.files_.emplace(rel, make_file(std::move(*body), rel));
  }
  if (ec) web_log().warn("web: reading {} stopped: {}", root.string(), ec.message());
  for (auto &[rel, bytes] : gzipped) {
    if (auto f = site.files_.find(rel); f != site.files_.end()) {
      f->second.gzip_etag = etag_of(bytes, "-gz");
      f->second.gzip = std::move(bytes);
    } else {
      site.files_.emplace(rel + ".gz", make_file(std::move(bytes), rel + ".gz")); // a plain .gz file
    }
  }
  return site;
}

const StaticFile *StaticSite::find(const std::string &relative) const {
  auto it = files_.find(relative);
  return it == files_.end() ? nullptr : &it->second;
}

StaticReply StaticSite::reply_with(const StaticFile &file, const StaticRequest &request) const {
  StaticReply r;
  const bool gzip = file.gzip && accepts_gzip(request.accept_encoding);
  const std::string &body = gzip ? *file.gzip : file.body;
  const std::string &etag = gzip ? file.gzip_etag : file.etag;
  r.headers.emplace_back("Content-Type", file.content_type);
  r.headers.emplace_back("Cache-Control", file.cache_control);
  r.headers.emplace_back("ETag", etag);
  if (file.gzip) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
  add_security_headers(r);
  if (!request.if_none_match.empty() && etag_matches(request.if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  r.content_length = body.size();
  if (request.method == StaticMethod::Get) r.body = body;
  return r;
}

StaticReply StaticSite::answer(const StaticRequest &request) const {
  if (request.method == StaticMethod::Other) return refusal(405, "use GET or HEAD");
  auto path = decode_static_path(request.path);
  if (!path) return refusal(404, "no such file");
  // The server's own paths are never the console's: an unknown one there is a plain 404.
  for (std::string_view own : {"/api", "/ocpp", "/health", "/debug", "/metrics", "/ready"})
    if (starts_with_segment(*path, own)) return refusal(404, "no such resource");
  std::string rel = path->substr(1);
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  if (const auto *file = find(rel)) return reply_with(*file, request);
  if (const auto *dir_index = find(rel + "/index.html")) return reply_with(*dir_index, request);
  // A hashed asset that is not there is a stale page's reference: 404, never a page in its place.
  if (starts_with_segment(*path, "/assets")) return refusal(404, "no such file");
  // History routing: the page's own router shows the path.
  const StaticFile *page = nullptr;
  if (starts_with_segment(*path, "/drive")) page = find("drive/index.html");
  if (!page) page = find("index.html");
  return reply_with(page ? *page : not_built_, request);
}

} // namespace gridlane::net
