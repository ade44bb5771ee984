#pragma once
//! The web console's static files (`[web] root`, docs/console.md "Serving the console"): the
//! built `web/dist` read into memory once at start, and the answer to each GET/HEAD under `/`.
//! No Beast here: listener.cpp turns a StaticReply into the HTTP response.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gridlane::net {

struct StaticOptions {
  std::filesystem::path root;
  std::size_t max_file_bytes = std::size_t{8} << 20;   //!< a larger file is left out (and logged)
  std::size_t max_total_bytes = std::size_t{64} << 20; //!< files past this total are left out (and logged)
};

enum class StaticMethod { Get, Head, Other };

struct StaticRequest {
  StaticMethod method = StaticMethod::Get;
  std::string_view path;            //!< the target's path as sent (before '?'), still percent-encoded
  std::string_view accept_encoding; //!< the Accept-Encoding header, empty when absent
  std::string_view if_none_match;   //!< the If-None-Match header, empty when absent
};

struct StaticReply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body; //!< into the site's memory; empty for HEAD and 304 (content_length still says the size)
  std::size_t content_length = 0;
  //! Set for a refusal (404, 405): the listener answers problem+json with this detail (and `headers`).
  std::optional<std::string> problem;
};

//! One file in memory, with its precompressed twin when the build made one (`NAME.gz`).
struct StaticFile {
  std::string body;
  std::string etag; //!< quoted, strong: a hash of the bytes
  std::optional<std::string> gzip;
  std::string gzip_etag;
  std::string content_type;
  std::string cache_control;
};

class StaticSite {
public:
  //! Reads every regular file under `root` (dot-files and symbolic links leading out of the root
  //! left out). Never throws: a missing or unreadable root gives a site that is not built.
  static StaticSite load(const StaticOptions &options);

  //! False when the root has no index.html: `/` then answers a page saying how to build it.
  bool built() const { return files_.contains("index.html"); }
  std::size_t file_count() const { return files_.size(); }
  std::size_t total_bytes() const { return total_bytes_; }
  const std::filesystem::path &root() const { return root_; }

  StaticReply answer(const StaticRequest &request) const;

private:
  const StaticFile *find(const std::string &relative) const;
  StaticReply reply_with(const StaticFile &file, const StaticRequest &request) const;

  std::filesystem::path root_;
  std::map<std::string, StaticFile, std::less<>> files_; //!< by path relative to the root, '/'-separated
  std::size_t total_bytes_ = 0;
  StaticFile not_built_;
};

//! The Content-Type of a file name by its extension (application/octet-stream when unknown).
std::string_view content_type_of(std::string_view name);
//! The path of a request, percent-decoded, or nothing when it must be refused: not absolute, a
//! bad escape, a NUL or backslash, an empty, "." or ".." segment.
std::optional<std::string> decode_static_path(std::string_view raw);
//! Whether an Accept-Encoding header accepts gzip (not with q=0).
bool accepts_gzip(std::string_view accept_encoding);
//! Whether an If-None-Match header matches `etag` (weak comparison, "*" matches).
bool etag_matches(std::string_view if_none_match, std::string_view etag);

} // namespace gridlane::net
