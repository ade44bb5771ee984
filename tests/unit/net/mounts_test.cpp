#include "gridlane/net/mounts.hpp"

#include <gtest/gtest.h>

namespace gridlane::net {
namespace {

//! The server's mounts, with names for handlers.
MountTable<std::string> server_like() {
  MountTable<std::string> t;
  t.add("/ocpp/", MountMatch::Prefix, "stations");
  t.add("/api/v1/", MountMatch::Prefix, "api");
  t.add("/api/v1/events", MountMatch::Exact, "events");
  t.add("/health", MountMatch::Exact, "health");
  return t;
}

std::string served_by(const MountTable<std::string> &t, std::string_view target) {
  const auto *m = t.find(target_path(target));
  return m ? m->handler : "(none)";
}

TEST(MountTable, PrefixMountsServeTheirSubtree) {
  auto t = server_like();
  EXPECT_EQ(served_by(t, "/ocpp/CP-1"), "stations");
  EXPECT_EQ(served_by(t, "/ocpp/"), "stations");
  EXPECT_EQ(served_by(t, "/api/v1/stations/CP-1"), "api");
  EXPECT_EQ(served_by(t, "/api/v1/stations?limit=5"), "api");
  EXPECT_EQ(served_by(t, "/api/v1"), "api"); // the mount's path without its final '/'
  EXPECT_EQ(served_by(t, "/api/v1?x=1"), "api");
}

TEST(MountTable, ExactMountsServeOnlyTheirPath) {
  auto t = server_like();
  EXPECT_EQ(served_by(t, "/health"), "health");
  EXPECT_EQ(served_by(t, "/health?verbose=1"), "health");
  EXPECT_EQ(served_by(t, "/health/"), "(none)");
  EXPECT_EQ(served_by(t, "/healthz"), "(none)");
  // An exact mount inside a prefix mount wins for its path only.
  EXPECT_EQ(served_by(t, "/api/v1/events"), "events");
  EXPECT_EQ(served_by(t, "/api/v1/events?station=CP-1"), "events");
  EXPECT_EQ(served_by(t, "/api/v1/events/"), "api");
  EXPECT_EQ(served_by(t, "/api/v1/eventsx"), "api");
}

TEST(MountTable, UnknownPathsAreServedByNoMount) {
  auto t = server_like();
  EXPECT_EQ(served_by(t, "/"), "(none)");
  EXPECT_EQ(served_by(t, "/ocpp"), "stations"); // like /api/v1
  EXPECT_EQ(served_by(t, "/ocppx/CP-1"), "(none)");
  EXPECT_EQ(served_by(t, "/api/v2/stations"), "(none)");
  EXPECT_EQ(served_by(t, "/API/v1/stations"), "(none)"); // paths are case-sensitive
  EXPECT_EQ(served_by(t, ""), "(none)");
  EXPECT_EQ(served_by(t, "?/health"), "(none)");
}

TEST(MountTable, TheLongestPrefixWinsAndTheRootTakesTheRest) {
  auto t = server_like();
  t.add("/", MountMatch::Prefix, "console");
  t.add("/ocpi/", MountMatch::Prefix, "ocpi");
  t.add("/ocpi/2.2.1/", MountMatch::Prefix, "ocpi 2.2.1");
  EXPECT_EQ(served_by(t, "/"), "console");
  EXPECT_EQ(served_by(t, "/index.html"), "console");
  EXPECT_EQ(served_by(t, "/api/v2/stations"), "console");
  EXPECT_EQ(served_by(t, "/ocpi/versions"), "ocpi");
  EXPECT_EQ(served_by(t, "/ocpi/2.2.1/locations"), "ocpi 2.2.1");
  EXPECT_EQ(served_by(t, "/api/v1/stations"), "api");
  EXPECT_EQ(served_by(t, "/health"), "health");
  EXPECT_EQ(t.mounts().size(), 7u);
}

} // namespace
} // namespace gridlane::net
