#pragma once
//! The charging profiles a simulated station keeps and the composite limit it applies: a pure
//! model, version-agnostic (messages.hpp converts the 1.6 and 2.x shapes), a function of the
//! profiles it was sent and the time asked about. OCPP 1.6 section 3.13 and 2.0.1 K01/K08:
//!  - a profile replaces one with the same id, or with the same purpose, stack level and
//!    connector (1.6 3.13.2, 2.0.1 K01.FR.05);
//!  - per purpose the valid profile of the highest stack level wins; a TxProfile (only while its
//!    transaction runs) overrides the TxDefaultProfile; a TxDefaultProfile on the connector
//!    overrides one on connector 0;
//!  - the connector's limit is the lowest of that and the ChargingStationMaxProfile (connector 0);
//!  - a TxProfile ends with its transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/core/time.hpp"

namespace gridlane::sim {

enum class ProfilePurpose { StationMax, TxDefault, Tx };
enum class ProfileKind { Absolute, Recurring, Relative };
enum class Recurrency { Daily, Weekly };
enum class RateUnit { A, W };

struct SchedulePeriod {
  std::int64_t start_s = 0; //!< from the schedule's start
  double limit = 0;         //!< in the schedule's unit: A per phase, or W over all phases
  std::optional<int> phases;
  bool operator==(const SchedulePeriod &) const = default;
};

struct Profile {
  std::int64_t id = 0;
  std::int64_t stack_level = 0;
  ProfilePurpose purpose = ProfilePurpose::TxDefault;
  ProfileKind kind = ProfileKind::Absolute;
  std::optional<Recurrency> recurrency;
  std::optional<core::Timestamp> valid_from, valid_to;
  std::optional<core::Timestamp> start; //!< Absolute/Recurring: the schedule's start
  std::optional<std::int64_t> duration_s;
  RateUnit unit = RateUnit::A;
  std::vector<SchedulePeriod> periods;
  int connector = 0;                      //!< 0: the whole station
  std::optional<std::string> transaction; //!< Tx: the transaction it is for (1.6: the number as text)
  core::Timestamp received{};             //!< an Absolute profile without a start starts here
};

//! What the limit is read against: the electrical side of a connector.
struct Electrical {
  double voltage = 230;
  int phases = 3; //!< phases in use when a period does not say
  bool dc = false;
};

//! A connector's transaction, for TxProfiles and Relative schedules.
struct TxContext {
  std::string id; //!< empty: none running
  core::Timestamp started{};
};

struct Criteria { //!< ClearChargingProfile: every given field must match
  std::optional<std::int64_t> id;
  std::optional<int> connector;
  std::optional<ProfilePurpose> purpose;
  std::optional<std::int64_t> stack_level;
};

enum class SetOutcome { Accepted, Rejected };

class ProfileStack {
public:
  //! A new profile; Rejected when it cannot apply (a ChargingStationMaxProfile on a connector,
  //! a TxProfile on connector 0 or with no transaction running on its connector, no period,
  //! a first period not starting at 0, a negative limit).
  SetOutcome set(Profile p, const TxContext &tx);
  //! Removes the profiles matching; how many went.
  int clear(const Criteria &c);
  //! The transaction on `connector` ended: its TxProfiles go with it.
  void transaction_ended(int connector);

  //! The limit on `connector` at `t` in `unit` (A per phase for AC, W), or nullopt when no profile applies.
  //! Connector 0: the ChargingStationMaxProfile alone.
  std::optional<double> limit_at(int connector, core::Timestamp t, RateUnit unit, const Electrical &e,
                                 const TxContext &tx) const;

  //! The phases the profiles that apply allow (their period's numberPhases), or nullopt when
  //! none says: a three-phase vehicle told 1 charges on L1 only.
  std::optional<int> phases_at(int connector, core::Timestamp t, const TxContext &tx) const;

  //! The composite schedule from `from` for `duration_s`, in `unit`; where no profile applies
  //! the period has `hardware` (the connector's own maximum in that unit). Consecutive periods
  //! with the same limit are merged.
  std::vector<SchedulePeriod> composite(int connector, core::Timestamp from, std::int64_t duration_s, RateUnit unit,
                                        const Electrical &e, const TxContext &tx, double hardware) const;

  const std::vector<Profile> &profiles() const { return profiles_; }

private:
  std::vector<Profile> profiles_;
};

//! Shares `cap` among what the connectors `wants` (a station maximum among its connectors),
//! max-min fairly: none gets more than it wants, the others equal shares of the rest.
void share_max_min(std::vector<double> &wants, double cap);

//! A limit in `from` converted to `to` on `phases` at `voltage` (DC: W and A over `voltage`).
double convert(double value, RateUnit from, RateUnit to, int phases, const Electrical &e);

} // namespace gridlane::sim
