#pragma once
//! Energy management as domain values (docs/energy.md): a location's electrical tree (its grid
//! connection over nested circuits down to EVSEs), the inputs that shape how much power its
//! sessions get (forecast series, time-of-use prices, demand-response events, priorities of
//! customer groups, departure needs) and the live picture an operator reads. Exact integers
//! in the base units of core/units.hpp (mA, W, Wh); prices as core::Decimal. JSON exists only
//! in the API's codec; rows only in the store.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/decimal.hpp"
#include "gridlane/core/time.hpp"
#include "gridlane/core/units.hpp"
#include "gridlane/domain/location.hpp"

namespace gridlane::domain {

//! How a station's phases L1, L2, L3 connect to the grid's (OCPP 2.x PhaseRotation names:
//! RST is L1->R, L2->S, L3->T; TRS is L1->T, L2->R, L3->S ...). Unknown is treated as RST.
enum class PhaseRotation { RST, RTS, SRT, STR, TRS, TSR };
std::string_view to_string(PhaseRotation r);
std::optional<PhaseRotation> parse_phase_rotation(std::string_view s);
//! The grid phase (0 = R/L1, 1 = S/L2, 2 = T/L3) that station phase `station_phase` (0..2) uses.
int grid_phase(PhaseRotation r, int station_phase);

//! A limit of a grid connection or a circuit: per phase (the same for each phase) and/or in
//! total power; both when both are given. Neither: unlimited (a circuit that only groups).
struct EnergyLimit {
  std::optional<core::Current> per_phase; //!< mA on each phase
  std::optional<core::Power> power;       //!< W over all phases
  bool operator==(const EnergyLimit &) const = default;
};

//! A location's connection to the grid: the root of its tree.
struct GridConnection {
  LocationId location = LocationId::unchecked("");
  EnergyLimit limit;
  core::Voltage voltage = core::volts(230); //!< phase to neutral
  int phases = 3;                           //!< 1 or 3
  //! The station-wide maximum every station gets at boot, as a share of its circuit, so that it
  //! stays within it when it loses the CSMS (fail-safe); in mA per phase per EVSE. Default 6 A.
  core::Current fallback_per_evse = core::amps(6);
  //! Peak demand charge per kW of the highest 15-minute average in a month (scheduler cost).
  std::optional<core::Decimal> demand_charge_per_kw;
  //! A station that meters the whole site (its connector 0 MeterValues: Power.Active.Import,
  //! Current.Import per phase) feeds the SiteMeter series and the live picture.
  std::optional<StationId> site_meter;
  bool enabled = true; //!< false: nothing is sent to the location's stations
  Timestamp updated_at;
  bool operator==(const GridConnection &) const = default;
};

//! A circuit under the grid connection or under another circuit: a feeder, a distribution
//! board, a cable. Ids are the operator's, unique within the location.
struct Circuit {
  LocationId location = LocationId::unchecked("");
  std::string id;                    //!< 1..36 of A-Z a-z 0-9 . _ -
  std::optional<std::string> parent; //!< nullopt: directly under the grid connection
  EnergyLimit limit;
  std::optional<std::string> name;
  Timestamp updated_at;
  bool operator==(const Circuit &) const = default;
};

//! Where an EVSE hangs in its location's tree, and what it can take. Limits not given are read
//! from the EVSE's connectors (max_amperage, max_electric_power, power_type).
struct EvseAttachment {
  StationId station = StationId::unchecked("");
  int evse_id = 1;                    //!< OCPP evse id (1.6: connector id)
  std::optional<std::string> circuit; //!< nullopt: directly under the grid connection
  PhaseRotation rotation = PhaseRotation::RST;
  std::optional<core::Current> max_current;  //!< per phase, overrides the connectors'
  std::optional<core::Power> max_power;      //!< DC or an AC power cap, overrides the connectors'
  core::Current min_current = core::amps(6); //!< below this the session is paused, not starved
  bool dc = false;
  bool bidirectional = false; //!< may discharge (OCPP 2.1 V2X) when the vehicle allows it
  Timestamp updated_at;
  bool operator==(const EvseAttachment &) const = default;
};

//! A location's whole tree as the allocator and scheduler read it.
struct ElectricalTree {
  GridConnection grid;
  std::vector<Circuit> circuits;           //!< parents before children not required
  std::vector<EvseAttachment> attachments; //!< EVSEs not attached are under the grid connection
};

//! Kinds of time series a location has.
enum class SeriesKind {
  BuildingLoad, //!< W drawn by everything but the chargers (measured or forecast)
  Pv,           //!< W produced on site
  Battery,      //!< W of a stationary battery: > 0 discharging into the site, < 0 charging
  SiteMeter,    //!< W measured at the grid connection (everything)
};
std::string_view to_string(SeriesKind k);
std::optional<SeriesKind> parse_series_kind(std::string_view s);

struct SeriesPoint {
  Timestamp at;      //!< the start of the interval the value holds for (until the next point)
  core::Power power; //!< W
  bool forecast = false;
  bool operator==(const SeriesPoint &) const = default;
};

//! A time-of-use energy price from `from` until the next point, per kWh, in the currency named.
struct PricePoint {
  Timestamp from;
  core::Decimal per_kwh;
  std::string currency = "EUR";
  bool operator==(const PricePoint &) const = default;
};

//! "This site at most `max_power` from `from` to `to`": an operator's or a grid signal's
//! demand-response event. Several may overlap: the lowest limit holds.
struct DemandResponseEvent {
  std::int64_t id = 0;
  LocationId location = LocationId::unchecked("");
  Timestamp from, to;
  core::Power max_power;
  std::string source = "operator"; //!< operator | grid | any name an integration gives
  Timestamp created_at;
  bool operator==(const DemandResponseEvent &) const = default;
};

//! The priority of a customer group's sessions (fleet vehicles before visitors): higher is
//! served first; sessions of groups with no rule have priority 1. 1..10; the weight of a
//! priority in the allocation is the priority itself.
struct GroupPriority {
  std::string customer_group;
  int priority = 1;
  bool operator==(const GroupPriority &) const = default;
};

//! When a session's vehicle leaves and how much energy it needs by then: given by a driver or
//! fleet manager through the API, or by the vehicle (2.x NotifyEVChargingNeeds).
struct DepartureNeed {
  std::int64_t transaction_id = 0; //!< Gridlane's
  std::optional<Timestamp> departure;
  std::optional<core::Energy> energy; //!< still needed at the time given
  std::optional<core::Energy> battery_capacity;
  std::optional<int> state_of_charge; //!< percent, 0..100
  std::string source = "operator";    //!< operator | vehicle
  Timestamp updated_at;
  bool operator==(const DepartureNeed &) const = default;
};

//! What a vehicle told through 2.x NotifyEVChargingNeeds (ISO 15118), typed.
struct ChargingNeeds {
  //! EnergyTransferModeEnumType; the 2.1 bidirectional modes (AC_BPT, DC_BPT, ...) are
  //! AcBidirectional / DcBidirectional, anything else Other.
  enum class Mode { AcSinglePhase, AcTwoPhase, AcThreePhase, Dc, AcBidirectional, DcBidirectional, Other };
  Mode mode = Mode::Other;
  std::optional<Timestamp> departure;
  std::optional<core::Energy> energy_amount; //!< AC: energyAmount; DC: from SoC and capacity
  std::optional<core::Current> ev_min_current, ev_max_current;
  std::optional<core::Power> ev_max_power;
  std::optional<core::Power> ev_max_discharge_power; //!< 2.1 V2X
  std::optional<core::Energy> battery_capacity;
  std::optional<int> state_of_charge;
  std::optional<int> max_schedule_tuples;
};

//! A limit a station reported that it got from elsewhere (2.x NotifyChargingLimit: an EMS, the
//! grid operator, ...). Respected on top of Gridlane's own limits until ClearedChargingLimit.
struct ExternalChargingLimit {
  StationId station = StationId::unchecked("");
  std::optional<int> evse_id; //!< nullopt or 0: the whole station
  std::string source;         //!< ChargingLimitSourceEnumType: EMS, Other, SO, CSO
  bool grid_critical = false;
  std::optional<core::Current> current; //!< per phase, when the schedule is in A
  std::optional<core::Power> power;     //!< when the schedule is in W
  Timestamp at;
};

//! What the energy manager gives one EVSE now (docs/energy.md, "Allocation").
struct Setpoint {
  StationId station = StationId::unchecked("");
  int evse_id = 0;
  std::optional<std::int64_t> transaction_id;
  core::Current current; //!< per phase; negative: discharging (V2G)
  int phases = 3;
  bool paused = false; //!< below its minimum: paused rather than starved
  int priority = 1;
  bool operator==(const Setpoint &) const = default;
};

//! One EVSE in the live picture.
struct EvsePicture {
  Setpoint setpoint;
  std::optional<std::string> circuit;
  std::array<std::optional<core::Current>, 3> measured{}; //!< per grid phase, last meter value
  std::optional<core::Power> measured_power;
  std::optional<DepartureNeed> need;
  bool overdrawing = false; //!< drew more than given in its last meter interval
};

struct CircuitPicture {
  std::string id; //!< "" for the grid connection
  EnergyLimit limit;
  std::array<core::Current, 3> allocated{}; //!< per grid phase
  std::array<core::Current, 3> measured{};  //!< per grid phase, sum of the last meter values
};

//! One slot of the plan ahead.
struct PlanSlot {
  Timestamp start;
  core::Power site_limit; //!< after DR events
  core::Power chargers;   //!< planned for all EVSEs
  core::Power building;   //!< forecast
  core::Power pv;         //!< forecast
  std::optional<core::Decimal> price_per_kwh;
};

//! A location's live energy picture (GET /api/v1/locations/{id}/energy).
struct EnergyPicture {
  LocationId location = LocationId::unchecked("");
  Timestamp at;
  GridConnection grid;
  std::vector<CircuitPicture> circuits; //!< the grid connection first
  std::vector<EvsePicture> evses;
  std::vector<PlanSlot> plan; //!< empty until the scheduler ran
  std::optional<DemandResponseEvent> active_dr;
  std::optional<Timestamp> planned_at;
};

} // namespace gridlane::domain
