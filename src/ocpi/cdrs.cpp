// The CDRs module, Gridlane as Sender (sessions.hpp): the GET list of a partner's CDRs and the
// one POST of each CDR of a partner's token to its CDRs Receiver.
#include <boost/json.hpp>
#include <chrono>
#include <exception>
#include <utility>

#include "gridlane/core/json_text.hpp"
#include "gridlane/core/logging.hpp"
#include "gridlane/domain/cdr_codec.hpp"
#include "gridlane/ocpi/outbox.hpp"
#include "gridlane/ocpi/session_codec.hpp"
#include "gridlane/ocpi/sessions.hpp"
#include "session_support.hpp"

namespace gridlane::ocpi {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

//! The CDR as the partner gets it: its own token and Gridlane's party (the stored CDR names the
//! token as the station presented it).
Cdr for_partner(Repository &r, Cdr c, const PartyId &cpo, const RoamingToken &token) {
  // mod_cdrs: the eMSP's reference of the real-time authorisation the session started with.
  if (!c.authorization_reference && c.transaction_id)
    if (auto t = r.transaction(*c.transaction_id))
      if (auto d = r.realtime_decision(token.party, token.uid, token.type))
        if (d->at <= t->start_received_at + std::chrono::minutes(1) && d->authorization_reference &&
            d->authorization_reference->size() <= 36)
          c.authorization_reference = d->authorization_reference;
  c.invoice_reference_id.reset(); // Gridlane's invoice of its own driver, not the eMSP's business
  return roaming_cdr(std::move(c), cpo, token);
}

Cdr for_partner(Repository &r, Cdr c, const PartyId &cpo, std::int64_t partner_id) {
  if (auto token = partner_token(r, partner_id, c.cdr_token.uid)) return for_partner(r, std::move(c), cpo, *token);
  c.country_code = cpo.country_code;
  c.party_id = cpo.party_id;
  c.invoice_reference_id.reset();
  return c;
}

Response list(Repository &r, const Call &call, const Page &page, const PartyId &cpo) {
  RoamingWindow window{page.date_from, page.date_to};
  auto found = r.roaming_cdr_ids(call.partner.id, window, {page.limit, page.offset});
  json::array items;
  items.reserve(found.items.size());
  for (const auto &id : found.items)
    if (auto c = r.cdr(id)) items.push_back(cdr_to_json(for_partner(r, std::move(*c), cpo, call.partner.id)));
  return paged(std::move(items), static_cast<std::size_t>(found.total), page, call.self_url, call.now);
}

} // namespace

CdrsModule::CdrsModule(StoreExecutor &store, const core::Clock &clock, core::OcpiConfig config,
                       std::function<void()> wake)
    : store_(store), clock_(clock), config_(std::move(config)), wake_(std::move(wake)) {}

ModuleHandler CdrsModule::handler() {
  return [this](const std::shared_ptr<Call> &call, Reply reply) {
    if (call->request.method != "GET" || !call->segments.empty())
      return reply(not_allowed(*call, "the CDRs Sender interface offers GET of the list only"));
    auto parsed = parse_page(call->request, config_.page_limit, call->now);
    if (auto *bad = std::get_if<Response>(&parsed)) return reply(std::move(*bad));
    auto page = std::get<Page>(parsed);
    const PartyId cpo{config_.country_code, config_.party_id};
    answer_from_store(store_, call, std::move(reply),
                      [call, page, cpo](Repository &r) { return list(r, *call, page, cpo); });
  };
}

bool CdrsModule::record(Repository &r, const Cdr &c) const {
  if (c.cdr_token.uid.empty()) return false;
  // A charge on one of Gridlane's own tokens is never a partner's CDR.
  if (r.id_token(c.cdr_token.uid)) return false;
  // The CDR of a roaming session is its partner's (recorded when it began), whoever pushed the
  // same uid since; otherwise (a CDR made through the API) the token's.
  std::optional<RoamingToken> token;
  if (auto s = c.transaction_id ? r.roaming_session(*c.transaction_id) : std::nullopt)
    token = partner_token(r, s->partner_id, c.cdr_token.uid);
  else
    token = r.roaming_token_by_uid(c.cdr_token.uid);
  if (!token) return false;
  // The record is unique per (CDR, partner): a second call (a retried listener, a restart that
  // replays) finds it and enqueues nothing, so the CDR is POSTed once.
  if (!r.insert_roaming_cdr(c.id, token->partner_id, c.last_updated)) return false;
  auto partner = r.partner(token->partner_id);
  if (!partner || !Outbox::takes(*partner, OcpiModule::Cdrs)) return false; // it may still GET it
  auto out = for_partner(r, c, {config_.country_code, config_.party_id}, *token);
  OutboxItem item;
  item.partner_id = token->partner_id;
  item.module = OcpiModule::Cdrs;
  item.method = PushMethod::Post;
  item.path = ""; // mod_cdrs: POST to the Receiver's CDRs endpoint itself
  item.object_key = "cdr:" + c.id;
  item.body = encode_cdr(out);
  item.created_at = clock_.now();
  item.to = token->party; // through a hub: the eMSP that issued the token
  Outbox::enqueue(r, item);
  return true;
}

void CdrsModule::stop() {
  stopped_ = true;
}

void CdrsModule::committed(const Cdr &c) {
  if (stopped_) return;
  auto enqueued = std::make_shared<bool>(false);
  auto self = shared_from_this(); // queued units keep the module alive past the server's teardown
  store_.submit([self, c, enqueued](Repository &r) { *enqueued = self->record(r, c); },
                [self, id = c.id, enqueued](const std::exception_ptr &failed) {
                  if (failed) {
                    core::logger("ocpi")->error("cdrs: CDR {}: its push was not recorded: {}", id, what(failed));
                    return;
                  }
                  if (*enqueued && self->wake_ && !self->stopped_) self->wake_();
                });
}

} // namespace gridlane::ocpi
