// The depot day's plot (cairo, PNG): site load controlled and uncontrolled, the limit with
// its demand-response step, PV, the building and the time-of-use price over the day.
#include "depot_plot.hpp"

#include <algorithm>
#include <cairo.h>
#include <cmath>
#include <cstdio>
#include <memory>

namespace gridlane::bench::depot {

namespace {

constexpr int kWidth = 1600, kHeight = 900;
constexpr double kLeft = 90, kRight = 90, kTop = 60, kBottom = 80;

struct Frame {
  double kw_min, kw_max, price_max;
  double x(double minute) const { return kLeft + minute / kMinutes * (kWidth - kLeft - kRight); }
  double y(double kw) const { return kTop + (kw_max - kw) / (kw_max - kw_min) * (kHeight - kTop - kBottom); }
  double yp(double price) const { return kTop + (1 - price / price_max) * (kHeight - kTop - kBottom); }
};

void colour(cairo_t *cr, unsigned rgb, double alpha = 1) {
  cairo_set_source_rgba(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0, alpha);
}

template <class F> void line(cairo_t *cr, const Frame &f, F kw_at, unsigned rgb, double width, bool dashed = false) {
  colour(cr, rgb);
  cairo_set_line_width(cr, width);
  const double dash[] = {8, 5};
  cairo_set_dash(cr, dash, dashed ? 2 : 0, 0);
  cairo_move_to(cr, f.x(0), f.y(kw_at(0)));
  for (int m = 1; m < kMinutes; ++m)
    cairo_line_to(cr, f.x(m), f.y(kw_at(m)));
  cairo_stroke(cr);
  cairo_set_dash(cr, dash, 0, 0);
}

void text(cairo_t *cr, double x, double y, const char *s, double size = 15, bool right = false) {
  cairo_set_font_size(cr, size);
  cairo_text_extents_t e;
  cairo_text_extents(cr, s, &e);
  cairo_move_to(cr, right ? x - e.width : x, y);
  cairo_show_text(cr, s);
}

} // namespace

bool write_plot(const std::string &path, const Site &site, const DayTrace &controlled, const DayTrace &uncontrolled,
                const std::array<double, kSlots> &offline_import_w) {
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, kWidth, kHeight), &cairo_surface_destroy);
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> ctx(cairo_create(surface.get()), &cairo_destroy);
  cairo_t *cr = ctx.get();
  Frame f{-100, 100, 0.4};
  for (int m = 0; m < kMinutes; ++m) {
    f.kw_max = std::max({f.kw_max, uncontrolled.site_w[m] / 1000, controlled.site_w[m] / 1000});
    f.kw_min = std::min({f.kw_min, controlled.site_w[m] / 1000, -site.pv_w[m] / 1000});
  }
  f.kw_max = std::ceil(f.kw_max / 100) * 100;
  f.kw_min = std::floor(f.kw_min / 100) * 100;
  colour(cr, 0xffffff);
  cairo_paint(cr);
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

  // Grid, axes and labels: kW on the left, EUR/kWh on the right, the hours below.
  char buf[64];
  cairo_set_line_width(cr, 1);
  for (double kw = f.kw_min; kw <= f.kw_max + 1; kw += 100) {
    colour(cr, kw == 0 ? 0x888888 : 0xe4e4e4);
    cairo_move_to(cr, kLeft, f.y(kw));
    cairo_line_to(cr, kWidth - kRight, f.y(kw));
    cairo_stroke(cr);
    colour(cr, 0x333333);
    std::snprintf(buf, sizeof buf, "%.0f", kw);
    text(cr, kLeft - 8, f.y(kw) + 5, buf, 14, true);
  }
  for (double price = 0; price <= f.price_max + 1e-9; price += 0.1) {
    colour(cr, 0x2e7d32);
    std::snprintf(buf, sizeof buf, "%.2f", price);
    text(cr, kWidth - kRight + 8, f.yp(price) + 5, buf, 14);
  }
  for (int m = 0; m <= kMinutes; m += 120) {
    colour(cr, 0xe4e4e4);
    cairo_move_to(cr, f.x(m), kTop);
    cairo_line_to(cr, f.x(m), kHeight - kBottom);
    cairo_stroke(cr);
    colour(cr, 0x333333);
    std::snprintf(buf, sizeof buf, "%02d:00", (kStartHour + m / 60) % 24);
    text(cr, f.x(m) - 20, kHeight - kBottom + 22, buf, 14);
  }
  colour(cr, 0x333333);
  char title[160];
  std::snprintf(title, sizeof title,
                "Depot day: 60 vehicles, 400 kW connection, PV, time-of-use price, DR event 15:00-17:00 (%lld kW)",
                static_cast<long long>(site.dr_limit_w / 1000));
  text(cr, kLeft, 32, title, 18);
  text(cr, 20, kTop - 12, "kW", 14);
  colour(cr, 0x2e7d32);
  text(cr, kWidth - kRight + 8, kTop - 12, "EUR/kWh", 14);

  // The demand-response window, shaded.
  colour(cr, 0xffcc80, 0.25);
  cairo_rectangle(cr, f.x(site.dr_from), kTop, f.x(site.dr_to) - f.x(site.dr_from), kHeight - kTop - kBottom);
  cairo_fill(cr);
  // PV as a filled area below zero (production is negative load).
  colour(cr, 0xf9a825, 0.35);
  cairo_move_to(cr, f.x(0), f.y(0));
  for (int m = 0; m < kMinutes; ++m)
    cairo_line_to(cr, f.x(m), f.y(-site.pv_w[m] / 1000));
  cairo_line_to(cr, f.x(kMinutes - 1), f.y(0));
  cairo_close_path(cr);
  cairo_fill(cr);

  // The price as steps on the right axis.
  colour(cr, 0x2e7d32);
  cairo_set_line_width(cr, 2);
  cairo_move_to(cr, f.x(0), f.yp(site.price_millis_at(0) / 1000.0));
  for (int m = 1; m < kMinutes; ++m) {
    cairo_line_to(cr, f.x(m), f.yp(site.price_millis_at(m - 1) / 1000.0));
    cairo_line_to(cr, f.x(m), f.yp(site.price_millis_at(m) / 1000.0));
  }
  cairo_stroke(cr);

  line(
      cr, f, [&](int m) { return uncontrolled.site_w[m] / 1000; }, 0x9e9e9e, 1.5);
  line(
      cr, f, [&](int m) { return site.building_w[m] / 1000; }, 0x6d4c41, 1.5, true);
  line(
      cr, f, [&](int m) { return static_cast<double>(site.limit_at(m)) / 1000; }, 0xc62828, 2.5);
  line(
      cr, f, [&](int m) { return offline_import_w[static_cast<std::size_t>(m / kSlotMinutes)] / 1000; }, 0x6a1b9a, 1.5,
      true);
  line(
      cr, f, [&](int m) { return controlled.site_w[m] / 1000; }, 0x1565c0, 2);

  // Legend.
  struct Item {
    unsigned rgb;
    const char *label;
  } items[] = {{0xc62828, "limit (DR event lowers it)"},
               {0x1565c0, "site load, controlled (net of PV)"},
               {0x9e9e9e, "site load, uncontrolled"},
               {0x6a1b9a, "import of the offline optimum (15-min)"},
               {0x6d4c41, "building load"},
               {0xf9a825, "PV production (negative load)"},
               {0x2e7d32, "energy price (right axis)"}};
  double ly = kTop + 20;
  for (const auto &it : items) {
    colour(cr, 0xffffff, 0.85);
    cairo_rectangle(cr, kLeft + 10, ly - 14, 330, 22);
    cairo_fill(cr);
    colour(cr, it.rgb);
    cairo_rectangle(cr, kLeft + 16, ly - 8, 26, 6);
    cairo_fill(cr);
    colour(cr, 0x333333);
    text(cr, kLeft + 50, ly, it.label, 14);
    ly += 22;
  }
  cairo_surface_flush(surface.get());
  return cairo_surface_write_to_png(surface.get(), path.c_str()) == CAIRO_STATUS_SUCCESS;
}

} // namespace gridlane::bench::depot
