// The Tariffs Sender interface (mod_tariffs "Sender Interface"): GET of the list, paged on
// last_updated; each tariff as the domain's tariff codec writes it.
#include <variant>

#include <boost/json/array.hpp>

#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/ocpi/locations.hpp"
#include "sender.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;
using domain::Repository;
using namespace sender;

ModuleHandler make_tariffs_sender(domain::StoreExecutor &store, core::OcpiConfig config) {
  return [&store, config](std::shared_ptr<Call> call, Reply reply) {
    if (call->request.method != "GET") return reply(method_not_allowed(*call));
    const auto now = call->now;
    // 2.2.1's Tariffs Sender has the list only (no GET of one tariff).
    if (!path_of(*call).empty()) return reply(failure(StatusCode::ClientError, "no such path", now, 404));
    auto parsed = parse_page(call->request, config.page_limit, now);
    if (auto *bad = std::get_if<Response>(&parsed)) return reply(std::move(*bad));
    auto page = std::get<Page>(parsed);
    answer(
        store,
        [page, now, url = call->self_url](Repository &r) {
          domain::TariffFilter f;
          f.updated_from = page.date_from;
          f.updated_to = page.date_to;
          f.limit = page.limit;
          f.offset = page.offset;
          auto total = r.count_tariffs(f);
          json::array items;
          for (const auto &t : r.tariffs(f))
            items.push_back(domain::tariff_to_json(t));
          return paged(std::move(items), static_cast<std::size_t>(total), page, url, now);
        },
        now, std::move(reply));
  };
}

} // namespace gridlane::ocpi
