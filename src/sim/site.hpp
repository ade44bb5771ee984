#pragma once
//! The site meter's curves (power.cpp), functions of the time of day (UTC): what the simulated
//! site meter adds to the stations' draw.
#include "gridlane/core/time.hpp"

namespace gridlane::sim {

//! The building's load around its mean: +30 % at 15:00, -30 % at 03:00 (a sine over the day), W.
double building_load_w(double mean_w, core::Timestamp t);
//! A clear day's PV production: a half sine from 06:00 to 20:00, `peak_w` at 13:00, 0 at night, W.
double pv_production_w(double peak_w, core::Timestamp t);

} // namespace gridlane::sim
