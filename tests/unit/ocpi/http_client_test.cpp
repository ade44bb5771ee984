// ocpi::Client over libcurl (src/ocpi/http_client.cpp) against a tiny HTTP/1.1 server on a
// loopback port in the test: what goes out (method, token in both encodings, content type,
// X-Request-ID / X-Correlation-ID, routing headers, body), what comes back (status, envelope,
// Link next), and the failures that must be values: refused connection, no answer in time,
// an answer too large, a URL Gridlane may not call.
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <map>
#include <mutex>
#include <netinet/in.h>
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 at -O1 with the sanitizers (the Asan build) reports -Wmaybe-uninitialized inside
// libstdc++'s <regex> (std::function in its NFA states): a false positive in the library.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "gridlane/core/base64.hpp"
#include "gridlane/ocpi/client.hpp"

using namespace gridlane;
using namespace std::chrono_literals;

namespace {

struct Seen {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers; //!< lower-case names
  std::string body;
  std::string header(const std::string &name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
  }
};

//! One connection at a time: reads a request, records it, answers `reply` (or nothing, for
//! `silent_ms`). Stops by itself when destroyed.
class TinyServer {
public:
  explicit TinyServer(std::string reply, int silent_ms = 0) : reply_(std::move(reply)), silent_ms_(silent_ms) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 8), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr *>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TinyServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url(const std::string &path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::vector<Seen> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

private:
  void serve() {
    for (int n = 0; n < 20 && !stop_; ++n) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      handle(c);
      ::close(c);
    }
  }
  void handle(int c) {
    std::string in;
    char buf[4096];
    std::size_t head_end = std::string::npos;
    std::size_t want = 0;
    for (int i = 0; i < 1000; ++i) {
      auto r = ::recv(c, buf, sizeof buf, 0);
      if (r <= 0) return;
      in.append(buf, static_cast<std::size_t>(r));
      if (head_end == std::string::npos && (head_end = in.find("\r\n\r\n")) != std::string::npos) {
        std::smatch m;
        std::string head = in.substr(0, head_end);
        static const std::regex cl("content-length: *([0-9]+)", std::regex::icase);
        if (std::regex_search(head, m, cl)) want = std::stoul(m[1]);
      }
      if (head_end != std::string::npos && in.size() >= head_end + 4 + want) break;
    }
    Seen s;
    auto head = in.substr(0, head_end);
    auto line_end = head.find("\r\n");
    auto first = head.substr(0, line_end);
    s.method = first.substr(0, first.find(' '));
    s.target = first.substr(first.find(' ') + 1, first.rfind(' ') - first.find(' ') - 1);
    std::size_t pos = line_end + 2;
    while (pos < head.size()) {
      auto e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      auto line = head.substr(pos, e - pos);
      auto colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (auto &ch : name)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      s.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
      pos = e + 2;
    }
    s.body = in.substr(head_end + 4);
    {
      std::lock_guard lock(mutex_);
      seen_.push_back(s);
    }
    if (silent_ms_ > 0) {
      for (int waited = 0; waited < silent_ms_ && !stop_; waited += 10)
        std::this_thread::sleep_for(10ms);
      return;
    }
    ::send(c, reply_.data(), reply_.size(), MSG_NOSIGNAL);
  }

  std::string reply_;
  int silent_ms_ = 0;
  int fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<Seen> seen_;
  std::thread thread_;
};

std::string http_answer(int status, const std::string &body, const std::string &extra_headers = {}) {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n" + extra_headers + "\r\n" + body;
}

const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

TEST(OcpiHttpClient, sends_a_put_with_the_token_ids_routing_and_body_and_reads_the_envelope) {
  TinyServer server(
      http_answer(200, R"({"status_code":1000,"status_message":"fine","timestamp":"2026-01-01T00:00:00Z"})",
                  "Link: <https://emsp.example.com/ocpi/locations?offset=50&limit=50>; rel=\"next\"\r\n"));
  auto client = ocpi::make_http_client();
  ocpi::OutboundCall c;
  c.method = domain::PushMethod::Put;
  c.url = server.url("/ocpi/emsp/2.2.1/locations/DE/GRL/LOC1");
  c.body = R"({"id":"LOC1"})";
  c.token = "tok-B-123";
  c.from = domain::PartyId{"DE", "GRL"};
  c.to = domain::PartyId{"NL", "EXA"};
  c.correlation_id = "corr-1";
  auto r = client->call(c);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->http_status, 200);
  EXPECT_EQ(r->status_code, 1000);
  EXPECT_EQ(r->status_message, "fine");
  EXPECT_EQ(r->link_next, "https://emsp.example.com/ocpi/locations?offset=50&limit=50");
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1U);
  const auto &s = seen[0];
  EXPECT_EQ(s.method, "PUT");
  EXPECT_EQ(s.target, "/ocpi/emsp/2.2.1/locations/DE/GRL/LOC1");
  EXPECT_EQ(s.header("authorization"), "Token " + core::base64_encode("tok-B-123"));
  EXPECT_EQ(s.header("content-type"), "application/json");
  EXPECT_TRUE(std::regex_match(s.header("x-request-id"), uuid)) << s.header("x-request-id");
  EXPECT_EQ(s.header("x-correlation-id"), "corr-1");
  EXPECT_EQ(s.header("ocpi-from-country-code"), "DE");
  EXPECT_EQ(s.header("ocpi-from-party-id"), "GRL");
  EXPECT_EQ(s.header("ocpi-to-country-code"), "NL");
  EXPECT_EQ(s.header("ocpi-to-party-id"), "EXA");
  EXPECT_EQ(s.body, R"({"id":"LOC1"})");
}

TEST(OcpiHttpClient, a_raw_encoded_partner_gets_its_token_as_is_and_each_call_new_ids) {
  TinyServer server(http_answer(200, R"({"status_code":1000,"timestamp":"2026-01-01T00:00:00Z"})"));
  auto client = ocpi::make_http_client();
  ocpi::OutboundCall c;
  c.method = domain::PushMethod::Patch;
  c.url = server.url("/patch");
  c.body = "{}";
  c.token = "raw-token";
  c.encoding = domain::TokenEncoding::Raw;
  ASSERT_TRUE(client->call(c));
  ASSERT_TRUE(client->call(c));
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].method, "PATCH");
  EXPECT_EQ(seen[0].header("authorization"), "Token raw-token");
  EXPECT_TRUE(std::regex_match(seen[0].header("x-correlation-id"), uuid));
  EXPECT_NE(seen[0].header("x-request-id"), seen[1].header("x-request-id"));
  EXPECT_NE(seen[0].header("x-correlation-id"), seen[1].header("x-correlation-id"));
  EXPECT_EQ(seen[0].header("ocpi-to-party-id"), "") << "no routing headers unless given";
}

TEST(OcpiHttpClient, a_get_has_no_body_and_an_error_answer_is_a_value) {
  TinyServer server(http_answer(404, R"({"status_code":2003,"status_message":"Unknown location","timestamp":"x"})"));
  auto client = ocpi::make_http_client();
  ocpi::OutboundCall c;
  c.get = true;
  c.url = server.url("/ocpi/versions");
  c.token = "t";
  auto r = client->call(c);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->http_status, 404);
  EXPECT_EQ(r->status_code, 2003);
  EXPECT_EQ(r->status_message, "Unknown location");
  EXPECT_EQ(r->link_next, "");
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].header("content-type"), "");
  EXPECT_EQ(seen[0].body, "");
}

TEST(OcpiHttpClient, garbage_answers_are_values_without_an_envelope) {
  TinyServer server(http_answer(503, "<html>down for maintenance</html>"));
  auto client = ocpi::make_http_client();
  ocpi::OutboundCall c;
  c.method = domain::PushMethod::Post;
  c.url = server.url("/cdrs");
  c.body = "{}";
  auto r = client->call(c);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->http_status, 503);
  EXPECT_FALSE(r->status_code);
  EXPECT_EQ(r->body, "<html>down for maintenance</html>");
}

TEST(OcpiHttpClient, a_partner_that_does_not_answer_in_time_is_unavailable) {
  TinyServer server("", 3000);
  auto client = ocpi::make_http_client();
  ocpi::OutboundCall c;
  c.url = server.url("/slow");
  c.body = "{}";
  c.timeout = 300ms;
  auto started = std::chrono::steady_clock::now();
  auto r = client->call(c);
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, domain::ServiceError::Code::Unavailable);
  EXPECT_NE(r.error().message.find("no answer within 300 ms"), std::string::npos) << r.error().message;
  EXPECT_LT(took, 2s);
}

TEST(OcpiHttpClient, a_refused_connection_is_unavailable) {
  std::string url;
  {
    TinyServer gone(http_answer(200, "{}"));
    url = gone.url("/x");
  }
  auto client = ocpi::make_http_client();
  ocpi::OutboundCall c;
  c.url = url;
  auto r = client->call(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, domain::ServiceError::Code::Unavailable);
  EXPECT_NE(r.error().message.find("unreachable"), std::string::npos) << r.error().message;
}

TEST(OcpiHttpClient, an_answer_over_the_cap_is_refused) {
  TinyServer server(http_answer(200, std::string(std::size_t{64} * 1024, 'x')));
  auto client = ocpi::make_http_client(ocpi::ClientOptions{true, 4096});
  ocpi::OutboundCall c;
  c.get = true;
  c.url = server.url("/big");
  auto r = client->call(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, domain::ServiceError::Code::Unavailable);
  EXPECT_NE(r.error().message.find("larger than 4096 bytes"), std::string::npos) << r.error().message;
}

TEST(OcpiHttpClient, a_url_gridlane_may_not_call_is_refused_without_a_connection) {
  TinyServer server(http_answer(200, "{}"));
  auto client = ocpi::make_http_client(ocpi::ClientOptions{false, 1 << 20});
  ocpi::OutboundCall c;
  c.url = server.url("/plain");
  auto r = client->call(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, domain::ServiceError::Code::Invalid);
  EXPECT_TRUE(server.seen().empty());
}

TEST(OcpiHttpClient, checks_partner_urls) {
  using ocpi::check_partner_url;
  EXPECT_EQ(check_partner_url("https://emsp.example.com/ocpi/versions", false), "");
  EXPECT_EQ(check_partner_url("https://emsp.example.com:8443", false), "");
  EXPECT_EQ(check_partner_url("http://127.0.0.1:8080/ocpi/versions", true), "");
  EXPECT_EQ(check_partner_url("http://localhost/ocpi", true), "");
  EXPECT_EQ(check_partner_url("http://[::1]:9000/ocpi", true), "");
  EXPECT_EQ(check_partner_url("http://127.1.2.3/x", true), "");
  EXPECT_NE(check_partner_url("http://127.0.0.1:8080/ocpi/versions", false), "");
  EXPECT_NE(check_partner_url("http://emsp.example.com/ocpi", true), "");
  EXPECT_NE(check_partner_url("http://127.0.0.1.evil.example/ocpi", true), "");
  EXPECT_NE(check_partner_url("http://localhost.evil.example/ocpi", true), "");
  EXPECT_NE(check_partner_url("http://127.0.0.1@evil.example/ocpi", true), "");
  EXPECT_NE(check_partner_url("https://user:pw@emsp.example.com/", false), "");
  EXPECT_NE(check_partner_url("https://", false), "");
  EXPECT_NE(check_partner_url("https:///path", false), "");
  EXPECT_NE(check_partner_url("ftp://emsp.example.com/", true), "");
  EXPECT_NE(check_partner_url("https://emsp.example.com/a b", false), "");
  EXPECT_NE(check_partner_url("https://emsp.example.com/\r\nX: y", false), "");
  EXPECT_NE(check_partner_url("", true), "");
}

} // namespace
