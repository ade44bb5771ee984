// [payments]: defaults, every key, the secret key from the environment, and refusals.
#include <cstdlib>
#include <gtest/gtest.h>

#include "support/config_file.hpp"

using namespace gridlane;
using test_support::load_config_text;

TEST(ConfigPayments, has_documented_defaults_with_no_card_provider) {
  auto c = load_config_text("");
  EXPECT_EQ(c.payments.card_provider, "none");
  EXPECT_EQ(c.payments.base_url, "https://api.stripe.com");
  EXPECT_EQ(c.payments.secret_key_env, "GRIDLANE_PAYMENTS_SECRET_KEY");
  EXPECT_EQ(c.payments.timeout_ms, 10000);
  EXPECT_EQ(c.payments.threads, 1);
  EXPECT_EQ(c.payments.queue, 256U);
  EXPECT_EQ(c.payments.token_ttl_s, 900);
  EXPECT_EQ(c.payments.retry_interval_s, 30);
}

TEST(ConfigPayments, reads_every_key) {
  auto c = load_config_text("[payments]\ncard_provider = \"stripe\"\nbase_url = \"http://127.0.0.1:4242\"\n"
                            "secret_key = \"sk_test_1\"\ntimeout_ms = 2500\nthreads = 2\nqueue = 10\n"
                            "token_ttl_s = 60\nretry_interval_s = 5\n");
  EXPECT_EQ(c.payments.card_provider, "stripe");
  EXPECT_EQ(c.payments.base_url, "http://127.0.0.1:4242");
  EXPECT_EQ(c.payments.secret_key, "sk_test_1");
  EXPECT_EQ(c.payments.timeout_ms, 2500);
  EXPECT_EQ(c.payments.threads, 2);
  EXPECT_EQ(c.payments.queue, 10U);
  EXPECT_EQ(c.payments.token_ttl_s, 60);
  EXPECT_EQ(c.payments.retry_interval_s, 5);
}

TEST(ConfigPayments, takes_the_secret_key_from_the_named_environment_variable) {
  ::setenv("GRIDLANE_TEST_PAY_KEY", "sk_test_env", 1);
  auto c = load_config_text("[payments]\ncard_provider = \"stripe\"\nsecret_key_env = \"GRIDLANE_TEST_PAY_KEY\"\n");
  EXPECT_EQ(c.payments.secret_key, "sk_test_env");
  ::unsetenv("GRIDLANE_TEST_PAY_KEY");
  EXPECT_THROW(load_config_text("[payments]\ncard_provider = \"stripe\"\nsecret_key_env = \"GRIDLANE_TEST_PAY_KEY\"\n"),
               core::ConfigError)
      << "a card provider without a key does not start";
}

TEST(ConfigPayments, refuses_unknown_providers_keys_and_values_out_of_range) {
  for (const char *bad : {"card_provider = \"paypal\"", "timeout_ms = 10", "threads = 0", "queue = 0",
                          "token_ttl_s = 0", "retry_interval_s = 0", "secret = \"x\""})
    EXPECT_THROW(load_config_text(std::string("[payments]\n") + bad + "\n"), core::ConfigError) << bad;
}
