#include "admin_cdrs.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <iostream>

#include "gridlane/core/json_text.hpp"
#include "gridlane/domain/cdr_codec.hpp"
#include "gridlane/services/cdr_service.hpp"
#include "refusal.hpp"

namespace gridlane::app {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

std::optional<Timestamp> time_flag(const std::string &flag, const std::string &text) {
  if (text.empty()) return std::nullopt;
  auto t = core::parse_iso8601(text);
  if (!t) throw std::invalid_argument(flag + " must be an RFC 3339 date-time, e.g. 2026-01-01T00:00:00Z");
  return t;
}

std::optional<std::string> given(const std::string &text) {
  return text.empty() ? std::nullopt : std::optional{text};
}

} // namespace

void AdminCdrCommands::attach(CLI::App &admin) {
  auto *cdrs = admin.add_subcommand("cdrs", "Charge detail records: the billing run, list, show, credit");
  cdrs->require_subcommand(1);
  generate_ = cdrs->add_subcommand("generate", "Make the CDR of every ended session that has none, in batches");
  generate_->add_option("--batch", batch_, "Sessions per unit of work (default 1000)")->check(CLI::Range(1, 100000));
  generate_->add_flag("--quiet", quiet_, "Print only the summary");
  list_ = cdrs->add_subcommand("list", "List CDRs (OCPI JSON, ordered by session end)");
  list_->add_option("--from", from_, "Sessions that ended at or after (RFC 3339)");
  list_->add_option("--to", to_, "Sessions that ended before (RFC 3339)");
  list_->add_option("--location", location_, "cdr_location.id");
  list_->add_option("--station", station_, "Station id");
  list_->add_option("--token", token_, "cdr_token.uid");
  list_->add_option("--currency", currency_, "ISO 4217 code");
  list_->add_option("--limit", limit_, "At most this many (default 100)")->check(CLI::Range(1, 1000));
  list_->add_option("--offset", offset_, "Skip this many");
  show_ = cdrs->add_subcommand("show", "Print one CDR (OCPI JSON)");
  show_->add_option("id", id_, "CDR id")->required();
  credit_ = cdrs->add_subcommand("credit", "Issue the credit CDR of a CDR (the original is never changed)");
  credit_->add_option("id", id_, "CDR id")->required();
  credit_->add_option("--remark", remark_, "Why (at most 255 characters)");
}

std::optional<int> AdminCdrCommands::run(store::Store &store) {
  if (!generate_->parsed() && !list_->parsed() && !show_->parsed() && !credit_->parsed()) return std::nullopt;
  core::SystemClock clock;
  services::CdrService service{clock};
  if (generate_->parsed()) {
    // One unit of work (one SQLite transaction) per batch: a failure loses at most the batch in
    // progress, and a second run continues where this one stopped.
    const auto started = std::chrono::steady_clock::now();
    std::size_t created = 0, untariffed = 0, failed = 0, batches = 0;
    std::int64_t after = 0;
    for (bool done = false; !done;) {
      services::BillingBatch b;
      store.run([&](Repository &r) { b = service.generate_batch(r, after, batch_); });
      created += b.created;
      untariffed += b.untariffed;
      failed += b.failed;
      after = b.last_transaction_id;
      done = b.done;
      ++batches;
      if (!quiet_ && b.created > 0)
        std::cout << "batch " << batches << ": " << b.created << " CDRs (up to transaction " << after << ")\n";
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << created << " CDRs created, " << untariffed << " ended sessions without a tariff, " << failed
              << " failed, in " << batches << " batches, " << seconds << " s";
    if (seconds > 0 && created > 0)
      std::cout << " (" << static_cast<std::int64_t>(static_cast<double>(created) / seconds) << " CDRs/s)";
    std::cout << "\n";
    return failed == 0 ? 0 : 1;
  }
  if (list_->parsed()) {
    CdrFilter f;
    f.from = time_flag("--from", from_);
    f.to = time_flag("--to", to_);
    f.location = given(location_);
    if (!station_.empty()) f.station = StationId::unchecked(station_);
    f.token = given(token_);
    f.currency = given(currency_);
    Paged<Cdr> page;
    store.run([&](Repository &r) { page = r.list_cdrs(f, {limit_, offset_}); });
    json::array items;
    for (const auto &c : page.items)
      items.push_back(cdr_to_json(c));
    std::cout << core::to_json_text(json::object{{"items", std::move(items)}, {"total", page.total}}) << "\n";
    return 0;
  }
  if (show_->parsed()) {
    std::optional<Cdr> c;
    store.run([&](Repository &r) { c = r.cdr(id_); });
    if (!c) refuse(ServiceError::not_found("no such CDR"));
    std::cout << encode_cdr(*c) << "\n";
    return 0;
  }
  std::optional<Result<Cdr>> credited;
  store.run([&](Repository &r) { credited = service.credit(r, id_, given(remark_)); });
  if (!*credited) refuse(credited->error());
  std::cout << encode_cdr(**credited) << "\n";
  return 0;
}

} // namespace gridlane::app
