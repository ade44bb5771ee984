// OCPI 2.2.1 transport and format (transport_and_format.asciidoc): the response envelope, the
// credentials token header, the routing headers, request ids and pagination.
#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <random>

#include "gridlane/core/base64.hpp"
#include "gridlane/core/json_text.hpp"
#include "gridlane/ocpi/wire.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;

namespace {

Response envelope(json::object body, int http_status) {
  Response r;
  r.status = http_status;
  r.body = core::to_json_text(body);
  return r;
}

bool printable_token(std::string_view s) {
  // transport_and_format: "printable, non-whitespace ASCII characters".
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto &c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool all_of_class(std::string_view s, bool digits) {
  return std::all_of(s.begin(), s.end(), [digits](char c) {
    auto u = static_cast<unsigned char>(c);
    return std::isalpha(u) != 0 || (digits && std::isdigit(u) != 0);
  });
}

//! One routing party from its two headers; nullopt with `error` set when malformed.
std::optional<domain::PartyId> routing_party(const Request &req, std::string_view side, std::string &error) {
  const auto *cc = req.header("ocpi-" + std::string(side) + "-country-code");
  const auto *pid = req.header("ocpi-" + std::string(side) + "-party-id");
  if (!cc && !pid) return std::nullopt;
  auto name = "OCPI-" + std::string(side);
  if (!cc || !pid) {
    error = name + "-country-code and " + name + "-party-id must come together";
    return std::nullopt;
  }
  if (cc->size() != 2 || !all_of_class(*cc, false)) {
    error = name + "-country-code must be 2 letters (ISO 3166-1 alpha-2)";
    return std::nullopt;
  }
  if (pid->size() != 3 || !all_of_class(*pid, true)) {
    error = name + "-party-id must be 3 letters or digits";
    return std::nullopt;
  }
  return domain::PartyId{upper(*cc), upper(*pid)};
}

//! A non-negative decimal integer query parameter; nullopt when absent, error when malformed.
bool read_count(const Request &req, const std::string &name, std::optional<std::size_t> &out) {
  auto it = req.query.find(name);
  if (it == req.query.end()) return true;
  const auto &text = it->second;
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return false;
  if (v > 1'000'000'000) return false; // nothing Gridlane lists is larger; keeps the sums exact
  out = static_cast<std::size_t>(v);
  return true;
}

//! A filter's DateTime as given: seconds, or milliseconds when it had a fraction.
std::string filter_datetime(core::Timestamp t) {
  if (t.time_since_epoch() % std::chrono::seconds(1) == std::chrono::milliseconds(0)) return format_datetime(t);
  return core::format_iso8601(t);
}

void append_query(std::string &url, bool &first, std::string_view name, std::string_view value) {
  url += first ? '?' : '&';
  first = false;
  url += name;
  url += '=';
  static constexpr char hex[] = "0123456789ABCDEF";
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == ':') {
      url += c;
    } else {
      url += '%';
      url += hex[u >> 4];
      url += hex[u & 0xf];
    }
  }
}

} // namespace

Response success(json::value data, core::Timestamp now, int http_status) {
  return envelope(json::object{{"data", std::move(data)},
                               {"status_code", static_cast<int>(StatusCode::Success)},
                               {"status_message", "Success"},
                               {"timestamp", format_datetime(now)}},
                  http_status);
}

Response failure(StatusCode code, std::string message, core::Timestamp now, int http_status) {
  // status_codes.asciidoc: on an error the data field "MAY be omitted".
  return envelope(json::object{{"status_code", static_cast<int>(code)},
                               {"status_message", std::move(message)},
                               {"timestamp", format_datetime(now)}},
                  http_status);
}

Response method_not_allowed(std::string_view allow, core::Timestamp now) {
  auto r = failure(StatusCode::ClientError, "method not allowed here (allowed: " + std::string(allow) + ")", now, 405);
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

std::optional<PresentedToken> decode_token_header(std::string_view authorization) {
  constexpr std::string_view scheme = "token";
  if (authorization.size() <= scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i]) return std::nullopt;
  auto rest = authorization.substr(scheme.size());
  if (rest.front() != ' ' && rest.front() != '\t') return std::nullopt;
  auto first = rest.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  rest = rest.substr(first);
  rest = rest.substr(0, rest.find_last_not_of(" \t") + 1);
  if (!printable_token(rest)) return std::nullopt;
  PresentedToken out{std::string(rest), std::nullopt};
  if (auto d = core::base64_decode(rest)) {
    // Some peers encode the token with a trailing newline (`echo token | base64`).
    if (!d->empty() && d->back() == '\n') d->pop_back();
    if (printable_token(*d)) out.decoded = std::move(*d);
  }
  return out;
}

std::string token_header(std::string_view token, domain::TokenEncoding encoding) {
  return "Token " + (encoding == domain::TokenEncoding::Base64 ? core::base64_encode(token) : std::string(token));
}

std::variant<Routing, std::string> parse_routing(const Request &req) {
  Routing r;
  std::string error;
  r.from = routing_party(req, "from", error);
  if (!error.empty()) return error;
  r.to = routing_party(req, "to", error);
  if (!error.empty()) return error;
  return r;
}

std::string random_uuid() {
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64{seq};
  }()};
  std::array<unsigned char, 16> b{};
  for (std::size_t i = 0; i < b.size(); i += 8) {
    auto v = rng();
    for (std::size_t j = 0; j < 8; ++j)
      b[i + j] = static_cast<unsigned char>(v >> (8 * j));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40); // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80); // RFC 4122 variant
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[b[i] >> 4];
    out += hex[b[i] & 0xf];
  }
  return out;
}

std::variant<Page, Response> parse_page(const Request &req, std::size_t max_limit, core::Timestamp now) {
  auto invalid = [&](std::string what) { return failure(StatusCode::InvalidParameters, std::move(what), now, 400); };
  Page page;
  std::optional<std::size_t> offset;
  std::optional<std::size_t> limit;
  if (!read_count(req, "offset", offset)) return invalid("offset must be a non-negative integer");
  if (!read_count(req, "limit", limit) || (limit && *limit == 0)) return invalid("limit must be a positive integer");
  page.offset = offset.value_or(0);
  max_limit = std::max<std::size_t>(max_limit, 1);
  page.limit = std::min(limit.value_or(max_limit), max_limit);
  for (auto [name, slot] : {std::pair{"date_from", &page.date_from}, std::pair{"date_to", &page.date_to}}) {
    auto it = req.query.find(name);
    if (it == req.query.end()) continue;
    auto t = parse_datetime(it->second);
    if (!t) return invalid(std::string(name) + " must be a DateTime such as 2015-06-29T20:39:09Z");
    *slot = *t;
  }
  return page;
}

Response paged(json::array items, std::size_t total, const Page &page, std::string_view self_url, core::Timestamp now) {
  const auto count = items.size();
  auto r = success(std::move(items), now);
  r.headers.emplace_back("X-Total-Count", std::to_string(total));
  r.headers.emplace_back("X-Limit", std::to_string(page.limit));
  const auto next = page.offset + count;
  if (count > 0 && next < total) {
    // transport_and_format: the next page's link keeps the request's filters.
    std::string url(self_url);
    bool first = true;
    append_query(url, first, "offset", std::to_string(next));
    append_query(url, first, "limit", std::to_string(page.limit));
    if (page.date_from) append_query(url, first, "date_from", filter_datetime(*page.date_from));
    if (page.date_to) append_query(url, first, "date_to", filter_datetime(*page.date_to));
    r.headers.emplace_back("Link", "<" + url + ">; rel=\"next\"");
  }
  return r;
}

} // namespace gridlane::ocpi
