// The schema validator against the compiled official schemas of 1.6, 2.0.1 and 2.1. The first
// byte picks the version and request or response, the second the action; the rest is the JSON
// value validated. Validation must answer (no throw, no crash) and say where and why it failed.
#include <boost/json.hpp>

#include "fuzz_support.hpp"
#include "gridlane/ocpp/catalog.hpp"
#include "gridlane/ocpp/rpc.hpp"
#include "gridlane/ocpp/v16/messages.hpp"
#include "gridlane/ocpp/v201/messages.hpp"
#include "gridlane/ocpp/v21/messages.hpp"

using namespace gridlane;
using namespace gridlane::ocpp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  fuzz::Input in{data, size};
  const auto selector = in.byte();
  const auto pick = in.byte();
  const auto version = fuzz::version_from(selector);
  const bool response = (selector & 0x80) != 0;
  const MessageCatalog *catalog = &fuzz::catalog_of(version);
  std::span<const std::string_view> actions = v16::actions();
  if (version == core::ProtocolVersion::Ocpp201) actions = v201::actions();
  if (version == core::ProtocolVersion::Ocpp21) actions = v21::actions();
  const auto action = actions[pick % actions.size()];
  const CompiledSchema *schema = response ? catalog->response(action) : catalog->request(action);
  if (!schema) return 0; // an OCPP 2.1 SEND has no response

  boost::system::error_code ec;
  auto value = boost::json::parse(in.rest(), ec);
  if (ec) return -1; // not JSON: the frame parser's business, keep it out of the corpus
  auto error = schema->validate(value);
  if (error) {
    GRIDLANE_FUZZ_CHECK(!error->message.empty(), "a violation without a message");
    (void)wire_name(error_for(error->kind), version);
  }
  // Validation is a pure function of the value.
  GRIDLANE_FUZZ_CHECK(schema->validate(value).has_value() == error.has_value(), "validation is not repeatable");
  return 0;
}
