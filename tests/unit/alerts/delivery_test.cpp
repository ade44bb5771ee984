// The webhook signature (the documented scheme, against a digest computed independently with
// Python's hmac module), the back-off, and the messages a receiver sees.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/alerts/dispatcher.hpp"
#include "gridlane/alerts/messages.hpp"
#include "gridlane/alerts/signature.hpp"

using namespace gridlane;
using namespace std::chrono_literals;

TEST(AlertSignature, is_hmac_sha256_over_timestamp_dot_body_in_lower_case_hex) {
  // python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test',
  //   b'1700000000.{\"event\":\"alert.raised\"}', hashlib.sha256).hexdigest())"
  EXPECT_EQ(alerts::sign("whsec_test", 1700000000, R"({"event":"alert.raised"})"),
            "sha256=9b743df89a0740030cc3dfafffc8031077c3b34ad542e51b3fc3925909cdd7c7");
  EXPECT_NE(alerts::sign("whsec_test", 1700000001, R"({"event":"alert.raised"})"),
            alerts::sign("whsec_test", 1700000000, R"({"event":"alert.raised"})"))
      << "the timestamp is signed: a replay with a fresh timestamp does not verify";
  EXPECT_NE(alerts::sign("whsec_other", 1700000000, "{}"), alerts::sign("whsec_test", 1700000000, "{}"));
}

TEST(AlertBackoff, doubles_from_the_minimum_up_to_the_maximum) {
  EXPECT_EQ(alerts::retry_delay(1, 5000ms, 60000ms), 5000ms);
  EXPECT_EQ(alerts::retry_delay(2, 5000ms, 60000ms), 10000ms);
  EXPECT_EQ(alerts::retry_delay(4, 5000ms, 60000ms), 40000ms);
  EXPECT_EQ(alerts::retry_delay(5, 5000ms, 60000ms), 60000ms);
  EXPECT_EQ(alerts::retry_delay(90, 5000ms, 60000ms), 60000ms) << "no overflow after many attempts";
}

TEST(AlertMessages, webhook_body_and_mail_carry_the_alert_without_header_injection) {
  domain::Alert a;
  a.id = 7;
  a.rule_id = 3;
  a.subject = "CS-1/1/1";
  a.station = "CS-1";
  a.severity = domain::AlertSeverity::Critical;
  a.summary = "CS-1 EVSE 1 connector 1 faulted\r\nBcc: victim@example.com";
  a.count = 2;
  a.first_at = *core::parse_iso8601("2026-06-01T12:00:00Z");
  a.last_at = *core::parse_iso8601("2026-06-01T12:05:00Z");
  std::string rule = "faults";
  alerts::Message m{a, rule, domain::AlertEvent::Raised, 11, *core::parse_iso8601("2026-06-01T12:05:01Z")};
  auto body = boost::json::parse(alerts::webhook_body(m)).as_object();
  EXPECT_EQ(body.at("event").as_string(), "alert.raised");
  EXPECT_EQ(body.at("delivery_id").as_int64(), 11);
  EXPECT_EQ(body.at("alert").at("severity").as_string(), "critical");
  EXPECT_EQ(body.at("alert").at("count").as_int64(), 2);
  EXPECT_EQ(body.at("alert").at("rule_name").as_string(), "faults");
  auto subject = alerts::mail_subject(m);
  EXPECT_EQ(subject.find('\n'), std::string::npos);
  EXPECT_EQ(subject.find('\r'), std::string::npos);
  auto doc = alerts::mail_document(m, "gridlane@example.com", {"ops@example.com"});
  EXPECT_NE(doc.find("\r\nSubject: [Gridlane] critical alert raised: CS-1 EVSE 1 connector 1 faulted"),
            std::string::npos);
  EXPECT_EQ(doc.find("\r\nBcc:"), std::string::npos) << "a summary cannot add a header";
  EXPECT_NE(doc.find("Date: Mon, 01 Jun 2026 12:05:01 +0000\r\n"), std::string::npos);
}
