// Real-time authorisation at the eMSP (mod_tokens "Real-time authorization", "POST Method"):
// one POST per question on the roaming worker pool, and a watchdog that answers Unreachable at
// the deadline when the partner is slow, so the station's Authorize is always answered in time.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "gridlane/core/logging.hpp"
#include "gridlane/ocpi/token_codec.hpp"
#include "gridlane/ocpi/tokens.hpp"

namespace gridlane::ocpi {
using services::RealtimeAnswer;
using Kind = services::RealtimeAnswer::Kind;
using Clock = std::chrono::steady_clock;
namespace json = boost::json;

namespace {

spdlog::logger &rlog() {
  static auto logger = core::logger("ocpi.tokens");
  return *logger;
}

RealtimeAnswer unreachable(std::string detail) {
  return RealtimeAnswer{Kind::Unreachable, domain::AllowedType::NotAllowed, std::nullopt, std::move(detail)};
}

//! A path segment: unreserved characters as they are, every other byte %XX.
std::string percent_encoded(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
  return out;
}

//! The eMSP's answer, read: AuthorizationInfo in the envelope's data; 404 / 2004 is an unknown
//! token (the spec says both, ocpi/ocpi#417); anything else is no usable answer.
RealtimeAnswer read_answer(const InboundAnswer &a, const domain::RoamingToken &asked,
                           std::optional<domain::RoamingToken> &fresh) {
  if (a.http_status == 404 || a.status_code == 2004) return RealtimeAnswer{Kind::UnknownToken, {}, {}, "unknown token"};
  if (a.http_status != 200 || a.status_code != 1000)
    return unreachable("HTTP " + std::to_string(a.http_status) + " status_code " +
                       (a.status_code ? std::to_string(*a.status_code) : std::string("none")) +
                       (a.status_message.empty() ? "" : ": " + a.status_message));
  boost::system::error_code ec;
  auto envelope = json::parse(a.body, ec);
  const json::value *data = ec || !envelope.is_object() ? nullptr : envelope.get_object().if_contains("data");
  if (!data) return unreachable("the answer has no data");
  auto info = authorization_info_from_json(*data);
  if (!info) return unreachable("a malformed AuthorizationInfo: " + info.error().message);
  if (!ci_equal(info->token.uid, asked.uid) || info->token.type != asked.type ||
      !ci_equal(info->token.party.country_code, asked.party.country_code) ||
      !ci_equal(info->token.party.party_id, asked.party.party_id))
    return unreachable("the AuthorizationInfo is about another token");
  fresh = info->token;
  fresh->partner_id = asked.partner_id;
  return RealtimeAnswer{Kind::Answered, info->allowed, info->authorization_reference,
                        std::string(allowed_type_name(info->allowed))};
}

} // namespace

//! One open question: answered once, by the call or by the watchdog, whichever comes first.
struct HttpRealtimeAuthorizer::Pending {
  services::RealtimeQuestion question;
  std::function<void(RealtimeAnswer)> done;
  Clock::time_point deadline;
  std::mutex mutex;
  bool answered = false;

  void answer(RealtimeAnswer a) {
    std::function<void(RealtimeAnswer)> fn;
    {
      std::lock_guard lock(mutex);
      if (answered) return;
      answered = true;
      fn = std::move(done);
    }
    try {
      fn(std::move(a));
    } catch (const std::exception &e) {
      rlog().error("the answer to the real-time authorisation of {} failed: {}", question.token.uid, e.what());
    }
  }
};

HttpRealtimeAuthorizer::HttpRealtimeAuthorizer(domain::StoreExecutor &store, Client &client, core::WorkerPool &pool,
                                               core::OcpiConfig config)
    : store_(store), client_(client), pool_(pool), config_(std::move(config)) {
  watchdog_ = std::thread([this] { watch(); });
}

HttpRealtimeAuthorizer::~HttpRealtimeAuthorizer() {
  decltype(deadlines_) open;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    open.swap(deadlines_);
  }
  wake_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
  for (auto &[at, weak] : open)
    if (auto p = weak.lock()) p->answer(unreachable("shutting down"));
}

void HttpRealtimeAuthorizer::watch() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (deadlines_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto first = deadlines_.begin();
    if (Clock::now() < first->first) {
      wake_.wait_until(lock, first->first);
      continue;
    }
    auto weak = first->second;
    deadlines_.erase(first);
    lock.unlock();
    if (auto p = weak.lock())
      p->answer(unreachable("no answer within " + std::to_string(config_.realtime_auth_timeout_ms) + " ms"));
    lock.lock();
  }
}

void HttpRealtimeAuthorizer::authorize(services::RealtimeQuestion question, std::function<void(RealtimeAnswer)> done) {
  auto p = std::make_shared<Pending>();
  p->question = std::move(question);
  p->done = std::move(done);
  p->deadline = Clock::now() + std::chrono::milliseconds(config_.realtime_auth_timeout_ms);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      p->answer(unreachable("shutting down"));
      return;
    }
    deadlines_.emplace(p->deadline, p);
  }
  wake_.notify_all();
  const auto partner_id = p->question.token.partner_id;
  auto partner = std::make_shared<std::optional<domain::Partner>>();
  store_.submit(
      [partner, partner_id](domain::Repository &r) { *partner = r.partner(partner_id); },
      [this, p, partner](const std::exception_ptr &e) {
        if (e || !*partner) return p->answer(unreachable("the token's partner could not be read"));
        const auto &who = **partner;
        if (who.status != domain::PartnerStatus::Registered)
          return p->answer(unreachable("partner " + who.name + " is not registered"));
        if (!who.endpoint(domain::OcpiModule::Tokens, domain::InterfaceRole::Sender))
          return p->answer(unreachable("partner " + who.name + " has no tokens SENDER endpoint"));
        pool_.submit(
            core::WorkerPool::Lane::Urgent, [this, p, who] { call(p, who); },
            [p](core::JobRefusal why) { p->answer(unreachable("not asked: " + std::string(core::to_string(why)))); });
      });
}

void HttpRealtimeAuthorizer::call(const std::shared_ptr<Pending> &p, const domain::Partner &partner) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(p->deadline - Clock::now());
  if (left.count() <= 0) return p->answer(unreachable("no time left to ask"));
  const auto &token = p->question.token;
  std::string url = partner.endpoint(domain::OcpiModule::Tokens, domain::InterfaceRole::Sender)->url;
  if (url.empty() || url.back() != '/') url += '/';
  url += percent_encoded(token.uid) + "/authorize?type=" + std::string(token_type_name(token.type));
  OutboundCall c;
  c.method = domain::PushMethod::Post;
  c.url = url;
  // The request body is optional; without the location the eMSP may answer 2002.
  if (p->question.location) c.body = json::serialize(location_references_to_json(*p->question.location));
  c.token = partner.token_to_them;
  c.encoding = partner.encoding;
  c.from = domain::PartyId{config_.country_code, config_.party_id};
  c.to = token.party;
  c.timeout = left;
  auto result = client_.call(c);
  if (!result) return p->answer(unreachable(result.error().message));
  std::optional<domain::RoamingToken> fresh;
  auto answer = read_answer(*result, token, fresh);
  if (!fresh) return p->answer(std::move(answer));
  // The eMSP owns the token: keep its latest version, then answer (the caller remembers the decision).
  store_.submit([t = std::move(*fresh)](domain::Repository &r) { r.upsert_roaming_token(t); },
                [p, answer = std::move(answer)](const std::exception_ptr &) mutable { p->answer(std::move(answer)); });
}

} // namespace gridlane::ocpi
