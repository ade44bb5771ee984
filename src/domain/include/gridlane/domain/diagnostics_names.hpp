#pragma once
//! The spellings of the diagnostics enums (domain/diagnostics.hpp), for the codecs and the store.
#include "gridlane/domain/diagnostics.hpp"
#include "gridlane/domain/names.hpp"
#include "gridlane/domain/operations.hpp"

namespace gridlane::domain {

inline constexpr NameTable<EventNotification, 4> event_notifications{{
    {EventNotification::HardWiredNotification, "HardWiredNotification"},
    {EventNotification::HardWiredMonitor, "HardWiredMonitor"},
    {EventNotification::PreconfiguredMonitor, "PreconfiguredMonitor"},
    {EventNotification::CustomMonitor, "CustomMonitor"},
}};

} // namespace gridlane::domain
