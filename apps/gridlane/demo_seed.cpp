#include "demo_seed.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "gridlane/core/password.hpp"
#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/services/account_service.hpp"
#include "gridlane/services/admin_service.hpp"
#include "gridlane/services/driver_service.hpp"
#include "gridlane/services/energy_config_service.hpp"
#include "gridlane/services/location_service.hpp"
#include "gridlane/services/tariff_assignment_service.hpp"
#include "gridlane/services/tariff_service.hpp"

namespace gridlane::app {
using namespace gridlane::domain;

namespace {

struct DemoSite {
  const char *id;
  const char *name; //!< the stations' `site` (tests and scripts read it)
  const char *address;
  const char *postal_code;
  const char *latitude;
  const char *longitude;
};

constexpr DemoSite depot{"DEPOT-NORTH", "Depot North", "Flughafenstrasse 10", "13405", "52.559722", "13.287778"};
constexpr DemoSite mall{"MALL", "Mall", "Alexanderplatz 9", "10178", "52.521918", "13.413215"};

// OCPI tariff: EUR 0.50 to start, 0.39 per kWh, 0.10 per minute parked after the first 2 hours (19 % VAT).
constexpr const char *demo_tariff = R"({
  "country_code": "DE", "party_id": "GRL", "id": "DEMO-AC", "currency": "EUR",
  "tariff_alt_text": [{"language": "en", "text": "EUR 0.39 per kWh, EUR 0.50 to start, EUR 0.10 per minute after 2 hours"}],
  "elements": [
    {"price_components": [{"type": "FLAT", "price": 0.50, "vat": 19.0, "step_size": 1}]},
    {"price_components": [{"type": "ENERGY", "price": 0.39, "vat": 19.0, "step_size": 1}]},
    {"price_components": [{"type": "PARKING_TIME", "price": 6.00, "vat": 19.0, "step_size": 60}],
     "restrictions": {"min_duration": 7200}}
  ]
})";

Location location_of(const DemoSite &s) {
  Location l;
  l.id = LocationId::unchecked(s.id);
  l.name = s.name;
  l.address = s.address;
  l.city = "Berlin";
  l.postal_code = s.postal_code;
  l.country = "DEU";
  l.coordinates = GeoLocation{s.latitude, s.longitude};
  l.time_zone = "Europe/Berlin";
  l.publish = true;
  return l;
}

//! A Type 2 socket of 11 kW (3 x 16 A at 230 V), as the simulator's connectors charge.
Evse evse_of(const StationId &station, int evse_id) {
  Evse e;
  e.station = station;
  e.evse_id = evse_id;
  Connector c;
  c.connector_id = 1;
  c.standard = ConnectorStandard::Iec62196T2;
  c.format = ConnectorFormat::Socket;
  c.power_type = PowerType::Ac3Phase;
  c.max_voltage = core::volts(230);
  c.max_amperage = core::amps(16);
  c.max_electric_power = core::watts(11000);
  e.connectors.push_back(c);
  return e;
}

constexpr const char *demo_driver_account = "DEMO-DRIVER";
constexpr const char *demo_driver_email = "driver@demo.test";
constexpr const char *demo_driver_token = "DEMO-DRIVER-CARD";

//! A fresh password: 20 characters of a random token.
std::string fresh_password() {
  auto token = core::random_token("d");
  return token.substr(2, 20);
}

template <class T> void note_failure(DemoSetup &out, const char *what, const Result<T> &r) {
  if (!r && r.error().code != ServiceError::Code::Conflict)
    out.notes.push_back(std::string(what) + ": " + r.error().message);
}

} // namespace

DemoSetup seed_demo(store::Store &store, int stations) {
  DemoSetup out;
  core::SystemClock clock;
  const auto now = clock.now();
  services::AdminService admin{clock};
  // The users' passwords are hashed here, before the unit of work (argon2id is slow).
  std::vector<services::UserDraft> users;
  for (const auto &[name, role] : {std::pair{"demo", "admin"}, std::pair{"viewer", "viewer"}}) {
    auto password = fresh_password();
    auto draft = admin.check_user({name, password, role});
    if (!draft) {
      out.notes.push_back("user " + std::string(name) + ": " + draft.error().message);
      continue;
    }
    services::AdminService::seal(*draft);
    users.push_back(std::move(*draft));
    out.logins.push_back(DemoLogin{name, role, password});
  }
  // A driver of the portal: an account with a card of its own and a login (docs/api.md
  // "Driver portal API"), hashed like the users before the unit of work.
  services::DriverService drivers{clock};
  const auto driver_password = fresh_password();
  auto driver =
      drivers.check_driver({demo_driver_account, demo_driver_email, driver_password, "Demo Driver", demo_driver_token});
  if (driver) {
    services::DriverService::seal(*driver);
    out.logins.push_back(DemoLogin{demo_driver_email, "driver", driver_password});
  } else {
    out.notes.push_back("driver: " + driver.error().message);
  }
  store.run([&](Repository &r) {
    services::LocationService locations;
    for (const auto &site : {depot, mall})
      note_failure(out, site.name, locations.create_location(r, location_of(site), now));
    for (int i = 1; i <= stations; ++i) {
      char id[32];
      std::snprintf(id, sizeof id, "DEMO-%05d", i);
      auto sid = StationId::unchecked(id);
      const auto &site = i <= stations / 2 ? depot : mall;
      if (!r.station(sid)) {
        Station s;
        s.id = sid;
        s.registration = RegistrationStatus::Accepted;
        s.created_at = now;
        s.site = site.name;
        r.insert_station(s);
      }
      note_failure(out, id, locations.assign_station(r, sid, LocationId::unchecked(site.id)));
      for (int evse = 1; evse <= 2; ++evse)
        if (!r.evse(sid, evse)) note_failure(out, id, locations.put_evse(r, evse_of(sid, evse), {}, now));
    }
    for (int i = 0; i < 1000 && i <= stations; ++i)
      r.upsert_id_token(IdToken{"SIM-TAG-" + std::to_string(i), TokenStatus::Accepted, {}, {}});

    auto tariff = tariff_from_json(boost::json::parse(demo_tariff), TariffDecodeOptions{now, {}});
    if (!tariff) {
      out.notes.push_back("tariff: " + tariff.error().message);
    } else {
      note_failure(out, "tariff", services::TariffService{}.put(r, *tariff, now));
      for (const auto &site : {depot, mall}) {
        TariffAssignment a;
        a.tariff_id = "DEMO-AC";
        a.scope = AssignmentScope::Location;
        a.location = LocationId::unchecked(site.id);
        note_failure(out, "tariff assignment", services::TariffAssignmentService{}.assign(r, a, now));
      }
    }
    // The depot's grid connection: 160 A per phase (about 110 kW) for ten stations of two
    // 11 kW connectors, so the energy manager has sessions to divide it among.
    GridConnection grid;
    grid.location = LocationId::unchecked(depot.id);
    grid.limit.per_phase = core::amps(160);
    note_failure(out, "grid connection", services::EnergyConfigService{}.put_grid(r, grid, now));

    for (auto &draft : users) {
      if (r.user_by_name(draft.user.username)) {
        for (auto &l : out.logins)
          if (l.username == draft.user.username) l.password.clear();
        continue;
      }
      note_failure(out, "user", admin.create_user(r, draft));
    }

    if (driver && !r.driver_login(demo_driver_email)) {
      r.upsert_id_token(IdToken{demo_driver_token, TokenStatus::Accepted, {}, {}});
      Account account;
      account.id = demo_driver_account;
      account.name = "Demo Driver";
      services::AccountService accounts;
      if (!accounts.account(r, demo_driver_account))
        note_failure(out, "driver account", accounts.create_account(r, account, now));
      note_failure(out, "driver card",
                   accounts.link_token(r, demo_driver_account, AccountToken{demo_driver_token, "Demo Driver"}));
      note_failure(out, "driver", drivers.add_driver(r, *driver));
    } else if (driver) {
      for (auto &l : out.logins)
        if (l.username == demo_driver_email) l.password.clear();
    }
  });
  return out;
}

} // namespace gridlane::app
