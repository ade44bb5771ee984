#pragma once
//! Firmware files, stations' firmware statuses and security events, campaigns (migration 0029).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridlane/domain/firmware.hpp"

namespace gridlane::domain {

class FirmwareStore {
public:
  virtual ~FirmwareStore() = default;

  virtual std::int64_t insert_firmware_file(const FirmwareFile &f) = 0;
  virtual std::optional<FirmwareFile> firmware_file(std::int64_t id) = 0;
  virtual std::vector<FirmwareFile> firmware_files() = 0;
  virtual void set_firmware_signature(std::int64_t id, const std::optional<std::string> &signature,
                                      const std::optional<std::string> &signing_certificate) = 0;
  virtual bool delete_firmware_file(std::int64_t id) = 0;

  virtual void record_firmware_status(const FirmwareStatusRecord &r) = 0;
  //! The station's statuses, newest first.
  virtual std::vector<FirmwareStatusRecord> firmware_statuses(const StationId &station, std::size_t limit) = 0;
  virtual std::int64_t insert_security_event(const SecurityEventRecord &e) = 0;
  //! The station's security events, newest first.
  virtual std::vector<SecurityEventRecord> security_events(const StationId &station, std::size_t limit) = 0;

  virtual std::int64_t insert_campaign(const Campaign &c) = 0;
  virtual void update_campaign(const Campaign &c) = 0;
  virtual std::optional<Campaign> campaign(std::int64_t id) = 0;
  virtual std::vector<Campaign> campaigns() = 0;
  //! Campaigns in this state.
  virtual std::vector<Campaign> campaigns_in(CampaignState state) = 0;
  //! Inserts or replaces the row of (campaign, station).
  virtual void put_campaign_station(const CampaignStation &s) = 0;
  //! The campaign's stations in their order.
  virtual std::vector<CampaignStation> campaign_stations(std::int64_t campaign_id) = 0;
};

} // namespace gridlane::domain
