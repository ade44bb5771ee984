#pragma once
// The OCPP 2.x adapter is written once, as a template over a version's generated types:
// OCPP 2.1 keeps the 2.0.1 messages and field names, adding fields and messages.
#include "gridlane/core/ids.hpp"
#include "gridlane/ocpp/v201/messages.hpp"
#include "gridlane/ocpp/v21/messages.hpp"

namespace gridlane::ocpp::v2 {

#define GRIDLANE_OCPP2_MESSAGES(NS)                                                                                    \
  using Authorize = NS::Authorize;                                                                                     \
  using BootNotification = NS::BootNotification;                                                                       \
  using DataTransfer = NS::DataTransfer;                                                                               \
  using GetVariables = NS::GetVariables;                                                                               \
  using SetVariables = NS::SetVariables;                                                                               \
  using GetBaseReport = NS::GetBaseReport;                                                                             \
  using Heartbeat = NS::Heartbeat;                                                                                     \
  using MeterValues = NS::MeterValues;                                                                                 \
  using NotifyReport = NS::NotifyReport;                                                                               \
  using StatusNotification = NS::StatusNotification;                                                                   \
  using TransactionEvent = NS::TransactionEvent;                                                                       \
  using IdTokenInfo = NS::IdTokenInfo;                                                                                 \
  using IdToken = NS::IdToken

struct V201 {
  static constexpr core::ProtocolVersion version = core::ProtocolVersion::Ocpp201;
  GRIDLANE_OCPP2_MESSAGES(v201);
};

struct V21 {
  static constexpr core::ProtocolVersion version = core::ProtocolVersion::Ocpp21;
  GRIDLANE_OCPP2_MESSAGES(v21);
};

#undef GRIDLANE_OCPP2_MESSAGES

//! The text of a generated enum or of a 2.1 open string, alike.
inline std::string text_of(const std::string &s) {
  return s;
}
template <class E> std::string text_of(E e) {
  return std::string(to_string(e));
}

} // namespace gridlane::ocpp::v2
