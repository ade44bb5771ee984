// store::open: the configured engine, chosen in one place.
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "gridlane/store/store.hpp"

using namespace gridlane;

namespace {

TEST(StoreOpen, opens_the_sqlite_file_the_url_names_and_migrates_it) {
  auto dir = std::filesystem::temp_directory_path() / ("gridlane-open-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  core::DatabaseConfig config;
  config.url = "sqlite://" + (dir / "cs.db").string(); // sqlite:///abs/path
  auto store = store::open(config);
  EXPECT_TRUE(std::filesystem::exists(dir / "cs.db"));
  EXPECT_GE(store->schema_version(), 7);
  EXPECT_EQ(store->describe(), "sqlite:" + (dir / "cs.db").string());
  domain::IdToken token{"CARD-1", domain::TokenStatus::Accepted, std::nullopt, std::nullopt};
  store->run([&](domain::Repository &r) { r.upsert_id_token(token); });
  std::optional<domain::IdToken> read;
  store->run([&](domain::Repository &r) { read = r.id_token("CARD-1"); });
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, domain::TokenStatus::Accepted);
  store->stop();
  std::filesystem::remove_all(dir);
}

TEST(StoreOpen, a_postgres_url_is_a_clear_error_in_this_build) {
  core::DatabaseConfig config;
  config.url = "postgresql://gridlane@localhost/gridlane";
  try {
    store::open(config);
    FAIL() << "a PostgreSQL store was opened";
  } catch (const store::StoreConfigError &e) {
    EXPECT_NE(std::string(e.what()).find("not available in this build"), std::string::npos) << e.what();
  }
}

TEST(StoreOpen, an_unknown_engine_is_a_clear_error) {
  core::DatabaseConfig config;
  config.url = "oracle:cs";
  try {
    store::open(config);
    FAIL() << "an unknown engine was opened";
  } catch (const store::StoreConfigError &e) {
    EXPECT_NE(std::string(e.what()).find("unknown engine 'oracle'"), std::string::npos) << e.what();
  }
}

} // namespace
