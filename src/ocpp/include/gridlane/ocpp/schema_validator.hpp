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

namespace gridlane::ocpp {

struct ValidationError {
  enum class Kind {
    Type,          //!< a value of the wrong JSON type
    Required,      //!< a required property is missing
    Additional,    //!< a property the schema does not define
    Enum,          //!< a value outside the enumeration
    Length,        //!< a string too long or too short
    Range,         //!< a number outside minimum/maximum or not a multiple of multipleOf
    Cardinality,   //!< an array with too few or too many items
    Format,        //!< a string that is not a valid date-time or uri
  };
  Kind kind;
  std::string path;    //!< JSON pointer-like location, e.g. "/meterValue/0/sampledValue"
  std::string message; //!< human-readable, names the field and the rule
};

class CompiledSchema {
public:
  //! Compiles a schema document. Throws std::invalid_argument on a construct it does not support.
  static std::shared_ptr<const CompiledSchema> compile(const boost::json::value& schema);
  virtual ~CompiledSchema() = default;
  //! Returns the first violation, or nullopt when the value conforms.
  virtual std::optional<ValidationError> validate(const boost::json::value& value) const = 0;
};

} // namespace gridlane::ocpp
