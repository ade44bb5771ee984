#pragma once
//! Id tokens (1.6 idTags, 2.x idTokens) and their status.
#include <optional>
#include <string_view>
#include <vector>

#include "gridlane/domain/model.hpp"

namespace gridlane::domain {

class TokenStore {
public:
  virtual ~TokenStore() = default;

  virtual std::optional<IdToken> id_token(std::string_view id) = 0;
  //! Inserts the token or overwrites its status, expiry and parent.
  virtual void upsert_id_token(const IdToken &t) = 0;
  virtual std::vector<IdToken> id_tokens() = 0;
  virtual bool delete_id_token(std::string_view id) = 0;
};

} // namespace gridlane::domain
