// The names of the energy management enums, and the phase rotation.
#include <array>
#include <utility>

#include "gridlane/domain/energy.hpp"
#include "gridlane/domain/events.hpp"

namespace gridlane::domain {

namespace {

template <class E, std::size_t N> using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<PhaseRotation, 6> rotation_names{{
    {PhaseRotation::RST, "RST"},
    {PhaseRotation::RTS, "RTS"},
    {PhaseRotation::SRT, "SRT"},
    {PhaseRotation::STR, "STR"},
    {PhaseRotation::TRS, "TRS"},
    {PhaseRotation::TSR, "TSR"},
}};
constexpr Names<SeriesKind, 4> series_names{{
    {SeriesKind::BuildingLoad, "building_load"},
    {SeriesKind::Pv, "pv"},
    {SeriesKind::Battery, "battery"},
    {SeriesKind::SiteMeter, "site_meter"},
}};
constexpr Names<EnergyAlertKind, 4> alert_names{{
    {EnergyAlertKind::Overdraw, "overdraw"},
    {EnergyAlertKind::LimitExceeded, "limit_exceeded"},
    {EnergyAlertKind::ProfileRefused, "profile_refused"},
    {EnergyAlertKind::ScheduleMismatch, "schedule_mismatch"},
}};

template <class E, std::size_t N> std::string_view name_in(const Names<E, N> &names, E v) {
  for (const auto &[value, name] : names) {
    if (value == v) return name;
  }
  return {};
}
template <class E, std::size_t N> std::optional<E> value_in(const Names<E, N> &names, std::string_view s) {
  for (const auto &[value, name] : names) {
    if (name == s) return value;
  }
  return std::nullopt;
}

} // namespace

std::string_view to_string(PhaseRotation r) {
  return name_in(rotation_names, r);
}
std::optional<PhaseRotation> parse_phase_rotation(std::string_view s) {
  return value_in(rotation_names, s);
}

int grid_phase(PhaseRotation r, int station_phase) {
  // The name lists, for station phases L1 L2 L3 in turn, the grid phase each is wired to.
  const std::string_view name = to_string(r);
  if (station_phase < 0 || station_phase > 2 || name.size() != 3) return station_phase;
  const char c = name[static_cast<std::size_t>(station_phase)];
  return c == 'R' ? 0 : c == 'S' ? 1 : 2;
}

std::string_view to_string(SeriesKind k) {
  return name_in(series_names, k);
}
std::optional<SeriesKind> parse_series_kind(std::string_view s) {
  return value_in(series_names, s);
}

std::string_view to_string(EnergyAlertKind k) {
  return name_in(alert_names, k);
}

} // namespace gridlane::domain
