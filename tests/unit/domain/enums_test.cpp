// The protocol enums of the domain model: every value has one wire text that reads back as
// itself, every value the OCPP schemas allow reads as a domain value, and any other text is
// refused (the codecs then answer with an error; nothing falls through as a string).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "gridlane/domain/model.hpp"

using namespace gridlane::domain;

namespace {

//! Every value of E, from its first (0) to `last`, through its text and back; texts distinct.
template <class E, class Parse> void round_trips(E last, Parse parse) {
  std::set<std::string> texts;
  for (int i = 0; i <= static_cast<int>(last); ++i) {
    auto v = static_cast<E>(i);
    auto text = std::string(to_string(v));
    EXPECT_NE(text, "Unknown") << "value " << i << " has no text";
    EXPECT_TRUE(texts.insert(text).second) << text << " is the text of two values";
    auto back = parse(text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(*back, v) << text;
  }
}

template <class Parse> void accepts_all(const std::vector<std::string> &wire, Parse parse) {
  for (const auto &text : wire) {
    auto v = parse(text);
    ASSERT_TRUE(v) << text;
    EXPECT_EQ(to_string(*v), text);
  }
}

template <class Parse> void refuses(Parse parse) {
  for (std::string text : {"", "unknown", " Local", "Local ", "local", "CHARGING", "NoError\n", "Started,"})
    EXPECT_FALSE(parse(text)) << '"' << text << '"';
}

} // namespace

TEST(DomainEnums, charging_state_round_trips_and_covers_2x) {
  round_trips(ChargingState::Idle, parse_charging_state);
  accepts_all({"Charging", "EVConnected", "SuspendedEV", "SuspendedEVSE", "Idle"}, parse_charging_state);
  refuses(parse_charging_state);
}

TEST(DomainEnums, stop_reason_round_trips_and_covers_16_and_2x) {
  round_trips(StopReason::UnlockCommand, parse_stop_reason);
  // OCPP 1.6 StopTransaction.reason
  accepts_all({"EmergencyStop", "EVDisconnected", "HardReset", "Local", "Other", "PowerLoss", "Reboot", "Remote",
               "SoftReset", "UnlockCommand", "DeAuthorized"},
              parse_stop_reason);
  // OCPP 2.0.1 and 2.1 ReasonEnumType
  accepts_all(
      {"DeAuthorized",     "EmergencyStop", "EnergyLimitReached", "EVDisconnected", "GroundFault",
       "ImmediateReset",   "Local",         "LocalOutOfCredit",   "MasterPass",     "Other",
       "OvercurrentFault", "PowerLoss",     "PowerQuality",       "Reboot",         "Remote",
       "SOCLimitReached",  "StoppedByEV",   "TimeLimitReached",   "Timeout",        "ReqEnergyTransferRejected"},
      parse_stop_reason);
  refuses(parse_stop_reason);
  EXPECT_FALSE(parse_stop_reason("SoCLimitReached")) << "the trigger reason's spelling, not the stop reason's";
}

TEST(DomainEnums, trigger_reason_round_trips_and_covers_201_and_21) {
  round_trips(TriggerReason::UnlockCommand, parse_trigger_reason);
  accepts_all({"Authorized",      "CablePluggedIn",     "ChargingRateChanged", "ChargingStateChanged",
               "Deauthorized",    "EnergyLimitReached", "EVCommunicationLost", "EVConnectTimeout",
               "MeterValueClock", "MeterValuePeriodic", "TimeLimitReached",    "Trigger",
               "UnlockCommand",   "StopAuthorized",     "EVDeparted",          "EVDetected",
               "RemoteStop",      "RemoteStart",        "AbnormalCondition",   "SignedDataReceived",
               "ResetCommand"},
              parse_trigger_reason);
  accepts_all({"CostLimitReached", "LimitSet", "OperationModeChanged", "RunningCost", "SoCLimitReached",
               "TariffChanged", "TariffNotAccepted", "TxResumed"},
              parse_trigger_reason);
  refuses(parse_trigger_reason);
}

TEST(DomainEnums, transaction_event_type_round_trips) {
  round_trips(TransactionEventType::Ended, parse_transaction_event_type);
  accepts_all({"Started", "Updated", "Ended"}, parse_transaction_event_type);
  refuses(parse_transaction_event_type);
}

TEST(DomainEnums, connector_error_code_round_trips_and_covers_16) {
  round_trips(ConnectorErrorCode::WeakSignal, parse_connector_error_code);
  accepts_all({"ConnectorLockFailure", "EVCommunicationError", "GroundFailure", "HighTemperature", "InternalError",
               "LocalListConflict", "NoError", "OtherError", "OverCurrentFailure", "PowerMeterFailure",
               "PowerSwitchFailure", "ReaderFailure", "ResetFailure", "UnderVoltage", "OverVoltage", "WeakSignal"},
              parse_connector_error_code);
  refuses(parse_connector_error_code);
  EXPECT_EQ(StatusReport{}.error_code, ConnectorErrorCode::NoError) << "2.x reports carry none";
}
