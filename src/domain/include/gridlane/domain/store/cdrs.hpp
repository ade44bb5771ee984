#pragma once
//! Storage of charge detail records (migration 0013). A stored CDR is never changed and never
//! deleted (the database refuses both with triggers); the one exception is its invoice reference,
//! which may be set once, when an invoice takes it. The rules are services::CdrService's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridlane/domain/cdr.hpp"
#include "gridlane/domain/lists.hpp"

namespace gridlane::domain {

//! Which CDRs a list holds; every filter optional. Ordered by end_date_time, then id.
struct CdrFilter {
  std::optional<core::Timestamp> from; //!< sessions that ended at or after
  std::optional<core::Timestamp> to;   //!< sessions that ended before
  std::optional<std::string> location; //!< cdr_location.id
  std::optional<core::StationId> station;
  std::optional<std::string> token; //!< cdr_token.uid
  std::optional<std::string> currency;
  std::optional<bool> credit; //!< only credit CDRs (true) or only the others (false)
};

//! An ended session still waiting for its CDR (the billing run's work list).
struct UnbilledSession {
  std::int64_t transaction_id = 0;
  core::Timestamp ended_at;
};

//! The totals of a CDR whose session was paid by card (a captured or refunded card payment of its
//! session), for revenue reports.
struct CardPaidCdr {
  std::optional<std::string> location_id;
  std::string currency;
  core::Timestamp end;
  bool credit = false;
  core::Decimal excl_vat;
  std::optional<core::Decimal> incl_vat;
  core::Decimal energy_kwh;
};

class CdrStore {
public:
  virtual ~CdrStore() = default;

  //! Stores a new CDR; false (nothing written) when its id is taken, when the session already
  //! has a (non-credit) CDR, or when the original already has a credit CDR.
  virtual bool insert_cdr(const Cdr &c) = 0;
  //! insert_cdr with its OCPI body already encoded (the billing run encodes bodies off the
  //! store's thread): encode_cdr of `c` without its invoice reference and, when `tariffs_id` is
  //! given, without its tariffs, which are then the put_cdr_tariffs row of that id.
  virtual bool insert_encoded_cdr(const Cdr &c, std::string_view body, std::optional<std::int64_t> tariffs_id) = 0;
  //! The id of the stored `tariffs` array with this text (encode_cdr_tariffs), stored now if it
  //! is new. Such a row is never changed or deleted.
  virtual std::int64_t put_cdr_tariffs(std::string_view tariffs_json) = 0;
  virtual std::optional<Cdr> cdr(std::string_view id) = 0;
  //! The session's CDR (not its credit), if it was made.
  virtual std::optional<Cdr> cdr_of_transaction(std::int64_t transaction_id) = 0;
  //! The credit CDR of an original, if any.
  virtual std::optional<Cdr> credit_of(std::string_view original_id) = 0;
  //! A page of CDRs and the number the filter matches, filtered and paged by the database.
  virtual Paged<Cdr> list_cdrs(const CdrFilter &f, PageRequest page) = 0;
  //! Ended transactions without a CDR whose id is greater than `after_id`, by id, at most `limit`.
  virtual std::vector<UnbilledSession> sessions_without_cdr(std::int64_t after_id, std::size_t limit) = 0;
  //! Sets the invoice reference of a CDR that has none; false when it has one or is not stored.
  virtual bool set_cdr_invoice_reference(std::string_view id, std::string_view invoice_reference_id) = 0;
  //! CDRs (and credit CDRs) of sessions that ended in [from, to), are on no invoice and were paid
  //! by card, one query, ordered by end then id.
  virtual std::vector<CardPaidCdr> card_paid_cdrs(core::Timestamp from, core::Timestamp to) = 0;
};

} // namespace gridlane::domain
