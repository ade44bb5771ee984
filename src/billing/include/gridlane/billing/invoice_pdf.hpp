#pragma once
//! An invoice as a PDF document (libharu): header, lines, the VAT per rate and the totals, on
//! as many A4 pages as the lines need. Text is drawn in a standard PDF font (Helvetica) in
//! WinAnsi encoding, so `pdftotext` and any viewer read it back; characters outside that
//! encoding print as '?'.
#include <string>

#include "gridlane/domain/invoice.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::billing {

//! The PDF file's bytes; Internal when libharu fails.
domain::Result<std::string> render_invoice_pdf(const domain::Invoice &invoice);

//! Text as the PDF's WinAnsi (cp1252) font draws it: UTF-8 decoded, Latin-1 and the euro sign
//! kept, anything else '?'.
std::string to_winansi(std::string_view utf8);

} // namespace gridlane::billing
