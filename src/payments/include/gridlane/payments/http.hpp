#pragma once
//! The HTTPS client a provider speaks through: one blocking POST of a form. The interface lets
//! unit tests answer without a network; CurlTransport is the real one (libcurl).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gridlane/domain/result.hpp"

namespace gridlane::payments {

struct HttpAnswer {
  int status = 0;
  std::string body;
};

//! (name, value) pairs of an application/x-www-form-urlencoded body, in order.
using Form = std::vector<std::pair<std::string, std::string>>;

//! `a=1&b=x%20y`: names and values percent-encoded (RFC 3986 unreserved characters kept).
std::string encode_form(const Form &form);

class HttpTransport {
public:
  virtual ~HttpTransport() = default;
  //! POSTs `form` to `path` (below the base URL) with the Idempotency-Key header. Blocks. A
  //! connection failure or a timeout is ServiceError::Unavailable; any HTTP answer is a value.
  virtual domain::Result<HttpAnswer> post(const std::string &path, const Form &form,
                                          const std::string &idempotency_key) = 0;
};

struct CurlOptions {
  std::string base_url;   //!< "https://api.stripe.com"
  std::string secret_key; //!< sent as "Authorization: Bearer <key>"
  std::chrono::milliseconds timeout{10000};
  //! http:// only to a loopback address (a local double); otherwise https only.
  bool allow_plain_http_to_loopback = true;
  std::size_t max_answer_bytes = 1 << 20;
};

//! Checks a base URL: https://, or http:// to 127.0.0.1/localhost/[::1] when allowed. Empty on
//! success, else what is wrong.
std::string check_base_url(const std::string &url, bool allow_plain_http_to_loopback);

//! libcurl, one easy handle per call (calls are few: a handful per session). Thread-safe.
std::unique_ptr<HttpTransport> make_curl_transport(CurlOptions options);

} // namespace gridlane::payments
