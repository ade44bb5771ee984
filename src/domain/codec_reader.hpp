#pragma once
// Private to the command codec: reads typed fields out of a JSON object, keeping the first
// problem (with the field's path) instead of throwing, so a decoder reads straight through and
// the caller checks once.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/commands.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::domain::codec {

//! 'text', for messages that name a field.
inline std::string quoted(std::string_view text) {
  std::string s;
  s.reserve(text.size() + 2);
  s += '\'';
  s += text;
  s += '\'';
  return s;
}

class Reader {
public:
  Reader(const boost::json::object &o, std::string prefix, std::optional<ServiceError> &error)
      : o_(o), prefix_(std::move(prefix)), error_(error) {}

  //! Records the first problem: `message` names the field with its path.
  void fail(std::string_view key, std::string message);
  std::string path(std::string_view key) const { return prefix_ + std::string(key); }
  std::string q(std::string_view key) const { return quoted(path(key)); }
  bool has(std::string_view key) const { return o_.contains(key); }
  const boost::json::value *field(std::string_view key) const { return o_.if_contains(key); }

  std::string str(std::string_view key);
  std::optional<std::string> opt_str(std::string_view key);
  std::optional<std::vector<std::string>> opt_strings(std::string_view key);
  std::int64_t integer(std::string_view key, std::int64_t lo, std::int64_t hi);
  std::optional<std::int64_t> opt_int(std::string_view key, std::int64_t lo, std::int64_t hi);
  bool boolean(std::string_view key);
  std::optional<bool> opt_bool(std::string_view key);
  Timestamp time(std::string_view key);
  std::optional<Timestamp> opt_time(std::string_view key);
  //! A rate in thousandths: a finite number in [0, 1e9] with at most three decimals.
  std::optional<RateMilli> opt_rate(std::string_view key);
  RateMilli rate(std::string_view key);
  //! Any JSON value, as its text.
  std::optional<std::string> opt_json(std::string_view key);

  template <class E> std::optional<E> opt_enum(std::string_view key) {
    auto text = opt_str(key);
    if (!text) return std::nullopt;
    if (auto e = parse_enum<E>(*text)) return e;
    std::string list;
    const auto &names = EnumNames<E>::names;
    for (std::size_t i = 0; i < std::size(names); ++i)
      list += (i ? (i + 1 == std::size(names) ? " or " : ", ") : "") + std::string(names[i]);
    fail(key, q(key) + " is " + list);
    return std::nullopt;
  }
  template <class E> E enumeration(std::string_view key) {
    if (!has(key)) {
      fail(key, q(key) + " (string) is required");
      return E{};
    }
    return opt_enum<E>(key).value_or(E{});
  }

  //! A nested object's reader; nullopt when absent (a problem if `required`) or not an object.
  std::optional<Reader> object_reader(std::string_view key, bool required);
  const boost::json::array *array(std::string_view key, bool required = true);
  //! The reader of element i of an array of objects, or nullopt (a problem) for a non-object.
  std::optional<Reader> item(const boost::json::array &a, std::string_view key, std::size_t i);

private:
  const boost::json::object &o_;
  std::string prefix_;
  std::optional<ServiceError> &error_;
};

//! The profile in the 1.6 (chargingProfileId, one chargingSchedule object) or the 2.x (id, a
//! chargingSchedule array) shape.
ChargingProfile profile_of(Reader &r);
//! A schedule in the 1.6 or 2.x shape (2.1: limit_L2 / limit_L3 too); `default_id` when it has none.
ChargingSchedule schedule_of(Reader &r, std::int64_t default_id);
//! A purpose by its 1.6 or 2.x name.
std::optional<ChargingProfilePurpose> purpose_of(Reader &r, std::string_view key, std::string_view text);
//! The profile in the 2.x shape.
boost::json::object encode_profile(const ChargingProfile &p);
//! Thousandths as a JSON number: an integer when whole, else the nearest double.
boost::json::value rate_value(RateMilli r);

} // namespace gridlane::domain::codec
