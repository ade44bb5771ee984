#include "admin_account.hpp"

#include <boost/json.hpp>
#include <iostream>

#include "gridlane/api/billing_json.hpp"
#include "gridlane/core/json_text.hpp"
#include "gridlane/services/account_service.hpp"
#include "refusal.hpp"

namespace gridlane::app {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

json::object object_of(const std::string &text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) throw std::invalid_argument("--json must be a JSON object, as the API takes it");
  return v.get_object();
}

void print(const json::value &v) {
  std::cout << core::to_json_text(v) << "\n";
}

json::object detail(Repository &r, const Account &a) {
  return api::account_json(a, r.open_subscription(a.id), r.coupon_holdings(a.id), r.loyalty_balance(a.id));
}

} // namespace

void AdminAccountCommands::attach(CLI::App &admin) {
  auto *account = admin.add_subcommand("account", "Customer accounts, their tokens, subscriptions, coupons, points");
  account->require_subcommand(1);
  list_ = account->add_subcommand("list", "List accounts (JSON)");
  list_->add_option("--limit", limit_, "At most this many (default 100)");
  list_->add_option("--offset", offset_, "Skip this many");
  show_ = account->add_subcommand("show", "An account with its tokens, subscription, coupons and points (JSON)");
  show_->add_option("id", id_, "Account id")->required();
  add_ = account->add_subcommand("add", "Create an account (prints it as JSON)");
  add_->add_option("name", name_, "Its name")->required();
  add_->add_option("--id", id_, "Its id (default: 16 random hex digits)");
  add_->add_option("--kind", kind_, "driver (default) or company")->check(CLI::IsMember({"driver", "company"}));
  add_->add_option("--currency", currency_, "ISO 4217 code it is billed in (default EUR)");
  add_->add_option("--email", email_, "Billing e-mail address");
  update_ = account->add_subcommand("update", "Change an account: the API's PATCH body (prints it)");
  update_->add_option("id", id_, "Account id")->required();
  update_->add_option("--json", body_, "e.g. '{\"redeem_points\": true}'")->required();
  delete_ = account->add_subcommand("delete", "Delete an account that has no billed session");
  delete_->add_option("id", id_, "Account id")->required();
  token_ = account->add_subcommand("token", "Give the account a token (an id tag / card)");
  token_->add_option("id", id_, "Account id")->required();
  token_->add_option("token", token_id_, "The id token (must exist)")->required();
  token_->add_option("--driver", driver_, "Who carries it");
  untoken_ = account->add_subcommand("untoken", "Take a token off the account");
  untoken_->add_option("id", id_, "Account id")->required();
  untoken_->add_option("token", token_id_, "The id token")->required();
  subscribe_ = account->add_subcommand("subscribe", "Subscribe the account to a billing plan");
  subscribe_->add_option("id", id_, "Account id")->required();
  subscribe_->add_option("plan", plan_, "Billing plan id")->required();
  subscribe_->add_option("--start", start_, "From (RFC 3339; default now)");
  unsubscribe_ = account->add_subcommand("unsubscribe", "End the account's subscription now");
  unsubscribe_->add_option("id", id_, "Account id")->required();
  claim_ = account->add_subcommand("claim", "Give the account a coupon");
  claim_->add_option("id", id_, "Account id")->required();
  claim_->add_option("code", code_, "Coupon code")->required();
  points_ = account->add_subcommand("points", "Grant (or with a negative number take away) loyalty points");
  points_->add_option("id", id_, "Account id")->required();
  points_->add_option("points", points_n_, "Whole points")->required();
  points_->add_option("--reason", reason_, "Why");
  loyalty_ = account->add_subcommand("loyalty", "The account's points balance and ledger (JSON)");
  loyalty_->add_option("id", id_, "Account id")->required();

  auto *plan = admin.add_subcommand("plan", "Billing plans");
  plan->require_subcommand(1);
  plan_put_ = plan->add_subcommand("put", "Create or replace a plan: the API's PUT body (prints it)");
  plan_put_->add_option("id", id_, "Plan id")->required();
  plan_put_->add_option("--json", body_, "e.g. '{\"name\":\"Fleet\",\"currency\":\"EUR\",\"monthly_fee\":9.9}'")
      ->required();
  plan_list_ = plan->add_subcommand("list", "List plans (JSON)");
  plan_show_ = plan->add_subcommand("show", "A plan (JSON)");
  plan_show_->add_option("id", id_, "Plan id")->required();
  plan_delete_ = plan->add_subcommand("delete", "Delete a plan no account ever subscribed to");
  plan_delete_->add_option("id", id_, "Plan id")->required();

  auto *coupon = admin.add_subcommand("coupon", "Coupons and promotions");
  coupon->require_subcommand(1);
  coupon_put_ = coupon->add_subcommand("put", "Create or replace a coupon: the API's PUT body (prints it)");
  coupon_put_->add_option("code", code_, "Coupon code")->required();
  coupon_put_->add_option("--json", body_, "e.g. '{\"kind\":\"percent_off\",\"percent\":10}'")->required();
  coupon_list_ = coupon->add_subcommand("list", "List coupons with their redemptions (JSON)");
  coupon_show_ = coupon->add_subcommand("show", "A coupon (JSON)");
  coupon_show_->add_option("code", code_, "Coupon code")->required();
  coupon_delete_ = coupon->add_subcommand("delete", "Delete a coupon never redeemed");
  coupon_delete_->add_option("code", code_, "Coupon code")->required();
}

std::optional<int> AdminAccountCommands::run(store::Store &store, core::Timestamp now) {
  const services::AccountService service;
  json::value out;
  auto account_unit = [&](auto fn) {
    store.run([&](Repository &r) { out = detail(r, checked(fn(r))); });
    print(out);
    return 0;
  };
  if (list_->parsed()) {
    AccountFilter f;
    f.limit = limit_;
    f.offset = offset_;
    json::array items;
    store.run([&](Repository &r) {
      for (const auto &a : r.accounts(f))
        items.push_back(api::account_summary_json(a));
    });
    print(items);
    return 0;
  }
  if (show_->parsed()) return account_unit([&](Repository &r) { return service.account(r, id_); });
  if (add_->parsed()) {
    json::object body{{"name", name_}, {"currency", currency_.empty() ? "EUR" : currency_}};
    if (!id_.empty()) body["id"] = id_;
    if (!kind_.empty()) body["kind"] = kind_;
    if (!email_.empty()) body["email"] = email_;
    Account draft;
    checked(api::apply_account_fields(body, draft, true));
    return account_unit([&](Repository &r) { return service.create_account(r, draft, now); });
  }
  if (update_->parsed()) {
    auto body = object_of(body_);
    return account_unit([&](Repository &r) -> Result<Account> {
      auto a = service.account(r, id_);
      if (!a) return a.error();
      if (auto ok = api::apply_account_fields(body, *a, false); !ok) return ok.error();
      return service.update_account(r, *a, now);
    });
  }
  if (delete_->parsed()) {
    store.run([&](Repository &r) { checked(service.delete_account(r, id_)); });
    std::cout << "account " << id_ << " deleted\n";
    return 0;
  }
  if (token_->parsed()) {
    AccountToken t{token_id_, driver_.empty() ? std::nullopt : std::optional{driver_}};
    return account_unit([&](Repository &r) { return service.link_token(r, id_, t); });
  }
  if (untoken_->parsed()) return account_unit([&](Repository &r) { return service.unlink_token(r, id_, token_id_); });
  if (subscribe_->parsed()) {
    std::optional<core::Timestamp> start;
    if (!start_.empty()) {
      start = core::parse_iso8601(start_);
      if (!start) throw std::invalid_argument("--start must be an RFC 3339 date-time with zone");
    }
    return account_unit([&](Repository &r) -> Result<Account> {
      if (auto s = service.subscribe(r, id_, plan_, start, now); !s) return s.error();
      return service.account(r, id_);
    });
  }
  if (unsubscribe_->parsed()) {
    store.run([&](Repository &r) { out = api::subscription_json(checked(service.unsubscribe(r, id_, now))); });
    print(out);
    return 0;
  }
  if (claim_->parsed())
    return account_unit([&](Repository &r) -> Result<Account> {
      if (auto h = service.claim_coupon(r, id_, code_, now); !h) return h.error();
      return service.account(r, id_);
    });
  if (points_->parsed() || loyalty_->parsed()) {
    store.run([&](Repository &r) {
      auto s = points_->parsed() ? checked(service.adjust_points(
                                       r, id_, points_n_, reason_.empty() ? std::nullopt : std::optional{reason_}, now))
                                 : checked(service.loyalty(r, id_, 100, 0));
      json::array entries;
      for (const auto &e : s.entries)
        entries.push_back(api::loyalty_entry_json(e));
      out = json::object{{"balance", s.balance}, {"entries", std::move(entries)}};
    });
    print(out);
    return 0;
  }
  if (plan_put_->parsed()) {
    auto plan = checked(api::plan_from_json(object_of(body_), id_));
    store.run([&](Repository &r) { out = api::plan_json(checked(service.put_plan(r, plan, now)).value); });
    print(out);
    return 0;
  }
  if (plan_list_->parsed() || plan_show_->parsed()) {
    store.run([&](Repository &r) {
      if (plan_show_->parsed()) {
        out = api::plan_json(checked(service.plan(r, id_)));
        return;
      }
      json::array items;
      for (const auto &p : r.billing_plans(1000, 0))
        items.push_back(api::plan_json(p));
      out = std::move(items);
    });
    print(out);
    return 0;
  }
  if (plan_delete_->parsed()) {
    store.run([&](Repository &r) { checked(service.delete_plan(r, id_)); });
    std::cout << "plan " << id_ << " deleted\n";
    return 0;
  }
  if (coupon_put_->parsed()) {
    auto coupon = checked(api::coupon_from_json(object_of(body_), code_));
    store.run([&](Repository &r) { out = api::coupon_json(checked(service.put_coupon(r, coupon, now)).value); });
    print(out);
    return 0;
  }
  if (coupon_list_->parsed() || coupon_show_->parsed()) {
    store.run([&](Repository &r) {
      if (coupon_show_->parsed()) {
        out = api::coupon_json(checked(service.coupon(r, code_)), r.count_coupon_redemptions(code_, std::nullopt));
        return;
      }
      json::array items;
      for (const auto &c : r.coupons(1000, 0))
        items.push_back(api::coupon_json(c, r.count_coupon_redemptions(c.code, std::nullopt)));
      out = std::move(items);
    });
    print(out);
    return 0;
  }
  if (coupon_delete_->parsed()) {
    store.run([&](Repository &r) { checked(service.delete_coupon(r, code_)); });
    std::cout << "coupon " << code_ << " deleted\n";
    return 0;
  }
  return std::nullopt;
}

} // namespace gridlane::app
