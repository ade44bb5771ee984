#pragma once
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "gridlane/core/time.hpp"
#include "gridlane/store/store.hpp"

namespace gridlane::app {

//! `gridlane admin account|plan|coupon ...`: customer accounts, billing plans, coupons and
//! loyalty points, through the same services::AccountService (and JSON codec) as the API.
class AdminAccountCommands {
public:
  void attach(CLI::App &admin);
  //! The exit code when one of its commands was given; nullopt otherwise.
  std::optional<int> run(store::Store &store, core::Timestamp now);

private:
  CLI::App *list_ = nullptr, *show_ = nullptr, *add_ = nullptr, *update_ = nullptr, *delete_ = nullptr;
  CLI::App *token_ = nullptr, *untoken_ = nullptr, *subscribe_ = nullptr, *unsubscribe_ = nullptr;
  CLI::App *claim_ = nullptr, *points_ = nullptr, *loyalty_ = nullptr;
  CLI::App *plan_put_ = nullptr, *plan_list_ = nullptr, *plan_show_ = nullptr, *plan_delete_ = nullptr;
  CLI::App *coupon_put_ = nullptr, *coupon_list_ = nullptr, *coupon_show_ = nullptr, *coupon_delete_ = nullptr;
  std::string id_, name_, kind_, currency_, email_, token_id_, driver_, plan_, start_, code_, reason_, body_;
  std::int64_t points_n_ = 0;
  std::size_t limit_ = 100, offset_ = 0;
};

} // namespace gridlane::app
