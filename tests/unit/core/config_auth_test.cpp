// The [auth] section of the TOML config: defaults, overrides, and values refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "gridlane/core/config.hpp"
#include "support/config_file.hpp"

using namespace gridlane;

namespace {

core::Config load(const std::string &text) {
  return test_support::load_config_text(text);
}

TEST(ConfigAuth, has_documented_defaults) {
  core::Config c;
  EXPECT_EQ(c.auth.hash_threads, 2);
  EXPECT_EQ(c.auth.hash_queue, 64u);
  EXPECT_EQ(c.auth.hash_wait_ms, 2000);
  EXPECT_EQ(c.auth.max_failures, 10);
  EXPECT_EQ(c.auth.max_failures_per_address, 50);
  EXPECT_EQ(c.auth.failure_window_s, 60);
  EXPECT_EQ(c.auth.lockout_s, 60);
}

TEST(ConfigAuth, reads_every_key) {
  auto c = load("[auth]\nhash_threads = 3\nhash_queue = 8\nhash_wait_ms = 500\nmax_failures = 5\n"
                "max_failures_per_address = 20\nfailure_window_s = 30\nlockout_s = 120\n");
  EXPECT_EQ(c.auth.hash_threads, 3);
  EXPECT_EQ(c.auth.hash_queue, 8u);
  EXPECT_EQ(c.auth.hash_wait_ms, 500);
  EXPECT_EQ(c.auth.max_failures, 5);
  EXPECT_EQ(c.auth.max_failures_per_address, 20);
  EXPECT_EQ(c.auth.failure_window_s, 30);
  EXPECT_EQ(c.auth.lockout_s, 120);
}

TEST(ConfigAuth, refuses_values_out_of_range_and_unknown_keys) {
  for (const char *text : {
           "[auth]\nhash_threads = 0\n",
           "[auth]\nhash_queue = 0\n",
           "[auth]\nhash_wait_ms = 1\n",
           "[auth]\nlockout_s = 0\n",
           "[auth]\nfailure_window_s = 100000\n",
           "[auth]\nmax_failures = -1\n",
           "[auth]\nhash_threads = 4294967298\n", // would wrap to 2 if narrowed unchecked
           "[auth]\nmax_failure = 3\n",
       }) {
    EXPECT_THROW(load(text), core::ConfigError) << text;
  }
}

} // namespace
