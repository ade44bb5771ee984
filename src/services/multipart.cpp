#include "gridlane/services/multipart.hpp"

#include <algorithm>
#include <cctype>

namespace gridlane::services {
using domain::Result;
using domain::ServiceError;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

//! The value of `name=` among `;`-separated parameters (quoted-string or token).
std::string parameter(std::string_view header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto semi = header.find(';', pos);
    if (semi == std::string_view::npos) return {};
    pos = semi + 1;
    auto rest = trim(header.substr(pos));
    auto eq = rest.find('=');
    if (eq == std::string_view::npos) continue;
    if (lower(trim(rest.substr(0, eq))) != name) continue;
    auto value = trim(rest.substr(eq + 1));
    if (!value.empty() && value.front() == '"') {
      std::string out;
      for (std::size_t i = 1; i < value.size(); ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
          out += value[++i];
        } else if (value[i] == '"') {
          return out;
        } else {
          out += value[i];
        }
      }
      return out; // an unterminated quote: what there is
    }
    auto end = value.find(';');
    return std::string(trim(value.substr(0, end)));
  }
  return {};
}

ServiceError bad(std::string message) {
  return ServiceError::invalid(std::move(message), "body");
}

} // namespace

Result<std::string> multipart_boundary(std::string_view content_type) {
  if (!lower(trim(content_type.substr(0, content_type.find(';')))).starts_with("multipart/"))
    return bad("the body is not multipart");
  auto boundary = parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 70) return bad("the multipart boundary is missing or too long");
  return boundary;
}

Result<MultipartFile> multipart_file(std::string_view content_type, std::string_view body) {
  auto boundary = multipart_boundary(content_type);
  if (!boundary) return boundary.error();
  const std::string delimiter = "--" + *boundary;
  // The first delimiter may open the body or follow a preamble (RFC 2046 5.1.1): after CRLF.
  std::size_t pos = 0;
  if (!body.starts_with(delimiter)) {
    pos = body.find("\r\n" + delimiter);
    if (pos == std::string_view::npos) return bad("the multipart body has no opening boundary");
    pos += 2;
  }
  std::optional<MultipartFile> first, named;
  const std::string next = "\r\n" + delimiter;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") break; // the close delimiter
    // Transport padding, then CRLF.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t'))
      ++pos;
    if (body.substr(pos, 2) != "\r\n") return bad("a multipart boundary is not followed by a line end");
    pos += 2;
    auto header_end = body.find("\r\n\r\n", pos);
    // A part with no header at all starts with the empty line.
    std::string_view headers;
    std::size_t content;
    if (body.substr(pos, 2) == "\r\n") {
      content = pos + 2;
    } else {
      if (header_end == std::string_view::npos) return bad("a multipart part has no end of header");
      headers = body.substr(pos, header_end - pos);
      content = header_end + 4;
    }
    auto end = body.find(next, content);
    if (end == std::string_view::npos) return bad("the multipart body has no closing boundary");
    MultipartFile part;
    part.offset = content;
    part.length = end - content;
    part.content_type = "application/octet-stream";
    std::size_t line_start = 0;
    while (line_start < headers.size()) {
      auto line_end = headers.find("\r\n", line_start);
      if (line_end == std::string_view::npos) line_end = headers.size();
      auto line = headers.substr(line_start, line_end - line_start);
      line_start = line_end + 2;
      auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      auto name = lower(trim(line.substr(0, colon)));
      auto value = trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        part.file_name = parameter(value, "filename");
      } else if (name == "content-type" && !value.empty()) {
        part.content_type = std::string(value);
      }
    }
    if (!first) first = part;
    if (!named && !part.file_name.empty()) named = part;
    pos = end + 2;
  }
  if (named) return *named;
  if (first) return *first;
  return bad("the multipart body has no part");
}

} // namespace gridlane::services
