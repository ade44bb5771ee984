#pragma once
//! Roaming partners (OCPI credentials) and the hashes of the tokens they call Gridlane with.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/domain/roaming.hpp"

namespace gridlane::domain {

//! OCPI's ConnectionStatus of a party connected to a hub (HubClientInfo module).
enum class HubConnectionStatus { Connected, Offline, Planned, Suspended };

//! What a hub said of one party it connects (the ClientInfo object), kept per hub.
struct HubClientInfo {
  std::int64_t partner_id = 0; //!< the hub that pushed it
  PartyId party;
  OcpiRole role = OcpiRole::Emsp;
  HubConnectionStatus status = HubConnectionStatus::Planned;
  Timestamp last_updated{};
};

class PartnerStore {
public:
  virtual ~PartnerStore() = default;

  //! Stores a new partner (its id ignored) with the hash of the token it will call Gridlane
  //! with (core::token_hash); returns its id.
  virtual std::int64_t insert_partner(const Partner &p, std::string_view token_hash) = 0;
  //! Overwrites everything but the id and created_at.
  virtual void update_partner(const Partner &p) = 0;
  //! Replaces the hash of the token the partner calls Gridlane with (registration, rotation);
  //! an empty hash leaves it none (no token of it is accepted any more).
  virtual void set_partner_token_hash(std::int64_t id, std::string_view token_hash) = 0;
  virtual std::optional<Partner> partner(std::int64_t id) = 0;
  //! The partner whose token hashes to this (any status: the caller judges it).
  virtual std::optional<Partner> partner_by_token_hash(std::string_view token_hash) = 0;
  virtual std::vector<Partner> partners() = 0;
  //! The hash of the token the partner calls Gridlane with (empty: none).
  virtual std::string partner_token_hash(std::int64_t id) = 0;

  //! Inserts or replaces what a hub said of a party (keyed by hub and party).
  virtual void upsert_hub_client_info(const HubClientInfo &info) = 0;
  virtual std::optional<HubClientInfo> hub_client_info(std::int64_t partner_id, const PartyId &party) = 0;
  //! Every party a hub told of, by country code and party id.
  virtual std::vector<HubClientInfo> hub_client_infos(std::int64_t partner_id) = 0;
};

} // namespace gridlane::domain
