// The invoice PDF (gridlane/billing/invoice_pdf.hpp) with libharu.
#include "gridlane/billing/invoice_pdf.hpp"

#include <hpdf.h>
#include <memory>

namespace gridlane::billing {
using core::Decimal;
using core::Rounding;
using domain::Invoice;

namespace {

//! libharu reports an error through this callback and then returns a failed status; the first
//! error is kept for the message.
struct Failure {
  HPDF_STATUS status = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void on_error(HPDF_STATUS status, HPDF_STATUS detail, void *user) {
  auto *f = static_cast<Failure *>(user);
  if (f->status == HPDF_OK) {
    f->status = status;
    f->detail = detail;
  }
}

struct DocDeleter {
  void operator()(HPDF_Doc d) const { HPDF_Free(d); }
};

std::string money(Decimal d, const core::Currency &c) {
  return d.to_fixed(c.minor_digits(), Rounding::HalfUp);
}

std::string rate_text(const std::optional<Decimal> &rate) {
  return rate ? rate->to_string() + " %" : std::string("no VAT");
}

std::string date_text(core::Timestamp t) {
  return core::format_iso8601(t).substr(0, 10);
}

std::string clip(std::string s, std::size_t n) {
  if (s.size() > n) s = s.substr(0, n - 3) + "...";
  return s;
}

constexpr float kLeft = 50, kRight = 545, kTop = 800, kBottom = 60, kLine = 14;
// Right edges of the amount columns.
constexpr float kColRate = 330, kColExcl = 405, kColVat = 470, kColIncl = kRight;

class Writer {
public:
  Writer(HPDF_Doc doc, HPDF_Font font, HPDF_Font bold) : doc_(doc), font_(font), bold_(bold) { new_page(); }

  void text(float x, const std::string &s, bool strong = false, float size = 10) {
    auto t = to_winansi(s);
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, strong ? bold_ : font_, size);
    HPDF_Page_TextOut(page_, x, y_, t.c_str());
    HPDF_Page_EndText(page_);
  }
  void right(float x, const std::string &s, bool strong = false, float size = 10) {
    auto t = to_winansi(s);
    HPDF_Page_SetFontAndSize(page_, strong ? bold_ : font_, size);
    float w = HPDF_Page_TextWidth(page_, t.c_str());
    text(x - w, s, strong, size);
  }
  void rule() {
    HPDF_Page_SetLineWidth(page_, 0.5);
    HPDF_Page_MoveTo(page_, kLeft, y_ + kLine - 10);
    HPDF_Page_LineTo(page_, kRight, y_ + kLine - 10);
    HPDF_Page_Stroke(page_);
  }
  //! Moves down `lines` lines, onto a new page when this one is full.
  void down(float lines = 1) {
    y_ -= kLine * lines;
    if (y_ < kBottom) new_page();
  }

private:
  void new_page() {
    page_ = HPDF_AddPage(doc_);
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    y_ = kTop;
  }
  HPDF_Doc doc_;
  HPDF_Font font_, bold_;
  HPDF_Page page_ = nullptr;
  float y_ = kTop;
};

void amounts_header(Writer &w, const char *first) {
  w.text(kLeft, first, true);
  w.right(kColRate, "VAT rate", true);
  w.right(kColExcl, "Excl. VAT", true);
  w.right(kColVat, "VAT", true);
  w.right(kColIncl, "Incl. VAT", true);
  w.down();
  w.rule();
}

} // namespace

std::string to_winansi(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    char32_t cp = 0;
    std::size_t n = 1;
    if (b < 0x80) {
      cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      cp = b & 0x1F, n = 2;
    } else if ((b & 0xF0) == 0xE0) {
      cp = b & 0x0F, n = 3;
    } else if ((b & 0xF8) == 0xF0) {
      cp = b & 0x07, n = 4;
    } else {
      out += '?', ++i;
      continue;
    }
    if (i + n > s.size()) {
      out += '?';
      break;
    }
    bool ok = true;
    for (std::size_t k = 1; k < n; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (c & 0x3F);
    }
    i += ok ? n : 1;
    if (ok && cp == 0x20AC)
      out += '\x80';
    else if (ok && (cp < 0x20 || cp == 0x7F))
      out += ' ';
    else if (ok && (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)))
      out += static_cast<char>(cp);
    else
      out += '?'; // not UTF-8, or no WinAnsi glyph
  }
  return out;
}

domain::Result<std::string> render_invoice_pdf(const Invoice &inv) {
  Failure failure;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter> doc(HPDF_New(on_error, &failure));
  if (!doc) return domain::ServiceError::internal("the PDF library could not start");
  HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
  auto title = "Invoice " + inv.number;
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_TITLE, title.c_str());
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_CREATOR, "Gridlane");
  auto *font = HPDF_GetFont(doc.get(), "Helvetica", "WinAnsiEncoding");
  auto *bold = HPDF_GetFont(doc.get(), "Helvetica-Bold", "WinAnsiEncoding");
  if (!font || !bold) return domain::ServiceError::internal("the PDF library has no Helvetica");

  const auto &cur = inv.currency;
  const std::string code(cur.code());
  Writer w(doc.get(), font, bold);
  w.text(kLeft, title, true, 16);
  w.down(2);
  w.text(kLeft, "Issuer: " + inv.issuer);
  w.right(kRight, "Issued: " + date_text(inv.issued_at));
  w.down();
  w.text(kLeft, "Account: " + inv.account_name + " (" + inv.account_id + ")");
  w.down();
  w.text(kLeft, "Period: " + date_text(inv.period_from) + " to " + date_text(inv.period_to) + " (end exclusive)");
  w.right(kRight, "Currency: " + code);
  w.down(2);

  amounts_header(w, "Description");
  for (const auto &l : inv.lines) {
    w.text(kLeft, clip(l.item.description, 48));
    w.right(kColRate, rate_text(l.item.vat_rate));
    w.right(kColExcl, money(l.excl_vat, cur));
    w.right(kColVat, money(l.vat, cur));
    w.right(kColIncl, money(l.incl_vat, cur));
    w.down();
  }
  w.down();
  amounts_header(w, "VAT breakdown");
  for (const auto &v : inv.vat) {
    w.text(kLeft, v.rate ? "VAT " + rate_text(v.rate) : "Without VAT");
    w.right(kColRate, rate_text(v.rate));
    w.right(kColExcl, money(v.excl_vat, cur));
    w.right(kColVat, money(v.vat, cur));
    w.right(kColIncl, money(v.incl_vat, cur));
    w.down();
  }
  w.down();
  w.text(kLeft, "Total excl. VAT");
  w.right(kColIncl, money(inv.total_excl_vat, cur) + " " + code);
  w.down();
  w.text(kLeft, "Total VAT");
  w.right(kColIncl, money(inv.total_vat, cur) + " " + code);
  w.down();
  w.text(kLeft, "Total incl. VAT", true, 12);
  w.right(kColIncl, money(inv.total_incl_vat, cur) + " " + code, true, 12);
  w.down();

  if (failure.status != HPDF_OK || HPDF_SaveToStream(doc.get()) != HPDF_OK)
    return domain::ServiceError::internal("the PDF could not be written (libharu error " +
                                          std::to_string(failure.status) + ")");
  std::string bytes(HPDF_GetStreamSize(doc.get()), '\0');
  auto size = static_cast<HPDF_UINT32>(bytes.size());
  if (HPDF_ReadFromStream(doc.get(), reinterpret_cast<HPDF_BYTE *>(bytes.data()), &size) != HPDF_OK &&
      failure.status != HPDF_OK)
    return domain::ServiceError::internal("the PDF could not be read back");
  bytes.resize(size);
  return bytes;
}

} // namespace gridlane::billing
