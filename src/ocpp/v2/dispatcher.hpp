#pragma once
#include <atomic>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>

#include "gridlane/core/json_text.hpp"
#include "gridlane/ocpp/adapters.hpp"
#include "v2/versions.hpp"

namespace gridlane::ocpp::v2 {

//! Routes OCPP 2.0.1 / 2.1 CALLs from a station to the functional blocks:
//! B provisioning (provisioning.cpp), C authorization (authorization.cpp), E transactions and
//! J meter values (transactions.cpp), G availability (availability.cpp), K smart charging
//! (smart_charging.cpp), N diagnostics (diagnostics.cpp).
template <class V> class Dispatcher final : public CallDispatcher {
public:
  Dispatcher(const Services &services, services::StationContext who, domain::RegistrationStatus registration,
             std::weak_ptr<Connection> connection, bool request_base_report)
      : services_(services), who_(std::move(who)), registration_(registration), connection_(std::move(connection)),
        request_base_report_(request_base_report) {}

  bool supports(std::string_view action) const override;
  void on_call(const std::string &action, const boost::json::value &payload, Responder responder) override;
  void on_send(const std::string &action, const boost::json::value &payload) override;
  void on_result(const std::string &action, const boost::json::value &request,
                 const boost::json::value &response) override;

private:
  // B provisioning
  void boot_notification(const boost::json::value &payload, Responder r);
  void notify_report(const boost::json::value &payload, Responder r);
  void request_base_report();
  void variables_confirmed(const std::string &action, const boost::json::value &request,
                           const boost::json::value &response);
  void kept(const std::string &action, const boost::json::value &payload, Responder r);
  void data_transfer(const boost::json::value &payload, Responder r);
  // C authorization
  void authorize(const boost::json::value &payload, Responder r);
  // E transactions, J meter values
  void transaction_event(const boost::json::value &payload, Responder r);
  void meter_values(const boost::json::value &payload, Responder r);
  // G availability
  void heartbeat(const boost::json::value &payload, Responder r);
  void status_notification(const boost::json::value &payload, Responder r);
  // K smart charging (smart_charging.cpp)
  void smart_charging(const std::string &action, const boost::json::value &payload, Responder r);
  void forward_smart_charging(const std::string &action, const std::string &text, domain::Timestamp received_at,
                              Responder r);
  // N diagnostics and monitoring (diagnostics.cpp)
  void diagnostics(const std::string &action, const boost::json::value &payload, Responder r);

  Services services_;
  services::StationContext who_;
  std::atomic<domain::RegistrationStatus> registration_; // written from the store's completion thread
  std::weak_ptr<Connection> connection_;
  bool request_base_report_;
};

//! The 2.x IdTokenInfo for a domain authorisation.
template <class V> typename V::IdTokenInfo to_id_token_info(const domain::Authorization &a) {
  typename V::IdTokenInfo info;
  from_string(domain::to_string(a.status), info.status);
  info.cacheExpiryDateTime = a.expires_at;
  if (a.parent_id) {
    typename V::IdToken group;
    group.idToken = *a.parent_id;
    if constexpr (std::is_same_v<decltype(group.type), std::string>)
      group.type = "Central";
    else
      from_string("Central", group.type);
    info.groupIdToken = std::move(group);
  }
  return info;
}

//! A driver's text as a 2.x MessageContent (UTF-8: OCPI texts are plain UTF-8).
template <class V> auto to_message_content(const services::DriverMessage &m) {
  using Content = typename decltype(typename V::IdTokenInfo{}.personalMessage)::value_type;
  Content out;
  if constexpr (std::is_same_v<decltype(out.format), std::string>)
    out.format = "UTF8";
  else
    from_string("UTF8", out.format);
  if (!m.language.empty()) out.language = m.language;
  out.content = m.content;
  return out;
}

//! 2.x sampled values to domain samples. `value` is a number scaled by unitOfMeasure.multiplier;
//! a value that is not finite (1e400 parses as infinity) or leaves domain::max_sample_magnitude
//! once scaled (a multiplier of 400) is rejected, never stored as a number.
template <class MeterValueT> services::DecodedSamples to_samples(const std::vector<MeterValueT> &values) {
  services::DecodedSamples out;
  for (const auto &mv : values) {
    for (const auto &sv : mv.sampledValue) {
      domain::MeterSample s;
      s.timestamp = mv.timestamp;
      std::int64_t multiplier = 0;
      if (sv.unitOfMeasure) {
        if (sv.unitOfMeasure->unit) s.unit = *sv.unitOfMeasure->unit;
        if (sv.unitOfMeasure->multiplier) multiplier = *sv.unitOfMeasure->multiplier;
      }
      if (sv.measurand) s.measurand = text_of(*sv.measurand);
      s.numeric = domain::scaled_sample_value(sv.value, multiplier);
      if (!s.numeric || !domain::sample_within_bounds(s)) {
        out.rejected.push_back("sampledValue " + std::string(std::isfinite(sv.value) ? "" : "non-finite ") +
                               "with multiplier " + std::to_string(multiplier) + " (" +
                               s.measurand.value_or("Energy.Active.Import.Register") +
                               ") is not within the accepted range");
        continue;
      }
      core::append_decimal(s.value, sv.value); // the shortest plain decimal that reads back exactly
      if (sv.phase) s.phase = text_of(*sv.phase);
      if (sv.location) s.location = text_of(*sv.location);
      if (sv.context) s.context = text_of(*sv.context);
      if (sv.signedMeterValue) {
        s.format = "SignedData";
        s.signed_data = boost::json::serialize(encode(*sv.signedMeterValue));
      }
      out.samples.push_back(std::move(s));
    }
  }
  return out;
}

} // namespace gridlane::ocpp::v2
