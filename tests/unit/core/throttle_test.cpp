// Failed-credential throttling, driven by a fake clock: each case is a script of failures,
// successes and checks with what each must answer.
#include <gtest/gtest.h>

#include "gridlane/core/throttle.hpp"

using namespace gridlane;
using namespace std::chrono_literals;

namespace {

struct FakeClock : core::Clock {
  core::Timestamp t = *core::parse_iso8601("2026-06-01T12:00:00Z");
  core::Timestamp now() const override { return t; }
};

enum class Op { Fail, Succeed, Check };

struct Step {
  std::int64_t at_ms; //!< since the start of the case
  Op op;
  const char *key;
  std::int64_t expect; //!< Fail: 1 when this failure locks the key; Check: seconds still locked
};

struct Case {
  const char *name;
  core::ThrottleLimits limits;
  std::vector<Step> steps;
};

const core::ThrottleLimits three{3, 60s, 30s};

const Case cases[] = {
    {"the third failure in a window locks for the lockout",
     three,
     {{0, Op::Fail, "u", 0},
      {1000, Op::Fail, "u", 0},
      {2000, Op::Check, "u", 0},
      {2000, Op::Fail, "u", 1},
      {2000, Op::Check, "u", 30},
      {2500, Op::Check, "u", 30}, // 29.5 s left, rounded up
      {31000, Op::Check, "u", 1},
      {32000, Op::Check, "u", 0}}},
    {"failures further apart than the window never lock",
     three,
     {{0, Op::Fail, "u", 0},
      {30000, Op::Fail, "u", 0},
      {60000, Op::Fail, "u", 0}, // a new window starts here
      {61000, Op::Fail, "u", 0},
      {61500, Op::Check, "u", 0},
      {62000, Op::Fail, "u", 1}}},
    {"a success clears the failures so far",
     three,
     {{0, Op::Fail, "u", 0},
      {1000, Op::Fail, "u", 0},
      {2000, Op::Succeed, "u", 0},
      {3000, Op::Fail, "u", 0},
      {4000, Op::Fail, "u", 0},
      {5000, Op::Fail, "u", 1}}},
    {"a success does not lift a running lockout",
     three,
     {{0, Op::Fail, "u", 0},
      {0, Op::Fail, "u", 0},
      {0, Op::Fail, "u", 1},
      {1000, Op::Succeed, "u", 0},
      {1000, Op::Check, "u", 29}}},
    {"failures while locked neither count nor extend the lockout",
     three,
     {{0, Op::Fail, "u", 0},
      {0, Op::Fail, "u", 0},
      {0, Op::Fail, "u", 1},
      {10000, Op::Fail, "u", 0},
      {10000, Op::Fail, "u", 0},
      {10000, Op::Fail, "u", 0},
      {30000, Op::Check, "u", 0},
      {30000, Op::Fail, "u", 0}}},
    {"keys are counted apart",
     three,
     {{0, Op::Fail, "a", 0},
      {0, Op::Fail, "b", 0},
      {0, Op::Fail, "a", 0},
      {0, Op::Fail, "a", 1},
      {0, Op::Check, "a", 30},
      {0, Op::Check, "b", 0},
      {0, Op::Check, "never-seen", 0}}},
    {"max_failures 0 switches throttling off",
     core::ThrottleLimits{0, 60s, 30s},
     {{0, Op::Fail, "u", 0}, {0, Op::Fail, "u", 0}, {0, Op::Fail, "u", 0}, {0, Op::Check, "u", 0}}},
    {"one failure locks when the limit is one",
     core::ThrottleLimits{1, 60s, 5s},
     {{0, Op::Fail, "u", 1}, {4000, Op::Check, "u", 1}, {5000, Op::Check, "u", 0}}},
};

class ThrottleCases : public ::testing::TestWithParam<Case> {};

TEST_P(ThrottleCases, answers_each_step_as_scripted) {
  const auto &c = GetParam();
  FakeClock clock;
  const auto start = clock.t;
  core::FailureThrottle throttle{c.limits, clock};
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    const auto &s = c.steps[i];
    clock.t = start + std::chrono::milliseconds(s.at_ms);
    SCOPED_TRACE("step " + std::to_string(i) + " at " + std::to_string(s.at_ms) + " ms, key " + s.key);
    switch (s.op) {
    case Op::Fail: EXPECT_EQ(throttle.fail(s.key) ? 1 : 0, s.expect); break;
    case Op::Succeed: throttle.succeed(s.key); break;
    case Op::Check: EXPECT_EQ(throttle.locked_for(s.key).count(), s.expect); break;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Throttle, ThrottleCases, ::testing::ValuesIn(cases),
                         [](const ::testing::TestParamInfo<Case> &info) {
                           std::string name = info.param.name;
                           for (auto &ch : name)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

TEST(Throttle, tracks_at_most_max_keys_and_drops_expired_ones_for_new_keys) {
  FakeClock clock;
  core::FailureThrottle throttle{core::ThrottleLimits{2, 60s, 30s, 2}, clock};
  throttle.fail("a");
  throttle.fail("b");
  EXPECT_FALSE(throttle.fail("c"));
  EXPECT_FALSE(throttle.fail("c")); // not tracked: would have locked
  EXPECT_EQ(throttle.tracked(), 2u);
  EXPECT_EQ(throttle.locked_for("c").count(), 0);
  clock.t += 61s; // a's and b's windows are over
  EXPECT_FALSE(throttle.fail("c"));
  EXPECT_EQ(throttle.tracked(), 1u);
  EXPECT_TRUE(throttle.fail("c"));
}

TEST(CredentialThrottle, locks_a_name_and_an_address_each_at_its_own_limit) {
  FakeClock clock;
  core::CredentialThrottle throttle{core::ThrottleLimits{2, 60s, 30s}, core::ThrottleLimits{3, 60s, 45s}, clock};
  EXPECT_FALSE(throttle.fail("alice", "10.0.0.1"));
  EXPECT_TRUE(throttle.fail("alice", "10.0.0.1")); // alice locked
  EXPECT_EQ(throttle.locked_for("alice", "10.0.0.2").count(), 30);
  EXPECT_EQ(throttle.locked_for("bob", "10.0.0.1").count(), 0); // the address has 2 of 3
  EXPECT_TRUE(throttle.fail("bob", "10.0.0.1"));                // the address's third: locked
  EXPECT_EQ(throttle.locked_for("carol", "10.0.0.1").count(), 45);
  EXPECT_EQ(throttle.locked_for("carol", "10.0.0.2").count(), 0);
  EXPECT_EQ(throttle.locked_for("alice", "").count(), 30);
}

TEST(CredentialThrottle, a_success_clears_the_name_but_not_the_address) {
  FakeClock clock;
  core::CredentialThrottle throttle{core::ThrottleLimits{2, 60s, 30s}, core::ThrottleLimits{3, 60s, 30s}, clock};
  throttle.fail("mallory", "10.0.0.9");
  throttle.fail("alice", "10.0.0.9");
  throttle.succeed("mallory");
  EXPECT_FALSE(throttle.fail("mallory", "10.0.0.1")); // mallory's count started over
  EXPECT_TRUE(throttle.fail("bob", "10.0.0.9"));      // the address kept its two failures
}

} // namespace
