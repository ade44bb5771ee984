// The invoice builder (gridlane/billing/invoice.hpp): rounding, VAT per rate, totals.
#include "gridlane/billing/invoice.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace gridlane::billing {
using core::Decimal;
using core::Rounding;
using core::ValueResult;
using domain::Result;
using domain::ServiceError;

namespace {

template <class T> Result<T> checked(ValueResult<T> v, const char *what) {
  if (!v) return ServiceError::invalid(std::string("invoice amount out of range: ") + what);
  return *v;
}

//! Rates in the order the invoice shows them: no VAT first, then ascending.
struct RateOrder {
  bool operator()(const std::optional<Decimal> &a, const std::optional<Decimal> &b) const {
    if (!a || !b) return !a && b;
    return *a < *b;
  }
};

Result<Decimal> sum(Decimal a, Decimal b) {
  return checked(a.plus(b), "sum");
}

} // namespace

std::string invoice_number(std::string_view issuer, std::int64_t sequence) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(sequence));
  return std::string(issuer) + "-" + digits;
}

bool valid_issuer(std::string_view issuer) {
  if (issuer.empty() || issuer.size() > 16) return false;
  return std::all_of(issuer.begin(), issuer.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; });
}

Result<domain::Invoice> build_invoice(const InvoiceDraft &d) {
  if (d.period_to <= d.period_from) return ServiceError::invalid("the period must end after it starts", "to");
  const int places = d.currency.minor_digits();
  std::map<std::optional<Decimal>, std::vector<std::size_t>, RateOrder> by_rate;
  for (std::size_t i = 0; i < d.items.size(); ++i) {
    const auto &rate = d.items[i].vat_rate;
    if (rate && rate->is_negative()) return ServiceError::invalid("a VAT rate cannot be negative", "vat_rate");
    by_rate[rate].push_back(i);
  }

  domain::Invoice inv;
  inv.issuer = d.issuer;
  inv.account_id = d.account_id;
  inv.account_name = d.account_name;
  inv.currency = d.currency;
  inv.period_from = d.period_from;
  inv.period_to = d.period_to;
  inv.issued_at = d.issued_at;
  inv.lines.resize(d.items.size());

  for (const auto &[rate, indices] : by_rate) {
    Decimal exact_excl;
    for (auto i : indices) {
      auto s = sum(exact_excl, d.items[i].amount_excl_vat);
      if (!s) return s.error();
      exact_excl = *s;
    }
    Decimal exact_vat;
    if (rate) {
      auto v = checked(exact_excl.percent(*rate, Rounding::HalfUp), "VAT");
      if (!v) return v.error();
      exact_vat = *v;
    }
    auto exact_incl = sum(exact_excl, exact_vat);
    if (!exact_incl) return exact_incl.error();
    auto g_excl = checked(exact_excl.rounded(places, Rounding::HalfUp), "total");
    auto g_incl = checked(exact_incl->rounded(places, Rounding::HalfUp), "total");
    if (!g_excl) return g_excl.error();
    if (!g_incl) return g_incl.error();
    auto g_vat = checked(g_incl->minus(*g_excl), "VAT");
    if (!g_vat) return g_vat.error();

    // Each line rounded on its own; the residue goes to the largest line of the rate.
    Decimal lines_excl, lines_vat;
    std::size_t largest = indices.front();
    for (auto i : indices) {
      const auto &item = d.items[i];
      auto &line = inv.lines[i];
      line.item = item;
      auto e = checked(item.amount_excl_vat.rounded(places, Rounding::HalfUp), "line");
      if (!e) return e.error();
      line.excl_vat = *e;
      if (rate) {
        auto v = checked(item.amount_excl_vat.percent(*rate, Rounding::HalfUp, places), "line VAT");
        if (!v) return v.error();
        line.vat = *v;
      }
      auto le = sum(lines_excl, line.excl_vat);
      auto lv = sum(lines_vat, line.vat);
      if (!le) return le.error();
      if (!lv) return lv.error();
      lines_excl = *le;
      lines_vat = *lv;
      auto magnitude = [](Decimal x) { return x.is_negative() ? -x.units() : x.units(); };
      if (magnitude(item.amount_excl_vat) > magnitude(d.items[largest].amount_excl_vat)) largest = i;
    }
    auto &big = inv.lines[largest];
    auto re = checked(g_excl->minus(lines_excl), "residue");
    auto rv = checked(g_vat->minus(lines_vat), "residue");
    if (!re) return re.error();
    if (!rv) return rv.error();
    auto be = sum(big.excl_vat, *re);
    auto bv = sum(big.vat, *rv);
    if (!be) return be.error();
    if (!bv) return bv.error();
    big.excl_vat = *be;
    big.vat = *bv;
    for (auto i : indices) {
      auto incl = sum(inv.lines[i].excl_vat, inv.lines[i].vat);
      if (!incl) return incl.error();
      inv.lines[i].incl_vat = *incl;
    }

    inv.vat.push_back({rate, *g_excl, *g_vat, *g_incl});
    auto te = sum(inv.total_excl_vat, *g_excl);
    auto tv = sum(inv.total_vat, *g_vat);
    auto ti = sum(inv.total_incl_vat, *g_incl);
    if (!te) return te.error();
    if (!tv) return tv.error();
    if (!ti) return ti.error();
    inv.total_excl_vat = *te;
    inv.total_vat = *tv;
    inv.total_incl_vat = *ti;
  }
  return inv;
}

} // namespace gridlane::billing
