#pragma once
//! The JSON of invoices and revenue reports (docs/billing.md), shared by the API and the admin
//! CLI. Amounts are decimal strings with exactly the currency's minor digits ("11.90"), exact
//! and never a binary float; the exact amount of a line before rounding has up to 6 decimals.
#include <boost/json.hpp>
#include <span>

#include "gridlane/billing/revenue.hpp"
#include "gridlane/domain/invoice.hpp"

namespace gridlane::api {

boost::json::object invoice_json(const domain::Invoice &invoice);
boost::json::object revenue_row_json(const billing::RevenueRow &row);

} // namespace gridlane::api
