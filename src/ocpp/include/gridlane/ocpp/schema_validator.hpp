#pragma once
//! A JSON Schema validator for the subset the OCPP schemas use (draft-04 and draft-06):
//! type, properties, required, additionalProperties, enum, min/maxLength, minimum/maximum
//! (inclusive and exclusive), multipleOf, items, min/maxItems, format date-time and uri, and
//! local "$ref": "#/definitions/...". Schemas are compiled once; validation does not allocate
//! unless it fails.
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gridlane::ocpp {

struct ValidationError {
  enum class Kind {
    Type,        //!< a value of the wrong JSON type
    Required,    //!< a required property is missing
    Additional,  //!< a property the schema does not define
    Enum,        //!< a value outside the enumeration
    Length,      //!< a string too long or too short
    Range,       //!< a number outside minimum/maximum or not a multiple of multipleOf
    Cardinality, //!< an array with too few or too many items
    Format,      //!< a string that is not a valid date-time or uri
  };
  Kind kind;
  std::string path;    //!< JSON pointer-like location, e.g. "/meterValue/0/sampledValue"
  std::string message; //!< human-readable, names the field and the rule
};

//! Deviations from the schemas that an operator may accept for a station whose firmware is
//! known to make them. Off by default: validation is strict.
struct Leniency {
  //! A date-time without a zone ("2026-11-29T08:47:10") is read as UTC: "Z" is appended.
  bool timestamps_without_offset = false;
  //! A top-level property the schema does not define (additionalProperties false) is removed.
  bool unknown_top_level_properties = false;
  bool any() const { return timestamps_without_offset || unknown_top_level_properties; }
};

//! One deviation a lenient validation accepted, as it was before the rewrite.
struct Relaxation {
  enum class Kind { TimestampWithoutOffset, UnknownProperty };
  Kind kind;
  std::string path;  //!< e.g. "/timestamp", "/meterValue/0/timestamp", "/vendorExtra"
  std::string value; //!< the timestamp as sent, or the removed property's value (JSON)
};

class CompiledSchema {
public:
  //! Compiles a schema document. Throws std::invalid_argument on a construct it does not support.
  static std::shared_ptr<const CompiledSchema> compile(const boost::json::value &schema);
  virtual ~CompiledSchema() = default;
  //! Returns the first violation, or nullopt when the value conforms.
  virtual std::optional<ValidationError> validate(const boost::json::value &value) const = 0;
  //! Rewrites the deviations `leniency` accepts into what the schema demands (appends "Z" to a
  //! date-time without zone, removes an unknown top-level property), appends each to `used`,
  //! then validates the rewritten value like validate().
  virtual std::optional<ValidationError> validate(boost::json::value &value, const Leniency &leniency,
                                                  std::vector<Relaxation> &used) const = 0;
};

} // namespace gridlane::ocpp
