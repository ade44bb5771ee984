// JSON log lines ([log] format = "json"): one object per line with a UTC ISO 8601 time, the
// level, the component, the station of a station's line, and the message escaped so that any
// text (quotes, control characters, bytes that are not UTF-8) still gives valid JSON.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/core/config.hpp"
#include "gridlane/core/log_format.hpp"
#include "gridlane/core/logging.hpp"
#include "support/config_file.hpp"

using namespace gridlane;
namespace json = boost::json;

namespace {

std::chrono::system_clock::time_point at_ms(std::int64_t ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

json::object parsed(const std::string &line) {
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line";
  boost::system::error_code ec;
  auto v = json::parse(line, ec);
  EXPECT_FALSE(ec) << line;
  return ec ? json::object{} : v.as_object();
}

std::string field(const json::object &o, const char *key) {
  const auto *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string("<absent>");
}

} // namespace

TEST(JsonLogLine, has_utc_time_level_component_and_message) {
  // 2026-03-29T01:30:00.042Z: the night Europe moves its clocks; the line is UTC whatever TZ says.
  auto line = core::json_log_line(at_ms(1774747800042), spdlog::level::warn, "store", "commit slow");
  EXPECT_EQ(line, "{\"time\":\"2026-03-29T01:30:00.042Z\",\"level\":\"warn\",\"component\":\"store\","
                  "\"message\":\"commit slow\"}\n");
  EXPECT_EQ(field(parsed(core::json_log_line(at_ms(0), spdlog::level::err, "net", "x")), "level"), "error");
}

TEST(JsonLogLine, a_station_line_carries_its_station_as_a_field) {
  auto o = parsed(core::json_log_line(at_ms(0), spdlog::level::info, "ocpp", "[CS-001] frame in: [2,\"1\"]"));
  EXPECT_EQ(field(o, "station"), "CS-001");
  EXPECT_EQ(field(o, "message"), "frame in: [2,\"1\"]");
  // Brackets that are not a station prefix stay in the message.
  auto plain = parsed(core::json_log_line(at_ms(0), spdlog::level::info, "api", "[a b] text"));
  EXPECT_FALSE(plain.contains("station"));
  EXPECT_EQ(field(plain, "message"), "[a b] text");
}

TEST(JsonLogLine, escapes_quotes_backslashes_and_control_characters) {
  std::string text = "say \"hi\"\\ then\nnew line\ttab\r\x01\x1f end \xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x8c";
  auto line = core::json_log_line(at_ms(0), spdlog::level::info, "api", text);
  EXPECT_NE(line.find("\\u0001"), std::string::npos);
  EXPECT_NE(line.find("\\u001f"), std::string::npos);
  EXPECT_EQ(field(parsed(line), "message"), text) << "the message reads back exactly";
}

TEST(JsonLogLine, bytes_that_are_not_utf8_become_replacement_characters) {
  // A stray continuation byte, a truncated sequence, an overlong '/', a surrogate, 0xff.
  std::string text = std::string("a\x80") + "b\xe2\x82" + "c\xc0\xaf" + "d\xed\xa0\x80" + "e\xff";
  auto o = parsed(core::json_log_line(at_ms(0), spdlog::level::info, "ocpp", text));
  const std::string r = "\xef\xbf\xbd";
  EXPECT_EQ(field(o, "message"), "a" + r + "b" + r + r + "c" + r + r + "d" + r + r + r + "e" + r);
}

TEST(LogFormat, only_text_or_json) {
  EXPECT_THROW(core::set_log_format("xml"), std::invalid_argument);
  EXPECT_NO_THROW(core::set_log_format("text"));
}

TEST(ConfigObservability, log_format_and_metrics_keys_with_defaults) {
  auto d = test_support::load_config_text("");
  EXPECT_EQ(d.log_format, "text");
  EXPECT_TRUE(d.metrics.enabled);
  EXPECT_EQ(d.metrics.token, "");
  auto c = test_support::load_config_text("[log]\nformat = \"json\"\n[metrics]\nenabled = false\ntoken = \"t0k\"\n");
  EXPECT_EQ(c.log_format, "json");
  EXPECT_FALSE(c.metrics.enabled);
  EXPECT_EQ(c.metrics.token, "t0k");
  EXPECT_THROW(test_support::load_config_text("[log]\nformat = \"xml\"\n"), core::ConfigError);
  EXPECT_THROW(test_support::load_config_text("[metrics]\ntoken = \"a b\"\n"), core::ConfigError);
  EXPECT_THROW(test_support::load_config_text("[metrics]\nscrape = 1\n"), core::ConfigError);
}
