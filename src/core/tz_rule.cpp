#include "tz_rule.hpp"

#include <fstream>
#include <iterator>

namespace gridlane::core::tzrule {

namespace {

using std::chrono::seconds;

class Reader {
public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  static bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

  //! "CET" (three or more letters) or "<-03>" (anything but '>' in angle brackets).
  bool name(std::string &out) {
    const std::size_t from = i_;
    if (eat('<')) {
      while (!done() && peek() != '>')
        ++i_;
      if (!eat('>') || i_ - from < 3) return false;
      out = std::string(s_.substr(from + 1, i_ - from - 2));
      return true;
    }
    while (is_alpha(peek()))
      ++i_;
    out = std::string(s_.substr(from, i_ - from));
    return out.size() >= 3;
  }

  bool number(unsigned &out, unsigned max) {
    if (!is_digit(peek())) return false;
    out = 0;
    while (is_digit(peek())) {
      out = out * 10 + static_cast<unsigned>(s_[i_++] - '0');
      if (out > max) return false;
    }
    return true;
  }

  //! [+-]h[h][:mm[:ss]], hours up to `max_hours`.
  bool hms(seconds &out, unsigned max_hours) {
    const bool negative = eat('-');
    if (!negative) eat('+');
    unsigned h = 0, m = 0, sec = 0;
    if (!number(h, max_hours)) return false;
    if (eat(':') && (!number(m, 59) || (eat(':') && !number(sec, 59)))) return false;
    out = seconds{h * 3600 + m * 60 + sec};
    if (negative) out = -out;
    return true;
  }

  bool date(Date &d) {
    if (!eat('M') || !number(d.month, 12) || d.month < 1 || !eat('.') || !number(d.week, 5) || d.week < 1 ||
        !eat('.') || !number(d.weekday, 6))
      return false;
    return !eat('/') || hms(d.time, 167); // RFC 8536 3.3.1: -167..167 hours
  }

private:
  std::string_view s_;
  std::size_t i_ = 0;
};

//! The UTC instant of a transition in year `y`: the rule's date and time read in the offset
//! in force before it.
std::chrono::sys_seconds transition(std::chrono::year y, const Date &d, seconds offset_before) {
  using namespace std::chrono;
  const month m{d.month};
  const weekday wd{d.weekday};
  const sys_days day = d.week == 5 ? sys_days{year_month_weekday_last{y, m, weekday_last{wd}}}
                                   : sys_days{year_month_weekday{y, m, weekday_indexed{wd, d.week}}};
  return sys_seconds{day} + d.time - offset_before;
}

} // namespace

std::optional<Rule> parse(std::string_view text) {
  Reader r(text);
  Rule rule;
  seconds posix{0};
  if (!r.name(rule.std_abbrev) || !r.hms(posix, 24)) return std::nullopt;
  rule.std_offset = -posix;
  if (r.done() || !r.name(rule.dst_abbrev)) return std::nullopt; // a fixed offset: nothing to apply
  rule.dst_offset = rule.std_offset + std::chrono::hours{1};
  if (r.peek() != ',') {
    if (!r.hms(posix, 24)) return std::nullopt;
    rule.dst_offset = -posix;
  }
  if (!r.eat(',') || !r.date(rule.start) || !r.eat(',') || !r.date(rule.end) || !r.done()) return std::nullopt;
  return rule;
}

Period at(const Rule &rule, std::chrono::sys_seconds t) {
  using namespace std::chrono;
  const auto y = year_month_day{floor<days>(t)}.year();
  const auto start = transition(y, rule.start, rule.std_offset);
  const auto end = transition(y, rule.end, rule.dst_offset);
  // Northern hemisphere: DST from start to end within the year; southern: from start to the end
  // of the year and from its beginning to end.
  const bool dst = start < end ? (t >= start && t < end) : (t >= start || t < end);
  return dst ? Period{rule.dst_offset, true, rule.dst_abbrev} : Period{rule.std_offset, false, rule.std_abbrev};
}

std::optional<Rule> read_footer(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // RFC 8536: version 2 and later end with "\n<TZ string>\n".
  if (s.size() < 8 || s.compare(0, 4, "TZif") != 0 || s[4] < '2' || s.back() != '\n') return std::nullopt;
  const auto from = s.rfind('\n', s.size() - 2);
  if (from == std::string::npos) return std::nullopt;
  return parse(std::string_view(s).substr(from + 1, s.size() - from - 2));
}

} // namespace gridlane::core::tzrule
