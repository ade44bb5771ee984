// The physical model's value checks and enum codecs (OCPI 2.2.1 mod_locations, eMI3 EVSE ids).
#include <gtest/gtest.h>

#include "gridlane/domain/location.hpp"

using namespace gridlane::domain;

TEST(Emi3EvseId, accepts_the_forms_of_emi3_and_ocpi) {
  for (const char *id :
       {"NL*GLN*E000123*1", "NLGLNE000123", "BE*BEC*E041503001", "DE*AB7*E840*6487", "nl*gln*e1", "FR*A23*E45B*78C"})
    EXPECT_TRUE(Emi3EvseId::parse(id)) << id;
}

TEST(Emi3EvseId, refuses_what_is_not_an_evse_id) {
  for (const char *id : {"", "NL*GLN*000123",                       // no E
                         "NL*GLN*E",                                // no outlet id
                         "NL*GL*E123",                              // operator of 2
                         "N1*GLN*E123",                             // country with a digit
                         "NL*GLNE123",                              // separators mixed
                         "NLGLN*E123",                              // separators mixed
                         "NL*GLN*E12-3",                            // '-' in the outlet id
                         "NL*GLN*E 123",                            // space
                         "NL*GLN*E1234567890123456789012345678901", // outlet id over 30
                         "NL*GLN*X123"})
    EXPECT_FALSE(Emi3EvseId::parse(id)) << id;
}

TEST(LocationId, is_an_ocpi_ciString_of_at_most_36) {
  EXPECT_TRUE(LocationId::parse("LOC1"));
  EXPECT_TRUE(LocationId::parse("a.b_c-D"));
  EXPECT_TRUE(LocationId::parse(std::string(36, 'x')));
  EXPECT_FALSE(LocationId::parse(std::string(37, 'x')));
  EXPECT_FALSE(LocationId::parse(""));
  EXPECT_FALSE(LocationId::parse("a/b"));
  EXPECT_FALSE(LocationId::parse("a b"));
}

TEST(GeoLocation, coordinates_follow_the_ocpi_pattern_and_range) {
  EXPECT_TRUE(valid_latitude("51.047599"));
  EXPECT_TRUE(valid_latitude("-90.0000000"));
  EXPECT_TRUE(valid_longitude("-126.104965"));
  EXPECT_TRUE(valid_longitude("180.00000"));
  EXPECT_FALSE(valid_latitude("51.0475"));     // four decimals
  EXPECT_FALSE(valid_latitude("51.04759912")); // eight
  EXPECT_FALSE(valid_latitude("90.000001"));   // beyond the pole
  EXPECT_FALSE(valid_latitude("123.000000"));  // three digits
  EXPECT_FALSE(valid_latitude("51,047599"));
  EXPECT_FALSE(valid_latitude("5e1.00000"));
  EXPECT_FALSE(valid_longitude("180.000001"));
  EXPECT_FALSE(valid_longitude("-1800.00000"));
  EXPECT_FALSE(valid_longitude(".000000"));
}

TEST(Location, country_and_clock_times) {
  EXPECT_TRUE(valid_country_alpha3("NLD"));
  EXPECT_FALSE(valid_country_alpha3("NL"));
  EXPECT_FALSE(valid_country_alpha3("nld"));
  EXPECT_TRUE(valid_clock_time("08:00"));
  EXPECT_TRUE(valid_clock_time("23:59"));
  EXPECT_FALSE(valid_clock_time("24:00"));
  EXPECT_TRUE(valid_clock_time("24:00", true));
  EXPECT_FALSE(valid_clock_time("8:00"));
  EXPECT_FALSE(valid_clock_time("08:60"));
}

TEST(LocationCodecs, every_enum_round_trips_through_its_ocpi_text) {
  EXPECT_EQ(to_string(PowerType::Ac1Phase), "AC_1_PHASE");
  EXPECT_EQ(to_string(PowerType::Ac2Phase), "AC_2_PHASE");
  EXPECT_EQ(to_string(PowerType::Ac3Phase), "AC_3_PHASE");
  EXPECT_EQ(to_string(PowerType::Dc), "DC");
  EXPECT_EQ(to_string(ConnectorFormat::Cable), "CABLE");
  EXPECT_EQ(to_string(ConnectorStandard::Iec62196T2Combo), "IEC_62196_T2_COMBO");
  EXPECT_EQ(to_string(ConnectorStandard::Iec603092Three32), "IEC_60309_2_three_32");
  EXPECT_EQ(to_string(EvseStatus::OutOfOrder), "OUTOFORDER");
  EXPECT_EQ(to_string(Capability::RfidReader), "RFID_READER");
  EXPECT_EQ(to_string(Facility::TrainStation), "TRAIN_STATION");
  EXPECT_EQ(to_string(ParkingType::UndergroundGarage), "UNDERGROUND_GARAGE");
  for (int i = 0; i <= static_cast<int>(ConnectorStandard::TeslaS); ++i) {
    auto v = static_cast<ConnectorStandard>(i);
    EXPECT_EQ(parse_connector_standard(to_string(v)), v) << i;
  }
  for (int i = 0; i <= static_cast<int>(Capability::UnlockCapable); ++i) {
    auto v = static_cast<Capability>(i);
    EXPECT_EQ(parse_capability(to_string(v)), v) << i;
  }
  for (int i = 0; i <= static_cast<int>(Facility::Wifi); ++i) {
    auto v = static_cast<Facility>(i);
    EXPECT_EQ(parse_facility(to_string(v)), v) << i;
  }
  for (int i = 0; i <= static_cast<int>(EvseStatus::Unknown); ++i) {
    auto v = static_cast<EvseStatus>(i);
    EXPECT_EQ(parse_evse_status(to_string(v)), v) << i;
  }
  for (int i = 0; i <= static_cast<int>(ParkingType::UndergroundGarage); ++i) {
    auto v = static_cast<ParkingType>(i);
    EXPECT_EQ(parse_parking_type(to_string(v)), v) << i;
  }
  for (int i = 0; i <= static_cast<int>(PowerType::Dc); ++i) {
    auto v = static_cast<PowerType>(i);
    EXPECT_EQ(parse_power_type(to_string(v)), v) << i;
  }
  EXPECT_FALSE(parse_power_type("AC"));
  EXPECT_FALSE(parse_connector_format("socket")); // OCPI enums are case-sensitive
  EXPECT_FALSE(parse_evse_status(""));
}
