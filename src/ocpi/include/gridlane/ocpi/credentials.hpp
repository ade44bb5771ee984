#pragma once
//! The Credentials module (credentials.asciidoc) and the HubClientInfo Receiver
//! (mod_hub_client_info.asciidoc), Gridlane's side: module handlers for ocpi::Server.
#include "gridlane/core/worker_pool.hpp"
#include "gridlane/domain/repository.hpp"
#include "gridlane/ocpi/partners.hpp"
#include "gridlane/ocpi/server.hpp"

namespace gridlane::ocpi {

//! GET / POST / PUT / DELETE /credentials. POST and PUT call the partner back (its versions and
//! details) on `pool`; the answer waits for them.
ModuleHandler credentials_module(PartnerService &partners, core::WorkerPool &pool);

//! GET / PUT /hubclientinfo/{country_code}/{party_id}: what a hub says of the parties it
//! connects, stored per hub (a partner that plays HUB).
ModuleHandler hub_client_info_module(domain::StoreExecutor &store);

} // namespace gridlane::ocpi
