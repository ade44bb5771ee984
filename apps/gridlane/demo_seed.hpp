#pragma once
//! What `gridlane demo` puts in its database before the fleet connects, so the console has
//! something worth looking at (docs/console.md "Serving the console", README "Demo").
#include <string>
#include <vector>

#include "gridlane/store/store.hpp"

namespace gridlane::app {

struct DemoLogin {
  std::string username;
  std::string role;
  std::string password; //!< empty: the user existed already (its password is the one printed then)
};

struct DemoSetup {
  std::vector<DemoLogin> logins;
  std::vector<std::string> notes; //!< what could not be set up, said on stdout
};

//! Two published locations in Berlin (Depot North, Mall) with the stations DEMO-00001.. split
//! between them, their EVSEs (Type 2, 11 kW), a tariff assigned to both, a grid connection on
//! the depot, the drivers' cards, and the users `demo` (admin) and `viewer`, and a driver of the portal (account
//! DEMO-DRIVER, login driver@demo.test). Idempotent: a second run keeps what exists.
DemoSetup seed_demo(store::Store &store, int stations);

} // namespace gridlane::app
