#pragma once
//! Operations (docs/operations.md): the values the availability watch, alerts, self-healing,
//! maintenance, firmware and monitoring share. Each part keeps its own records in its own header;
//! these are the enums and names that cross between them (events, API, store rows).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gridlane/domain/names.hpp"

namespace gridlane::domain {

//! Why a station is counted offline.
enum class OfflineReason {
  Disconnected, //!< its connection ended
  Silent,       //!< connected, but nothing heard (no message, no ping answer) for too long
};
inline constexpr NameTable<OfflineReason, 2> offline_reasons{{
    {OfflineReason::Disconnected, "disconnected"},
    {OfflineReason::Silent, "silent"},
}};

//! A station's firmware update state: OCPP 2.x FirmwareStatusEnumType, a superset of 1.6's
//! FirmwareStatus (and of the 1.6 security extension's signed statuses). Named as OCPP spells them.
enum class FirmwareState {
  Idle,
  DownloadScheduled,
  Downloading,
  DownloadPaused,
  Downloaded,
  DownloadFailed,
  InvalidSignature,
  SignatureVerified,
  InstallScheduled,
  Installing,
  InstallRebooting,
  InstallVerificationFailed,
  InstallationFailed,
  Installed,
};
inline constexpr NameTable<FirmwareState, 14> firmware_states{{
    {FirmwareState::Idle, "Idle"},
    {FirmwareState::DownloadScheduled, "DownloadScheduled"},
    {FirmwareState::Downloading, "Downloading"},
    {FirmwareState::DownloadPaused, "DownloadPaused"},
    {FirmwareState::Downloaded, "Downloaded"},
    {FirmwareState::DownloadFailed, "DownloadFailed"},
    {FirmwareState::InvalidSignature, "InvalidSignature"},
    {FirmwareState::SignatureVerified, "SignatureVerified"},
    {FirmwareState::InstallScheduled, "InstallScheduled"},
    {FirmwareState::Installing, "Installing"},
    {FirmwareState::InstallRebooting, "InstallRebooting"},
    {FirmwareState::InstallVerificationFailed, "InstallVerificationFailed"},
    {FirmwareState::InstallationFailed, "InstallationFailed"},
    {FirmwareState::Installed, "Installed"},
}};
//! The update ended without the new firmware running.
constexpr bool firmware_failed(FirmwareState s) {
  return s == FirmwareState::DownloadFailed || s == FirmwareState::InvalidSignature ||
         s == FirmwareState::InstallVerificationFailed || s == FirmwareState::InstallationFailed;
}

//! How urgent an alert is.
enum class AlertSeverity { Info, Warning, Critical };
inline constexpr NameTable<AlertSeverity, 3> alert_severities{{
    {AlertSeverity::Info, "info"},
    {AlertSeverity::Warning, "warning"},
    {AlertSeverity::Critical, "critical"},
}};

//! An alert's life: raised (open), seen by an operator (acknowledged), its condition gone (resolved).
enum class AlertState { Open, Acknowledged, Resolved };
inline constexpr NameTable<AlertState, 3> alert_states{{
    {AlertState::Open, "open"},
    {AlertState::Acknowledged, "acknowledged"},
    {AlertState::Resolved, "resolved"},
}};

//! A maintenance ticket (work order).
enum class TicketStatus { Open, InProgress, OnHold, Resolved, Closed };
inline constexpr NameTable<TicketStatus, 5> ticket_statuses{{
    {TicketStatus::Open, "open"},
    {TicketStatus::InProgress, "in_progress"},
    {TicketStatus::OnHold, "on_hold"},
    {TicketStatus::Resolved, "resolved"},
    {TicketStatus::Closed, "closed"},
}};
enum class TicketPriority { Low, Normal, High, Urgent };
inline constexpr NameTable<TicketPriority, 4> ticket_priorities{{
    {TicketPriority::Low, "low"},
    {TicketPriority::Normal, "normal"},
    {TicketPriority::High, "high"},
    {TicketPriority::Urgent, "urgent"},
}};
//! Who opened a ticket.
enum class TicketSource { Manual, Playbook, ProblemReport, Inspection, Alert };
inline constexpr NameTable<TicketSource, 5> ticket_sources{{
    {TicketSource::Manual, "manual"},
    {TicketSource::Playbook, "playbook"},
    {TicketSource::ProblemReport, "problem_report"},
    {TicketSource::Inspection, "inspection"},
    {TicketSource::Alert, "alert"},
}};

//! OCPP 2.x EventTriggerEnumType (NotifyEvent).
enum class EventTrigger { Alerting, Delta, Periodic };
inline constexpr NameTable<EventTrigger, 3> event_triggers{{
    {EventTrigger::Alerting, "Alerting"},
    {EventTrigger::Delta, "Delta"},
    {EventTrigger::Periodic, "Periodic"},
}};

} // namespace gridlane::domain
