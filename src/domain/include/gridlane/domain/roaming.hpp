#pragma once
//! Roaming (OCPI 2.2.1, the CPO role; docs/ocpi.md): the partners Gridlane exchanges data with
//! (eMSPs, hubs, NSPs), the tokens their drivers charge with, and the outbox that carries every
//! push to them. The OCPI wire shapes live in src/ocpi; these are the typed seams between it,
//! the services and the store.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

//! OCPI's Role enum (credentials roles).
enum class OcpiRole { Cpo, Emsp, Hub, Nap, Nsp, Other, Scsp };

//! OCPI's ModuleID enum: the modules Gridlane knows.
enum class OcpiModule {
  Cdrs,
  ChargingProfiles,
  Commands,
  Credentials,
  HubClientInfo,
  Locations,
  Sessions,
  Tariffs,
  Tokens
};

//! OCPI's InterfaceRole: which side of a module an endpoint is.
enum class InterfaceRole { Sender, Receiver };

//! How a partner's credentials token travels in `Authorization: Token ...`: Base64 as 2.2.1
//! says, or the raw token as many 2.1.1/2.2 peers still do (chosen per partner).
enum class TokenEncoding { Base64, Raw };

enum class PartnerStatus {
  Planned,      //!< a token A exists (given by the operator or by the partner); no handshake yet
  Registered,   //!< the credentials were exchanged: both sides hold their token
  Suspended,    //!< the operator paused it: its calls are refused 401, nothing is pushed
  Unregistered, //!< it (or the operator) ended the registration; kept for the record
};

//! A party: ISO 3166 alpha-2 country code and a 3-character party id ("DE", "GRL").
struct PartyId {
  std::string country_code;
  std::string party_id;
  auto operator<=>(const PartyId &) const = default;
};

//! One role a partner plays, as its credentials list it.
struct PartnerRole {
  OcpiRole role = OcpiRole::Emsp;
  PartyId party;
  std::string business_name;
};

//! One endpoint of the partner's version details.
struct PartnerEndpoint {
  OcpiModule module = OcpiModule::Locations;
  InterfaceRole role = InterfaceRole::Receiver;
  std::string url;
};

struct Partner {
  std::int64_t id = 0;
  std::string name; //!< the operator's label
  PartnerStatus status = PartnerStatus::Planned;
  std::vector<PartnerRole> roles; //!< from its credentials (a hub: Hub)
  TokenEncoding encoding = TokenEncoding::Base64;
  std::vector<OcpiModule> modules;        //!< the modules it may use, as the operator allows (empty: all)
  std::string versions_url;               //!< its versions endpoint (empty until known)
  std::string version;                    //!< the version agreed on ("2.2.1"; empty until registered)
  std::vector<PartnerEndpoint> endpoints; //!< its endpoints of that version
  //! The credentials token Gridlane sends it (plain: it must be sent). The token it calls
  //! Gridlane with is stored as a hash only (PartnerStore).
  std::string token_to_them;
  Timestamp created_at{};
  Timestamp updated_at{};

  bool may_use(OcpiModule m) const {
    if (modules.empty()) return true;
    for (auto x : modules)
      if (x == m) return true;
    return false;
  }
  const PartnerEndpoint *endpoint(OcpiModule m, InterfaceRole r) const {
    for (const auto &e : endpoints)
      if (e.module == m && e.role == r) return &e;
    return nullptr;
  }
  bool plays(OcpiRole r) const {
    for (const auto &x : roles)
      if (x.role == r) return true;
    return false;
  }
  bool represents(const PartyId &p) const {
    for (const auto &x : roles)
      if (x.party == p) return true;
    return false;
  }
};

// ---- Tokens (the Tokens module's receiver side) ----

enum class OcpiTokenType { AdHocUser, AppUser, Other, Rfid };
enum class WhitelistType { Always, Allowed, AllowedOffline, Never };
//! OCPI's ProfileType: the driver's default charging preference.
enum class OcpiProfileType { Cheap, Fast, Green, Regular };

//! OCPI's EnergyContract: the driver's own energy supplier, when the eMSP sends one.
struct EnergyContract {
  std::string supplier_name;
  std::optional<std::string> contract_id;
  bool operator==(const EnergyContract &) const = default;
};

//! A token an eMSP pushed (OCPI Token object). `uid` is what a station presents.
struct RoamingToken {
  std::int64_t partner_id = 0; //!< the partner that sent it (an eMSP or the hub it came through)
  PartyId party;               //!< the eMSP that issued it
  std::string uid;
  OcpiTokenType type = OcpiTokenType::Rfid;
  std::string contract_id;
  std::optional<std::string> visual_number;
  std::string issuer;
  std::optional<std::string> group_id;
  bool valid = true;
  WhitelistType whitelist = WhitelistType::Allowed;
  std::optional<std::string> language;
  Timestamp last_updated{};
  std::optional<OcpiProfileType> default_profile_type;
  std::optional<EnergyContract> energy_contract;
};

// ---- The outbox: every push to a partner, durable until delivered ----

enum class PushMethod { Put, Patch, Post, Delete };

struct OutboxItem {
  std::int64_t id = 0;
  std::int64_t partner_id = 0;
  OcpiModule module = OcpiModule::Locations;
  PushMethod method = PushMethod::Put;
  //! Below the partner's Receiver endpoint of `module` ("/DE/GRL/LOC1/EVSE1"), or an absolute
  //! URL (a command's response_url).
  std::string path;
  //! Items of one (partner, key) are delivered in the order they were enqueued ("location:LOC1").
  std::string object_key;
  std::string body; //!< the JSON to send, encoded by src/ocpi
  //! OCPI-to-* of the call when it is not the partner's own party (an eMSP behind a hub: the
  //! token's issuer); empty: the partner's first role.
  std::optional<PartyId> to;
  Timestamp created_at{};
  int attempts = 0; //!< the times the partner refused it (an unreachable partner does not count)
  Timestamp next_attempt_at{};
  std::string last_error;
};

//! What the outbox holds for one partner (the API shows it).
struct DeliveryState {
  std::int64_t partner_id = 0;
  std::int64_t backlog = 0; //!< items not yet delivered
  std::optional<Timestamp> oldest_pending_at;
  std::optional<Timestamp> last_success_at;
  std::optional<Timestamp> last_error_at;
  std::string last_error;
  std::int64_t delivered = 0; //!< items delivered since the start of the record
  std::int64_t dead = 0;      //!< items the partner refused for good (kept, not sent again)
};

} // namespace gridlane::domain
