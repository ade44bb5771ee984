// The [ocpi] section of the TOML config: defaults, every key read, bad values refused by name.
#include <gtest/gtest.h>

#include "gridlane/core/config.hpp"
#include "support/config_file.hpp"

using namespace gridlane;

namespace {

core::Config load(const std::string &text) {
  return test_support::load_config_text(text);
}

std::string refusal(const std::string &text) {
  try {
    load(text);
  } catch (const core::ConfigError &e) {
    return e.what();
  }
  return "accepted";
}

TEST(ConfigOcpi, has_documented_defaults) {
  auto c = load("");
  EXPECT_TRUE(c.ocpi.enabled);
  EXPECT_EQ(c.ocpi.base_url, "");
  EXPECT_EQ(c.ocpi.country_code, "DE");
  EXPECT_EQ(c.ocpi.party_id, "GRL");
  EXPECT_EQ(c.ocpi.page_limit, 100u);
  EXPECT_EQ(c.ocpi.threads, 2);
  EXPECT_FALSE(c.ocpi.allow_plain_http_to_loopback);
}

TEST(ConfigOcpi, reads_every_key_and_normalises_party_and_url) {
  auto c = load(R"([ocpi]
enabled = false
base_url = "https://cpo.example.com/"
country_code = "nl"
party_id = "ab1"
business_name = "Example CPO"
page_limit = 50
request_timeout_ms = 5000
retry_min_ms = 500
retry_max_ms = 60000
realtime_auth_timeout_ms = 2000
threads = 4
allow_plain_http_to_loopback = true
)");
  EXPECT_FALSE(c.ocpi.enabled);
  EXPECT_EQ(c.ocpi.base_url, "https://cpo.example.com");
  EXPECT_EQ(c.ocpi.country_code, "NL");
  EXPECT_EQ(c.ocpi.party_id, "AB1");
  EXPECT_EQ(c.ocpi.business_name, "Example CPO");
  EXPECT_EQ(c.ocpi.page_limit, 50u);
  EXPECT_EQ(c.ocpi.request_timeout_ms, 5000);
  EXPECT_EQ(c.ocpi.retry_min_ms, 500);
  EXPECT_EQ(c.ocpi.retry_max_ms, 60000);
  EXPECT_EQ(c.ocpi.realtime_auth_timeout_ms, 2000);
  EXPECT_EQ(c.ocpi.threads, 4);
  EXPECT_TRUE(c.ocpi.allow_plain_http_to_loopback);
}

TEST(ConfigOcpi, refuses_a_bad_party) {
  EXPECT_NE(refusal("[ocpi]\ncountry_code = \"DEU\"\n").find("ocpi.country_code"), std::string::npos);
  EXPECT_NE(refusal("[ocpi]\ncountry_code = \"D1\"\n").find("ocpi.country_code"), std::string::npos);
  EXPECT_NE(refusal("[ocpi]\nparty_id = \"GR\"\n").find("ocpi.party_id"), std::string::npos);
  EXPECT_NE(refusal("[ocpi]\nparty_id = \"G-L\"\n").find("ocpi.party_id"), std::string::npos);
  EXPECT_NE(refusal("[ocpi]\nbusiness_name = \"\"\n").find("ocpi.business_name"), std::string::npos);
}

TEST(ConfigOcpi, refuses_a_bad_base_url) {
  for (const char *url : {"cpo.example.com", "ftp://cpo.example.com", "https://", "https://cpo.example.com/?x=1",
                          "https://cpo.example.com/#top", "https://cpo example.com"})
    EXPECT_NE(refusal(std::string("[ocpi]\nbase_url = \"") + url + "\"\n").find("ocpi.base_url"), std::string::npos)
        << url;
  EXPECT_EQ(load("[ocpi]\nbase_url = \"http://127.0.0.1:8180/gl\"\n").ocpi.base_url, "http://127.0.0.1:8180/gl");
}

TEST(ConfigOcpi, refuses_limits_out_of_range_and_unknown_keys) {
  EXPECT_NE(refusal("[ocpi]\npage_limit = 0\n").find("ocpi.page_limit"), std::string::npos);
  EXPECT_NE(refusal("[ocpi]\nthreads = 0\n").find("ocpi.threads"), std::string::npos);
  EXPECT_NE(refusal("[ocpi]\nretry_min_ms = 5000\nretry_max_ms = 1000\n").find("ocpi.retry_max_ms"), std::string::npos);
  EXPECT_NE(refusal("[ocpi]\nrequest_timeout_ms = -1\n").find("ocpi.request_timeout_ms"), std::string::npos);
  EXPECT_NE(refusal("[ocpi]\nrealtime_auth_timeout_ms = 10\n").find("ocpi.realtime_auth_timeout_ms"),
            std::string::npos);
  EXPECT_NE(refusal("[ocpi]\npage_size = 10\n").find("ocpi.page_size"), std::string::npos);
}

} // namespace
