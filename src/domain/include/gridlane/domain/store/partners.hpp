#pragma once
//! Roaming partners (OCPI credentials) and the hashes of the tokens they call Gridlane with.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "gridlane/domain/roaming.hpp"

namespace gridlane::domain {

class PartnerStore {
public:
  virtual ~PartnerStore() = default;

  //! Stores a new partner (its id ignored) with the hash of the token it will call Gridlane
  //! with (core::token_hash); returns its id.
  virtual std::int64_t insert_partner(const Partner &p, std::string_view token_hash) = 0;
  //! Overwrites everything but the id and created_at.
  virtual void update_partner(const Partner &p) = 0;
  //! Replaces the hash of the token the partner calls Gridlane with (registration, rotation).
  virtual void set_partner_token_hash(std::int64_t id, std::string_view token_hash) = 0;
  virtual std::optional<Partner> partner(std::int64_t id) = 0;
  //! The partner whose token hashes to this (any status: the caller judges it).
  virtual std::optional<Partner> partner_by_token_hash(std::string_view token_hash) = 0;
  virtual std::vector<Partner> partners() = 0;
};

} // namespace gridlane::domain
