#include "gridlane/alerts/messages.hpp"

#include <boost/json.hpp>
#include <ctime>
#include <fmt/format.h>

namespace gridlane::alerts {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

json::value opt_time(const std::optional<core::Timestamp> &t) {
  return t ? json::value(core::format_iso8601(*t)) : json::value(nullptr);
}

//! A header value: no control characters (no header injection), at most `max` bytes.
std::string header_text(std::string_view text, std::size_t max) {
  std::string out;
  for (char ch : text) {
    if (out.size() >= max) break;
    out += (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) ? ' ' : ch;
  }
  return out;
}

//! RFC 5322 date in UTC: "Mon, 30 Nov 2026 10:47:08 +0000".
std::string mail_date(core::Timestamp t) {
  auto secs = static_cast<std::time_t>(core::to_unix_ms(t) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static constexpr const char *days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                     tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

} // namespace

std::string webhook_body(const Message &m) {
  const auto &a = m.alert;
  json::object alert{{"id", a.id},
                     {"rule_id", a.rule_id},
                     {"rule_name", m.rule_name},
                     {"subject", a.subject},
                     {"station", a.station},
                     {"severity", name_of(alert_severities, a.severity)},
                     {"state", name_of(alert_states, a.state)},
                     {"summary", a.summary},
                     {"count", a.count},
                     {"first_at", core::format_iso8601(a.first_at)},
                     {"last_at", core::format_iso8601(a.last_at)},
                     {"acknowledged_at", opt_time(a.acknowledged_at)},
                     {"resolved_at", opt_time(a.resolved_at)}};
  json::object body{{"event", name_of(alert_events, m.event)},
                    {"delivery_id", m.delivery_id},
                    {"sent_at", core::format_iso8601(m.sent_at)},
                    {"alert", std::move(alert)}};
  return json::serialize(body);
}

std::string mail_subject(const Message &m) {
  auto what = m.event == AlertEvent::Raised ? "raised" : "resolved";
  return header_text(
      fmt::format("[Gridlane] {} alert {}: {}", name_of(alert_severities, m.alert.severity), what, m.alert.summary),
      200);
}

std::string mail_document(const Message &m, const std::string &from, const std::vector<std::string> &to) {
  const auto &a = m.alert;
  std::string recipients;
  for (const auto &r : to) {
    if (!recipients.empty()) recipients += ", ";
    recipients += header_text(r, 254);
  }
  std::string doc;
  doc += "Date: " + mail_date(m.sent_at) + "\r\n";
  doc += "From: " + header_text(from, 254) + "\r\n";
  doc += "To: " + recipients + "\r\n";
  doc += "Subject: " + mail_subject(m) + "\r\n";
  doc += fmt::format("Message-ID: <alert-{}-delivery-{}@gridlane>\r\n", a.id, m.delivery_id);
  doc += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
  doc += fmt::format("{}\r\n\r\n", header_text(a.summary, 2000));
  doc += fmt::format("Event:     {}\r\n", name_of(alert_events, m.event));
  doc += fmt::format("Alert:     {} (rule {} \"{}\")\r\n", a.id, a.rule_id, header_text(m.rule_name, 200));
  doc += fmt::format("Severity:  {}\r\n", name_of(alert_severities, a.severity));
  doc += fmt::format("State:     {}\r\n", name_of(alert_states, a.state));
  doc += fmt::format("Subject:   {}\r\n", header_text(a.subject, 200));
  doc += fmt::format("Count:     {}\r\n", a.count);
  doc += fmt::format("First:     {}\r\n", core::format_iso8601(a.first_at));
  doc += fmt::format("Last:      {}\r\n", core::format_iso8601(a.last_at));
  if (a.resolved_at) doc += fmt::format("Resolved:  {}\r\n", core::format_iso8601(*a.resolved_at));
  return doc;
}

} // namespace gridlane::alerts
