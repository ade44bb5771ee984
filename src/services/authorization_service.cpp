#include "gridlane/services/authorization_service.hpp"

namespace gridlane::services {
using namespace gridlane::domain;

Authorization authorize_token(Repository &repo, std::string_view id_tag, Timestamp now, bool check_concurrent,
                              std::optional<std::int64_t> own_transaction) {
  Authorization out;
  auto token = repo.id_token(id_tag);
  if (!token) {
    out.status = TokenStatus::Unknown;
    return out;
  }
  out.expires_at = token->expires_at;
  out.parent_id = token->parent_id;
  out.status = token->status;
  if (out.status != TokenStatus::Accepted) return out;
  if (token->expires_at && *token->expires_at <= now) {
    out.status = TokenStatus::Expired;
    return out;
  }
  if (check_concurrent && repo.has_active_transaction(id_tag, own_transaction)) out.status = TokenStatus::ConcurrentTx;
  return out;
}

void AuthorizationService::authorize(const StationContext &who, std::string id_tag, Reply<Authorization> reply) {
  auto now = clock_.now();
  touch_station(store_, *live_, who.id, who.protocol, now);
  run_unit<Authorization>(
      store_, [who, id_tag = std::move(id_tag), now](Repository &r) { return authorize_token(r, id_tag, now, true); },
      std::move(reply));
}

} // namespace gridlane::services
