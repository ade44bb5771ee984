#pragma once
//! What a CDR puts on an invoice (pure): its total_cost excl. VAT as one line per VAT rate. The
//! rate of each part comes from the CDR's own tariff snapshot: when every price component has
//! the same VAT (the usual case) the session is one line at that rate; when the components
//! differ, the session's cost per dimension (fixed, energy, time, parking) goes to its
//! component's rate, and what min_price/max_price added or took goes to the largest part.
#include <vector>

#include "gridlane/domain/cdr.hpp"
#include "gridlane/domain/invoice.hpp"
#include "gridlane/domain/tariff.hpp"

namespace gridlane::billing {

//! The lines of one CDR (a credit CDR gives negative lines). The first line carries the
//! session's energy (the others none), so energy and session counts add up once per CDR.
std::vector<domain::InvoiceItem> cdr_items(const domain::Cdr &cdr);

//! The VAT rate of a tariff's components of one dimension (the first that has one, in element
//! order); nullopt when none of them carries a VAT.
std::optional<core::Decimal> dimension_vat(const std::vector<domain::Tariff> &tariffs, domain::TariffDimension d);

} // namespace gridlane::billing
