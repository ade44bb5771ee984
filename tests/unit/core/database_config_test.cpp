// The [database] section: database.url chooses the engine; database.path and --db are aliases
// for a SQLite file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "gridlane/core/config.hpp"
#include "support/config_file.hpp"

using namespace gridlane;

namespace {

core::Config load(const std::string &text) {
  return test_support::load_config_text(text);
}

TEST(DatabaseConfig, defaults_to_a_sqlite_file_in_the_working_directory) {
  core::Config c;
  EXPECT_EQ(c.database.url, "sqlite:gridlane.db");
  auto url = core::parse_database_url(c.database.url);
  EXPECT_EQ(url.engine, core::DatabaseEngine::Sqlite);
  EXPECT_EQ(url.target, "gridlane.db");
}

TEST(DatabaseConfig, reads_the_url_in_its_three_sqlite_spellings) {
  EXPECT_EQ(load("[database]\nurl = \"sqlite:data/cs.db\"\n").database.url, "sqlite:data/cs.db");
  EXPECT_EQ(core::parse_database_url("sqlite:data/cs.db").target, "data/cs.db");
  EXPECT_EQ(core::parse_database_url("sqlite:///var/lib/gridlane/cs.db").target, "/var/lib/gridlane/cs.db");
  EXPECT_EQ(core::parse_database_url("sqlite:/var/lib/gridlane/cs.db").target, "/var/lib/gridlane/cs.db");
  EXPECT_EQ(core::parse_database_url("SQLite:cs.db").engine, core::DatabaseEngine::Sqlite); // schemes ignore case
}

TEST(DatabaseConfig, path_is_an_alias_for_a_sqlite_url) {
  EXPECT_EQ(load("[database]\npath = \"/tmp/cs.db\"\n").database.url, "sqlite:/tmp/cs.db");
  EXPECT_EQ(load("[database]\npath = \"cs.db\"\nsynchronous = \"normal\"\n").database.url, "sqlite:cs.db");
  EXPECT_THROW(load("[database]\npath = \"a.db\"\nurl = \"sqlite:b.db\"\n"), core::ConfigError);
  EXPECT_THROW(load("[database]\npath = \"\"\n"), core::ConfigError);
}

TEST(DatabaseConfig, the_command_line_takes_a_file_or_a_url) {
  EXPECT_EQ(core::database_url_of("cs.db"), "sqlite:cs.db");
  EXPECT_EQ(core::database_url_of("/tmp/x/cs.db"), "sqlite:/tmp/x/cs.db");
  EXPECT_EQ(core::database_url_of("sqlite:///tmp/cs.db"), "sqlite:///tmp/cs.db");
  EXPECT_EQ(core::database_url_of("postgresql://db/gridlane"), "postgresql://db/gridlane");
  EXPECT_EQ(core::database_url_of("mysql://db/gridlane"), "mysql://db/gridlane"); // refused by name later
  EXPECT_THROW(core::parse_database_url(core::database_url_of("mysql://db/gridlane")), core::ConfigError);
}

TEST(DatabaseConfig, postgres_urls_are_recognised_and_unknown_engines_refused) {
  auto pg = load("[database]\nurl = \"postgres://gridlane@db.internal/gridlane\"\n");
  EXPECT_EQ(core::parse_database_url(pg.database.url).engine, core::DatabaseEngine::Postgres);
  EXPECT_EQ(core::parse_database_url("postgresql://h/db").target, "postgresql://h/db");
  try {
    load("[database]\nurl = \"mysql://h/db\"\n");
    FAIL() << "an unknown engine was accepted";
  } catch (const core::ConfigError &e) {
    EXPECT_NE(std::string(e.what()).find("unknown engine 'mysql'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load("[database]\nurl = \"gridlane.db\"\n"), core::ConfigError); // no engine
  EXPECT_THROW(load("[database]\nurl = \"sqlite:\"\n"), core::ConfigError);     // no file
  EXPECT_THROW(load("[database]\nurl = \"sqlite://host/cs.db\"\n"), core::ConfigError);
  EXPECT_THROW(load("[database]\nurl = \"sqlite:cs.db?mode=ro\"\n"), core::ConfigError);
}

} // namespace
