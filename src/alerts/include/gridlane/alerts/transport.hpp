#pragma once
//! How deliveries leave: a webhook POST and an e-mail through the SMTP relay. Blocking: called
//! on the dispatcher's thread only (never a network or store thread).
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gridlane::alerts {

struct SendResult {
  bool ok = false;
  std::optional<int> status; //!< the HTTP status, or the SMTP server's last reply code
  std::string error;         //!< why not ok
};

class Transport {
public:
  virtual ~Transport() = default;
  //! POSTs `body` as application/json with `headers` ("Name: value"); ok on a 2xx answer.
  virtual SendResult post(const std::string &url, const std::vector<std::string> &headers, const std::string &body) = 0;
  //! Sends the RFC 5322 `document` to `to` through the relay; ok when the relay accepted it.
  virtual SendResult mail(const std::vector<std::string> &to, const std::string &document) = 0;
};

struct CurlOptions {
  std::chrono::milliseconds timeout{10000};
  std::string smtp_url; //!< empty: mail() fails ("no SMTP relay")
  std::string smtp_from;
  std::string smtp_username;
  std::string smtp_password;
  bool smtp_require_tls = false;
  bool allow_plain_http_to_loopback = false; //!< else webhooks go to https:// only
};

std::unique_ptr<Transport> make_curl_transport(CurlOptions options);

} // namespace gridlane::alerts
