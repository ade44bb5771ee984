#pragma once
//! Version adapters: one CallDispatcher per connection, chosen by the negotiated subprotocol.
#include <memory>

#include "gridlane/ocpp/connection.hpp"
#include "gridlane/services/authorization_service.hpp"
#include "gridlane/services/energy_service.hpp"
#include "gridlane/services/firmware_service.hpp"
#include "gridlane/services/live_cost.hpp"
#include "gridlane/services/station_service.hpp"
#include "gridlane/services/transaction_service.hpp"

namespace gridlane::services {
class DiagnosticsService;
} // namespace gridlane::services

namespace gridlane::ocpp {

//! Decodes a payload already validated against the request schema into its generated type.
template <class Msg> typename Msg::Request decode_request(const boost::json::value &payload) {
  typename Msg::Request req;
  decode(payload, req);
  return req;
}

//! The domain services a version adapter translates onto.
struct Services {
  services::StationService &stations;
  services::AuthorizationService &authorization;
  services::TransactionService &transactions;
  services::LiveCost *live_cost = nullptr; //!< tariff texts and costs for drivers (block I); optional
  //! What 2.x stations report about smart charging (block K), for the energy manager; optional.
  services::SmartChargingReports *smart_charging = nullptr;
  //! Firmware statuses and security events (block L, 1.6 firmware management); optional: without
  //! it they are kept as station events only.
  services::FirmwareReports *firmware = nullptr;
  //! Where 2.x block N reports go (NotifyEvent, NotifyMonitoringReport, NotifyCustomerInformation); optional.
  services::DiagnosticsService *diagnostics = nullptr;
};

namespace v16 {
//! The OCPP 1.6 adapter (Core profile, firmware/diagnostics notifications, security extension).
std::unique_ptr<CallDispatcher> make_dispatcher(const Services &services, services::StationContext who,
                                                domain::RegistrationStatus registration);
} // namespace v16

namespace v2 {
//! The OCPP 2.0.1 / 2.1 adapter (blocks B, C, E, G, J; other station messages kept for audit).
//! With request_base_report, a station with no stored device model is asked for a full
//! report (GetBaseReport) once its BootNotification is accepted.
std::unique_ptr<CallDispatcher> make_dispatcher(const Services &services, services::StationContext who,
                                                domain::RegistrationStatus registration,
                                                std::weak_ptr<Connection> connection, bool request_base_report);
} // namespace v2

} // namespace gridlane::ocpp
