// GET /energy/sites: the locations that have a grid connection (the sites the energy manager
// keeps within their limits), each with its name, time zone and connection, for the console's
// energy area. Sites are few (one grid connection per location): the connections are read
// whole and the page is cut from them, each page's locations read by id.
#include "gridlane/api/energy_json.hpp"
#include "impl.hpp"

namespace gridlane::api {
using namespace gridlane::domain;

void list_energy_sites(const CtxPtr &c) {
  auto page = c->page();
  if (!page) return c->fail(page.error());
  c->api->unit(c, 200, [p = *page](Repository &r) -> Result<json::value> {
    const auto grids = r.grid_connections();
    json::array items;
    for (std::size_t i = p.offset; i < grids.size() && i < p.offset + p.limit; ++i) {
      const auto &g = grids[i];
      const auto l = r.location(g.location);
      auto opt = [](const std::optional<std::string> &s) {
        return s ? json::value(json::string(*s)) : json::value(nullptr);
      };
      items.push_back(json::object{{"location_id", g.location.str()},
                                   {"name", l ? json::value(json::string(l->name)) : json::value(nullptr)},
                                   {"city", l ? opt(l->city) : json::value(nullptr)},
                                   {"time_zone", l ? opt(l->time_zone) : json::value(nullptr)},
                                   {"grid", grid_json(g)}});
    }
    return json::value(page_json(std::move(items), p, static_cast<std::int64_t>(grids.size())));
  });
}

} // namespace gridlane::api
