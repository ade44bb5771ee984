#pragma once
#include <atomic>

#include "gridlane/ocpp/adapters.hpp"
#include "gridlane/ocpp/v16/messages.hpp"

namespace gridlane::ocpp::v16 {

//! Routes OCPP 1.6 CALLs from a station to the functional blocks below.
class Dispatcher final : public CallDispatcher {
public:
  Dispatcher(const Services &services, services::StationContext who, domain::RegistrationStatus registration)
      : services_(services), who_(std::move(who)), registration_(registration) {}

  bool supports(std::string_view action) const override;
  void on_call(const std::string &action, const boost::json::value &payload, Responder responder) override;
  void on_result(const std::string &action, const boost::json::value &request,
                 const boost::json::value &response) override; // cost.cpp

private:
  // provisioning.cpp: Core profile provisioning and availability, notifications kept for audit
  void boot_notification(const boost::json::value &payload, Responder r);
  void heartbeat(const boost::json::value &payload, Responder r);
  void status_notification(const boost::json::value &payload, Responder r);
  void data_transfer(const boost::json::value &payload, Responder r);
  void notification(const std::string &action, const boost::json::value &payload, Responder r);
  void sign_certificate(const boost::json::value &payload, Responder r);
  // authorization.cpp
  void authorize(const boost::json::value &payload, Responder r);
  // transactions.cpp: transactions and meter values
  void start_transaction(const boost::json::value &payload, Responder r);
  void stop_transaction(const boost::json::value &payload, Responder r);
  void meter_values(const boost::json::value &payload, Responder r);

  Services services_;
  services::StationContext who_;
  std::atomic<domain::RegistrationStatus> registration_; // written from the store's completion thread
};

IdTagInfo to_id_tag_info(const domain::Authorization &a);

//! Converts 1.6 meter values (MeterValues and StopTransaction.transactionData share a shape
//! but not a generated type) to domain samples. A Raw value must be a plain decimal within
//! domain::max_sample_magnitude: "nan", "inf", "1e400" (all of which strtod reads) are rejected,
//! never stored as a number. SignedData values are kept verbatim without a number.
template <class MeterValueT> services::DecodedSamples to_samples(const std::vector<MeterValueT> &values) {
  services::DecodedSamples out;
  for (const auto &mv : values) {
    for (const auto &sv : mv.sampledValue) {
      domain::MeterSample s;
      s.timestamp = mv.timestamp;
      s.value = sv.value;
      if (sv.measurand) s.measurand = std::string(to_string(*sv.measurand));
      if (sv.phase) s.phase = std::string(to_string(*sv.phase));
      if (sv.location) s.location = std::string(to_string(*sv.location));
      if (sv.unit) s.unit = std::string(to_string(*sv.unit));
      if (sv.context) s.context = std::string(to_string(*sv.context));
      if (sv.format) s.format = std::string(to_string(*sv.format));
      if (!sv.format || *sv.format == std::remove_cvref_t<decltype(*sv.format)>::Raw) {
        s.numeric = domain::parse_sample_value(sv.value);
        if (!s.numeric || !domain::sample_within_bounds(s)) {
          out.rejected.push_back("sampledValue '" + domain::clip(sv.value) + "' (" +
                                 s.measurand.value_or("Energy.Active.Import.Register") +
                                 ") is not a finite decimal within the accepted range");
          continue;
        }
      }
      out.samples.push_back(std::move(s));
    }
  }
  return out;
}

//! A connectorId from the wire as an int: nullopt (refused) outside [0, max_wire_int].
inline std::optional<int> connector_of(std::int64_t wire) {
  return domain::wire_int(wire, 0);
}

} // namespace gridlane::ocpp::v16
