// The libcurl transport of alert deliveries: webhooks over HTTPS (plain http to loopback only
// when allowed), e-mail over SMTP (STARTTLS when offered, or required). Blocking; runs on the
// dispatcher's thread.
#include <algorithm>
#include <cstring>
#include <mutex>

#include <curl/curl.h>

#include "gridlane/alerts/transport.hpp"

namespace gridlane::alerts {

namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

//! The answer's body is not needed: read at most 64 KiB of it, then stop.
std::size_t discard(char *, std::size_t size, std::size_t count, void *user) {
  auto *seen = static_cast<std::size_t *>(user);
  *seen += size * count;
  return *seen > 65536 ? 0 : size * count;
}

struct Upload {
  const std::string &text;
  std::size_t at = 0;
};

std::size_t read_upload(char *buffer, std::size_t size, std::size_t count, void *user) {
  auto *u = static_cast<Upload *>(user);
  auto n = std::min(size * count, u->text.size() - u->at);
  std::copy_n(u->text.data() + u->at, n, buffer);
  u->at += n;
  return n;
}

using Easy = std::unique_ptr<CURL, void (*)(CURL *)>;
using List = std::unique_ptr<curl_slist, void (*)(curl_slist *)>;

class CurlTransport final : public Transport {
public:
  explicit CurlTransport(CurlOptions options) : options_(std::move(options)) {
    static std::once_flag once;
    std::call_once(once, [] { static CurlGlobal global; });
  }

  SendResult post(const std::string &url, const std::vector<std::string> &headers, const std::string &body) override {
    Easy curl{curl_easy_init(), curl_easy_cleanup};
    if (!curl) return {false, std::nullopt, "cannot start an HTTP client"};
    curl_slist *list = nullptr;
    for (const auto &h : headers)
      list = curl_slist_append(list, h.c_str());
    list = curl_slist_append(list, "Content-Type: application/json");
    list = curl_slist_append(list, "Expect:");
    List header_list{list, curl_slist_free_all};
    std::size_t seen = 0;
    auto *h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(h, CURLOPT_USERAGENT, "Gridlane-Alerts/1");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &seen);
    common(h);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, options_.allow_plain_http_to_loopback ? "http,https" : "https");
    auto rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && status != 0))
      return {false, std::nullopt, std::string("unreachable: ") + curl_easy_strerror(rc)};
    if (status >= 200 && status < 300) return {true, static_cast<int>(status), {}};
    return {false, static_cast<int>(status), "answered HTTP " + std::to_string(status)};
  }

  SendResult mail(const std::vector<std::string> &to, const std::string &document) override {
    if (options_.smtp_url.empty()) return {false, std::nullopt, "no SMTP relay configured"};
    Easy curl{curl_easy_init(), curl_easy_cleanup};
    if (!curl) return {false, std::nullopt, "cannot start an SMTP client"};
    curl_slist *list = nullptr;
    for (const auto &r : to)
      list = curl_slist_append(list, ("<" + r + ">").c_str());
    List recipients{list, curl_slist_free_all};
    Upload upload{document};
    auto from = "<" + options_.smtp_from + ">";
    auto *h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, options_.smtp_url.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     options_.smtp_require_tls ? static_cast<long>(CURLUSESSL_ALL) : static_cast<long>(CURLUSESSL_TRY));
    if (!options_.smtp_username.empty()) {
      curl_easy_setopt(h, CURLOPT_USERNAME, options_.smtp_username.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, options_.smtp_password.c_str());
    }
    common(h);
    auto rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    std::optional<int> status = code ? std::optional<int>(static_cast<int>(code)) : std::nullopt;
    if (rc != CURLE_OK) return {false, status, std::string("SMTP: ") + curl_easy_strerror(rc)};
    return {true, status, {}};
  }

private:
  void common(CURL *h) const {
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); // a worker thread: no SIGALRM for name lookups
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  }

  CurlOptions options_;
};

} // namespace

std::unique_ptr<Transport> make_curl_transport(CurlOptions options) {
  return std::make_unique<CurlTransport>(std::move(options));
}

} // namespace gridlane::alerts
