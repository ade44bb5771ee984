#pragma once
//! The depot day's plot: site load (controlled, uncontrolled, the offline optimum's), limit, PV, building load and
//! price over the day, written as a PNG with cairo.
#include <string>

#include "depot_model.hpp"

namespace gridlane::bench::depot {

//! Writes the PNG; false when cairo could not write the file.
bool write_plot(const std::string &path, const Site &site, const DayTrace &controlled, const DayTrace &uncontrolled,
                const std::array<double, kSlots> &offline_import_w);

} // namespace gridlane::bench::depot
