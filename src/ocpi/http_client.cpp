// ocpi::Client over libcurl: one blocking call to a partner (transport_and_format.asciidoc).
// Runs only on the roaming worker threads. Every failure to get an HTTP answer is a value
// (Unavailable, or Invalid for a URL Gridlane may not call); every HTTP answer is a value too,
// its envelope read when it is one. Nothing a partner sends can throw out of call().
#include <array>
#include <cctype>
#include <memory>
#include <mutex>
#include <random>

#include <boost/json/parse.hpp>
#include <curl/curl.h>
#include <fmt/format.h>

#include "gridlane/core/base64.hpp"
#include "gridlane/ocpi/client.hpp"

namespace gridlane::ocpi {

namespace {

struct Sink {
  std::string body;
  std::size_t limit = 0;
  bool overflow = false;
};

std::size_t write_body(char *data, std::size_t size, std::size_t count, void *user) {
  auto *sink = static_cast<Sink *>(user);
  auto n = size * count;
  if (sink->body.size() + n > sink->limit) {
    sink->overflow = true;
    return 0; // fails the transfer: no partner's answer is this large
  }
  sink->body.append(data, n);
  return n;
}

struct Headers {
  std::vector<std::pair<std::string, std::string>> lines; //!< names in lower case
  std::size_t bytes = 0;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::size_t write_header(char *data, std::size_t size, std::size_t count, void *user) {
  auto *headers = static_cast<Headers *>(user);
  auto n = size * count;
  headers->bytes += n;
  if (headers->bytes > (64U << 10)) return 0; // a header block this large is not an OCPI answer
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) { // a new response (after a 100 Continue): its own headers
    headers->lines.clear();
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name(trim(line.substr(0, colon)));
  for (auto &ch : name)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  headers->lines.emplace_back(std::move(name), std::string(trim(line.substr(colon + 1))));
  return n;
}

//! The URL of `rel="next"` in a Link header value (`<url>; rel="next", <url2>; rel="prev"`).
std::string link_next(std::string_view value) {
  while (!value.empty()) {
    auto open = value.find('<');
    auto close = value.find('>', open == std::string_view::npos ? 0 : open);
    if (open == std::string_view::npos || close == std::string_view::npos) return {};
    auto url = value.substr(open + 1, close - open - 1);
    auto rest = value.substr(close + 1);
    auto comma = rest.find('<');
    auto params = rest.substr(0, comma);
    for (std::string_view rel : {"rel=\"next\"", "rel=next"})
      if (params.find(rel) != std::string_view::npos) return std::string(trim(url));
    if (comma == std::string_view::npos) return {};
    value = rest.substr(comma);
  }
  return {};
}

//! The envelope's status_code and status_message, when the body is one.
void read_envelope(InboundAnswer &answer) {
  boost::system::error_code ec;
  auto v = boost::json::parse(answer.body, ec);
  if (ec || !v.is_object()) return;
  const auto &o = v.get_object();
  if (const auto *code = o.if_contains("status_code"); code && code->is_int64()) {
    auto c = code->get_int64();
    if (c >= 0 && c <= 99999) answer.status_code = static_cast<int>(c);
  }
  if (const auto *msg = o.if_contains("status_message"); msg && msg->is_string())
    answer.status_message =
        std::string(msg->get_string().subview(0, std::min<std::size_t>(msg->get_string().size(), 1024)));
}

const char *method_text(const OutboundCall &c) {
  if (c.get) return "GET";
  switch (c.method) {
  case domain::PushMethod::Put: return "PUT";
  case domain::PushMethod::Patch: return "PATCH";
  case domain::PushMethod::Post: return "POST";
  case domain::PushMethod::Delete: return "DELETE";
  }
  return "POST";
}

//! A version 4 UUID for X-Request-ID / X-Correlation-ID (identifiers, not secrets).
std::string new_uuid() {
  thread_local std::mt19937_64 gen{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  std::array<unsigned char, 16> b{};
  auto hi = gen();
  auto lo = gen();
  for (std::size_t i = 0; i < 8; ++i) {
    b[i] = static_cast<unsigned char>(hi >> (8 * i));
    b[8 + i] = static_cast<unsigned char>(lo >> (8 * i));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0FU) | 0x40U);
  b[8] = static_cast<unsigned char>((b[8] & 0x3FU) | 0x80U);
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += fmt::format("{:02x}", b[i]);
  }
  return out;
}

//! Header values come from stored partner data: a CR or LF would split the request.
bool header_safe(std::string_view v) {
  for (unsigned char ch : v)
    if (ch < 0x20 || ch == 0x7F) return false;
  return true;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

class HttpClient final : public Client {
public:
  explicit HttpClient(ClientOptions options) : options_(options) {
    static std::once_flag once;
    std::call_once(once, [] { static CurlGlobal global; });
  }

  domain::Result<InboundAnswer> call(const OutboundCall &c) override {
    try {
      return perform(c);
    } catch (const std::exception &e) {
      return domain::ServiceError::unavailable(std::string("partner call failed: ") + e.what());
    }
  }

private:
  domain::Result<InboundAnswer> perform(const OutboundCall &c) {
    if (auto bad = check_partner_url(c.url, options_.allow_plain_http_to_loopback); !bad.empty())
      return domain::ServiceError::invalid(bad, "url");
    if (!header_safe(c.token) || !header_safe(c.correlation_id))
      return domain::ServiceError::invalid("a header value holds a control character");
    std::unique_ptr<CURL, void (*)(CURL *)> curl{curl_easy_init(), curl_easy_cleanup};
    if (!curl) return domain::ServiceError::unavailable("cannot start an HTTP client");

    std::vector<std::string> lines;
    lines.push_back("Authorization: Token " +
                    (c.encoding == domain::TokenEncoding::Base64 ? core::base64_encode(c.token) : c.token));
    lines.emplace_back("Accept: application/json");
    if (!c.body.empty()) lines.emplace_back("Content-Type: application/json");
    lines.push_back("X-Request-ID: " + new_uuid());
    lines.push_back("X-Correlation-ID: " + (c.correlation_id.empty() ? new_uuid() : c.correlation_id));
    auto party = [&](std::string_view dir, const std::optional<domain::PartyId> &p) {
      if (!p || !header_safe(p->country_code) || !header_safe(p->party_id)) return;
      lines.push_back(fmt::format("OCPI-{}-country-code: {}", dir, p->country_code));
      lines.push_back(fmt::format("OCPI-{}-party-id: {}", dir, p->party_id));
    };
    party("from", c.from);
    party("to", c.to);
    lines.emplace_back("Expect:"); // no 100-continue round trip
    struct curl_slist *list = nullptr;
    for (const auto &l : lines)
      list = curl_slist_append(list, l.c_str());
    std::unique_ptr<curl_slist, void (*)(curl_slist *)> header_list{list, curl_slist_free_all};

    Sink sink{{}, options_.max_answer_bytes, false};
    Headers headers;
    auto *h = curl.get();
    auto timeout = static_cast<long>(std::max<std::int64_t>(1, c.timeout.count()));
    curl_easy_setopt(h, CURLOPT_URL, c.url.c_str());
    if (c.get) {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method_text(c));
      if (!c.body.empty() || c.method != domain::PushMethod::Delete) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, c.body.c_str());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(c.body.size()));
      }
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, write_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &headers);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); // worker threads: no SIGALRM for name lookups
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, options_.allow_plain_http_to_loopback ? "http,https" : "https");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); // whatever curl can decode
    auto rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
      if (sink.overflow)
        return domain::ServiceError::unavailable(
            fmt::format("the answer is larger than {} bytes", options_.max_answer_bytes));
      if (rc == CURLE_OPERATION_TIMEDOUT)
        return domain::ServiceError::unavailable(fmt::format("no answer within {} ms", timeout));
      return domain::ServiceError::unavailable(std::string("unreachable: ") + curl_easy_strerror(rc));
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    InboundAnswer answer;
    answer.http_status = static_cast<int>(status);
    answer.body = std::move(sink.body);
    read_envelope(answer);
    for (const auto &[name, value] : headers.lines)
      if (name == "link" && answer.link_next.empty()) answer.link_next = link_next(value);
    return answer;
  }

  ClientOptions options_;
};

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "[::1]") return true;
  // 127.0.0.0/8, written as four decimal octets
  if (!host.starts_with("127.")) return false;
  int dots = 0;
  int digits = 0;
  for (char ch : host) {
    if (ch == '.') {
      if (digits == 0) return false;
      ++dots;
      digits = 0;
    } else if (ch >= '0' && ch <= '9') {
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0;
}

} // namespace

std::string check_partner_url(const std::string &url, bool allow_plain_http_to_loopback) {
  for (unsigned char ch : url)
    if (ch <= 0x20 || ch == 0x7F) return "a partner URL may not hold spaces or control characters";
  std::string_view rest;
  bool https = false;
  if (url.starts_with("https://")) {
    https = true;
    rest = std::string_view(url).substr(8);
  } else if (url.starts_with("http://")) {
    rest = std::string_view(url).substr(7);
  } else {
    return "a partner URL must start with https://";
  }
  auto end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos) return "a partner URL may not hold credentials";
  std::string_view host = authority;
  if (host.starts_with('[')) {
    auto close = host.find(']');
    if (close == std::string_view::npos) return "a partner URL's host is malformed";
    auto port = host.substr(close + 1);
    host = host.substr(0, close + 1);
    if (!port.empty() && !port.starts_with(':')) return "a partner URL's host is malformed";
  } else if (auto colon = host.find(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  if (host.empty()) return "a partner URL needs a host";
  if (https) return {};
  if (!allow_plain_http_to_loopback) return "a partner URL must be https://";
  if (!is_loopback_host(host))
    return "a partner URL must be https:// (http:// only to a loopback address, for a local peer)";
  return {};
}

std::unique_ptr<Client> make_http_client(ClientOptions options) {
  return std::make_unique<HttpClient>(options);
}

} // namespace gridlane::ocpi
