#pragma once
#include <CLI/CLI.hpp>

#include "admin_account.hpp"
#include "admin_cdrs.hpp"
#include "admin_driver.hpp"
#include "admin_energy.hpp"
#include "admin_invoice.hpp"
#include "admin_location.hpp"
#include "admin_ocpi.hpp"
#include "admin_reports.hpp"
#include "admin_tariff.hpp"
#include "admin_tariff_assign.hpp"
#include "gridlane/core/config.hpp"

namespace gridlane::app {

//! `gridlane admin ...`: stations, id tokens and transactions in the configured database.
class AdminCommands {
public:
  void attach(CLI::App &cli);
  int run(const core::Config &config);

private:
  AdminLocationCommands locations_;
  AdminEnergyCommands energy_;
  AdminInvoiceCommands invoices_;
  AdminCdrCommands cdrs_;
  AdminReportCommands reports_;
  AdminTariffAssignCommands tariff_assignments_; //!< attached after `admin tariff` exists
  AdminAccountCommands accounts_;
  AdminTariffCommands tariffs_;
  AdminDriverCommands drivers_;
  AdminOcpiCommands ocpi_;
  CLI::App *station_add_ = nullptr;
  CLI::App *station_accept_ = nullptr;
  CLI::App *station_show_ = nullptr;
  CLI::App *station_compat_ = nullptr;
  std::string compat_timestamps_;
  std::string compat_extra_properties_;
  CLI::App *token_add_ = nullptr;
  CLI::App *user_add_ = nullptr;
  CLI::App *api_key_create_ = nullptr;
  std::string username_;
  std::string role_ = "viewer";
  std::string key_name_;
  CLI::App *stations_ = nullptr;
  CLI::App *transactions_ = nullptr;
  std::string station_id_;
  std::string password_;
  bool pending_ = false;
  std::string site_;
  std::string tag_;
  std::string token_status_ = "Accepted";
  std::string expires_;
  std::string parent_;
  bool json_ = false;
  std::string filter_station_;
};

} // namespace gridlane::app
