// The libcurl transport of the payment providers. Blocking: it runs on the payments worker
// pool only (services::PaymentService), never on a network or store thread.
#include <mutex>

#include <curl/curl.h>
#include <fmt/format.h>

#include "gridlane/payments/http.hpp"

namespace gridlane::payments {

namespace {

bool unreserved(unsigned char ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
         ch == '_' || ch == '~';
}

void append_encoded(std::string &out, std::string_view text) {
  for (unsigned char ch : text) {
    if (unreserved(ch))
      out += static_cast<char>(ch);
    else
      out += fmt::format("%{:02X}", ch);
  }
}

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
    return 0; // makes curl fail the transfer: an answer this large is not the provider's
  }
  sink->body.append(data, n);
  return n;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

class CurlTransport final : public HttpTransport {
public:
  explicit CurlTransport(CurlOptions options) : options_(std::move(options)) {
    static std::once_flag once;
    std::call_once(once, [] { static CurlGlobal global; });
    while (!options_.base_url.empty() && options_.base_url.back() == '/')
      options_.base_url.pop_back();
  }

  domain::Result<HttpAnswer> post(const std::string &path, const Form &form,
                                  const std::string &idempotency_key) override {
    std::unique_ptr<CURL, void (*)(CURL *)> curl{curl_easy_init(), curl_easy_cleanup};
    if (!curl) return domain::ServiceError::unavailable("payment provider: cannot start an HTTP client");
    auto url = options_.base_url + path;
    auto body = encode_form(form);
    struct curl_slist *headers = nullptr;
    auto auth = "Authorization: Bearer " + options_.secret_key;
    auto key = "Idempotency-Key: " + idempotency_key;
    headers = curl_slist_append(headers, auth.c_str());
    headers = curl_slist_append(headers, key.c_str());
    headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
    headers = curl_slist_append(headers, "Expect:");
    std::unique_ptr<curl_slist, void (*)(curl_slist *)> header_list{headers, curl_slist_free_all};
    Sink sink{{}, options_.max_answer_bytes, false};
    auto *h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); // worker threads: no SIGALRM for name lookups
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, options_.allow_plain_http_to_loopback ? "http,https" : "https");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    auto rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
      if (sink.overflow) return domain::ServiceError::unavailable("payment provider: answer too large");
      return domain::ServiceError::unavailable(std::string("payment provider unreachable: ") + curl_easy_strerror(rc));
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    return HttpAnswer{static_cast<int>(status), std::move(sink.body)};
  }

private:
  CurlOptions options_;
};

} // namespace

std::string encode_form(const Form &form) {
  std::string out;
  for (const auto &[name, value] : form) {
    if (!out.empty()) out += '&';
    append_encoded(out, name);
    out += '=';
    append_encoded(out, value);
  }
  return out;
}

std::string check_base_url(const std::string &url, bool allow_plain_http_to_loopback) {
  if (url.starts_with("https://") && url.size() > 8) return {};
  if (url.starts_with("http://")) {
    if (!allow_plain_http_to_loopback) return "payments.base_url must be https://";
    auto rest = std::string_view(url).substr(7);
    for (std::string_view host : {"127.0.0.1", "localhost", "[::1]"}) {
      if (rest.starts_with(host) &&
          (rest.size() == host.size() || rest[host.size()] == ':' || rest[host.size()] == '/'))
        return {};
    }
    return "payments.base_url must be https:// (http:// only to a loopback address, for a local test double)";
  }
  return "payments.base_url must start with https://";
}

std::unique_ptr<HttpTransport> make_curl_transport(CurlOptions options) {
  return std::make_unique<CurlTransport>(std::move(options));
}

} // namespace gridlane::payments
