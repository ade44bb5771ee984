// The Locations Sender interface (mod_locations "Sender Interface"): GET only; the list paged on
// last_updated, a location, an EVSE or a connector by their ids.
#include <charconv>
#include <variant>

#include <boost/json/array.hpp>

#include "gridlane/ocpi/location_codec.hpp"
#include "gridlane/ocpi/locations.hpp"
#include "sender.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;
using domain::Repository;
using namespace sender;

namespace {

Response not_found(std::string what, core::Timestamp now) {
  // OCPI: an unknown object of a GET is HTTP 404 (status_codes, "2xxx"); 2003 names a location.
  return failure(StatusCode::UnknownLocation, std::move(what), now, 404);
}

std::optional<std::int64_t> number(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

//! The answer to GET /locations/{segments...} from the store.
Response location_object(Repository &r, const std::vector<std::string> &seg, const domain::PartyId &self,
                         core::Timestamp now) {
  auto id = domain::LocationId::parse(seg[0]);
  auto snap = id ? r.location_snapshot(*id) : std::nullopt;
  if (!snap || !snap->location.publish || !publishable(snap->location))
    return not_found("unknown location '" + seg[0] + "'", now);
  if (seg.size() == 1) return success(*location_json(*snap, self), now);

  auto uid = number(seg[1]);
  const domain::Evse *evse = nullptr;
  for (const auto &e : snap->evses)
    if (uid && e.uid.value() == *uid) evse = &e;
  auto ej = evse ? evse_json(*evse, snap->statuses) : std::nullopt;
  if (!ej) return not_found("unknown EVSE '" + seg[1] + "' at location '" + seg[0] + "'", now);
  if (seg.size() == 2) return success(std::move(*ej), now);

  auto connector = number(seg[2]);
  for (const auto &c : evse->connectors)
    if (connector && c.connector_id == *connector)
      if (auto cj = connector_json(c)) return success(std::move(*cj), now);
  return not_found("unknown connector '" + seg[2] + "' of EVSE '" + seg[1] + "'", now);
}

} // namespace

ModuleHandler make_locations_sender(domain::StoreExecutor &store, core::OcpiConfig config) {
  return [&store, config](std::shared_ptr<Call> call, Reply reply) {
    if (call->request.method != "GET") return reply(method_not_allowed(*call));
    const auto seg = path_of(*call);
    const auto now = call->now;
    const domain::PartyId self{config.country_code, config.party_id};
    if (seg.size() > 3) return reply(failure(StatusCode::ClientError, "no such path", now, 404));
    if (!seg.empty())
      return answer(
          store, [seg, self, now](Repository &r) { return location_object(r, seg, self, now); }, now, std::move(reply));

    auto parsed = parse_page(call->request, config.page_limit, now);
    if (auto *bad = std::get_if<Response>(&parsed)) return reply(std::move(*bad));
    auto page = std::get<Page>(parsed);
    answer(
        store,
        [page, self, now, url = call->self_url](Repository &r) {
          domain::RoamingLocationFilter f;
          f.updated_from = page.date_from;
          f.updated_to = page.date_to;
          f.limit = page.limit;
          f.offset = page.offset;
          auto total = r.count_published_locations(f);
          json::array items;
          for (const auto &snap : r.published_locations(f))
            if (auto j = location_json(snap, self)) items.push_back(std::move(*j));
          return paged(std::move(items), static_cast<std::size_t>(total), page, url, now);
        },
        now, std::move(reply));
  };
}

} // namespace gridlane::ocpi
