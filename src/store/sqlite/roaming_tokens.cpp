//! RoamingTokenStore over SQLite (migration 0023): tokens pushed by eMSPs and their last
//! real-time authorisation. Enums are stored as their OCPI names.
#include <array>
#include <utility>

#include "gridlane/domain/roaming_names.hpp"
#include "sqlite/rows.hpp"
#include "sqlite/sqlite_repository.hpp"

namespace gridlane::store::sqlite {
using namespace gridlane::domain;
using core::from_unix_ms;
using core::to_unix_ms;

namespace {

// The row codec of the token's enums: OCPI's names (domain/roaming_names.hpp), so the table
// reads like the wire.
using domain::name_of;
constexpr const auto &token_types = domain::ocpi_token_types;
constexpr const auto &whitelists = domain::ocpi_whitelists;
constexpr const auto &profile_types = domain::ocpi_profile_types;
constexpr const auto &allowed_types = domain::ocpi_allowed_types;
template <class E, std::size_t N>
std::optional<E> parse_name(const domain::NameTable<E, N> &names, std::string_view text) {
  return domain::value_of(names, text);
}

constexpr std::string_view token_columns =
    "partner_id, country_code, party_id, uid, type, contract_id, visual_number, issuer, group_id, valid, "
    "whitelist, language, last_updated, default_profile_type, energy_supplier, energy_contract_id";

RoamingToken read_token(const Statement &s) {
  RoamingToken t;
  t.partner_id = s.int64(0);
  t.party = PartyId{s.text(1), s.text(2)};
  t.uid = s.text(3);
  t.type = parse_name(token_types, s.text(4)).value_or(OcpiTokenType::Other);
  t.contract_id = s.text(5);
  t.visual_number = s.opt_text(6);
  t.issuer = s.text(7);
  t.group_id = s.opt_text(8);
  t.valid = s.int64(9) != 0;
  // A whitelist text Gridlane never writes reads as the strictest: ask the eMSP every time.
  t.whitelist = parse_name(whitelists, s.text(10)).value_or(WhitelistType::Never);
  t.language = s.opt_text(11);
  t.last_updated = from_unix_ms(s.int64(12));
  if (auto p = s.opt_text(13)) t.default_profile_type = parse_name(profile_types, *p);
  if (auto supplier = s.opt_text(14)) t.energy_contract = EnergyContract{*supplier, s.opt_text(15)};
  return t;
}

} // namespace

void SqliteRepository::upsert_roaming_token(const RoamingToken &t) {
  auto s = db_.prepare(
      "INSERT INTO roaming_tokens (country_code, party_id, uid, type, partner_id, contract_id, visual_number, "
      "issuer, group_id, valid, whitelist, language, default_profile_type, energy_supplier, energy_contract_id, "
      "last_updated, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
      "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) "
      "ON CONFLICT (country_code, party_id, uid, type) DO UPDATE SET country_code = excluded.country_code, "
      "party_id = excluded.party_id, uid = excluded.uid, "
      "contract_id = excluded.contract_id, visual_number = excluded.visual_number, issuer = excluded.issuer, "
      "group_id = excluded.group_id, valid = excluded.valid, whitelist = excluded.whitelist, "
      "language = excluded.language, default_profile_type = excluded.default_profile_type, "
      "energy_supplier = excluded.energy_supplier, energy_contract_id = excluded.energy_contract_id, "
      "last_updated = excluded.last_updated, received_at = excluded.received_at, realtime_allowed = NULL, "
      "realtime_at = NULL, realtime_reference = NULL WHERE roaming_tokens.partner_id = excluded.partner_id");
  s.bind(1, t.party.country_code)
      .bind(2, t.party.party_id)
      .bind(3, t.uid)
      .bind(4, name_of(token_types, t.type))
      .bind(5, t.partner_id)
      .bind(6, t.contract_id)
      .bind(7, t.visual_number)
      .bind(8, t.issuer)
      .bind(9, t.group_id)
      .bind(10, t.valid ? 1 : 0)
      .bind(11, name_of(whitelists, t.whitelist))
      .bind(12, t.language);
  if (t.default_profile_type)
    s.bind(13, name_of(profile_types, *t.default_profile_type));
  else
    s.bind_null(13);
  if (t.energy_contract)
    s.bind(14, t.energy_contract->supplier_name).bind(15, t.energy_contract->contract_id);
  else
    s.bind_null(14).bind_null(15);
  s.bind(16, to_unix_ms(t.last_updated));
  // A token stored for another partner is not taken over: the update's WHERE leaves it as it was
  // (the Tokens module refuses such a push before it gets here).
  s.run();
}

std::optional<RoamingToken> SqliteRepository::roaming_token(const PartyId &party, std::string_view uid,
                                                            OcpiTokenType type) {
  auto s = db_.prepare(select(
      token_columns, "FROM roaming_tokens WHERE country_code = ?1 AND party_id = ?2 AND uid = ?3 AND type = ?4"));
  s.bind(1, party.country_code).bind(2, party.party_id).bind(3, uid).bind(4, name_of(token_types, type));
  if (!s.step()) return std::nullopt;
  return read_token(s);
}

std::optional<RoamingToken> SqliteRepository::roaming_token_by_uid(std::string_view uid) {
  auto s = db_.prepare(
      select(token_columns, "FROM roaming_tokens WHERE uid = ?1 ORDER BY received_at DESC, last_updated DESC LIMIT 1"));
  s.bind(1, uid);
  if (!s.step()) return std::nullopt;
  return read_token(s);
}

void SqliteRepository::remember_realtime_decision(const PartyId &party, std::string_view uid, OcpiTokenType type,
                                                  const RealtimeDecision &d) {
  auto s = db_.prepare("UPDATE roaming_tokens SET realtime_allowed = ?5, realtime_at = ?6, realtime_reference = ?7 "
                       "WHERE country_code = ?1 AND party_id = ?2 AND uid = ?3 AND type = ?4");
  s.bind(1, party.country_code).bind(2, party.party_id).bind(3, uid).bind(4, name_of(token_types, type));
  s.bind(5, name_of(allowed_types, d.allowed)).bind(6, to_unix_ms(d.at)).bind(7, d.authorization_reference);
  s.run();
}

std::optional<RealtimeDecision> SqliteRepository::realtime_decision(const PartyId &party, std::string_view uid,
                                                                    OcpiTokenType type) {
  auto s = db_.prepare("SELECT realtime_allowed, realtime_at, realtime_reference FROM roaming_tokens WHERE "
                       "country_code = ?1 AND party_id = ?2 AND uid = ?3 AND type = ?4 AND realtime_at IS NOT NULL");
  s.bind(1, party.country_code).bind(2, party.party_id).bind(3, uid).bind(4, name_of(token_types, type));
  if (!s.step()) return std::nullopt;
  auto allowed = parse_name(allowed_types, s.opt_text(0).value_or(""));
  if (!allowed) return std::nullopt;
  return RealtimeDecision{*allowed, from_unix_ms(s.int64(1)), s.opt_text(2)};
}

std::vector<RoamingToken> SqliteRepository::roaming_tokens_of(std::int64_t partner_id, std::size_t offset,
                                                              std::size_t limit) {
  auto s = db_.prepare(select(token_columns, "FROM roaming_tokens WHERE partner_id = ?1 ORDER BY country_code, "
                                             "party_id, uid, type LIMIT ?2 OFFSET ?3"));
  s.bind(1, partner_id).bind(2, static_cast<std::int64_t>(limit)).bind(3, static_cast<std::int64_t>(offset));
  std::vector<RoamingToken> out;
  while (s.step())
    out.push_back(read_token(s));
  return out;
}

} // namespace gridlane::store::sqlite
