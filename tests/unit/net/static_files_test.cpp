#include "gridlane/net/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <random>

namespace gridlane::net {
namespace {
namespace fs = std::filesystem;

//! A temporary web root that is removed with the test.
struct TempRoot {
  TempRoot() {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("gridlane-static-" + std::to_string(rd()));
    fs::create_directories(dir / "dist" / "assets");
  }
  ~TempRoot() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void write(const fs::path &rel, const std::string &bytes) const {
    fs::create_directories((dir / "dist" / rel).parent_path());
    std::ofstream(dir / "dist" / rel, std::ios::binary) << bytes;
  }
  fs::path root() const { return dir / "dist"; }
  fs::path dir;
};

std::string header(const StaticReply &r, std::string_view name) {
  for (const auto &[n, v] : r.headers)
    if (n == name) return v;
  return "(none)";
}

TEST(StaticPath, DecodesAndRefusesWhatCouldLeaveTheRoot) {
  EXPECT_EQ(decode_static_path("/"), "/");
  EXPECT_EQ(decode_static_path("/drive/evse/DE%2AGRL%2AE1"), "/drive/evse/DE*GRL*E1");
  EXPECT_EQ(decode_static_path("/assets/"), "/assets/");
  for (std::string_view bad : {"", "relative", "/..", "/a/../b", "/%2e%2e/x", "/a/%2E%2E", "/./x", "/a//b", "/%00",
                               "/a%5cb", "/%", "/%4", "/%g0", "/a\\b"})
    EXPECT_FALSE(decode_static_path(bad)) << bad;
}

TEST(StaticHeaders, GzipIsAcceptedUnlessWeightedZero) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("br, GZip;q=0.5"));
  EXPECT_TRUE(accepts_gzip("deflate, gzip, br"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("gzipx"));
}

TEST(StaticHeaders, EtagsMatchByWeakComparisonAndStar) {
  EXPECT_TRUE(etag_matches("\"a-1\"", "\"a-1\""));
  EXPECT_TRUE(etag_matches("\"b\", W/\"a-1\"", "\"a-1\""));
  EXPECT_TRUE(etag_matches("*", "\"a-1\""));
  EXPECT_FALSE(etag_matches("\"a-2\"", "\"a-1\""));
  EXPECT_FALSE(etag_matches("a-1", "\"a-1\""));
}

TEST(StaticHeaders, ContentTypeByExtension) {
  EXPECT_EQ(content_type_of("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_of("assets/x-1a2b.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_of("a.b/file"), "application/octet-stream");
  EXPECT_EQ(content_type_of("font.woff2"), "font/woff2");
}

TEST(StaticSite, ServesFilesHistoryPagesAndRefusals) {
  TempRoot t;
  t.write("index.html", "console");
  t.write("drive/index.html", "drive");
  t.write("assets/app-1.js", "js");
  auto site = StaticSite::load(StaticOptions{t.root()});
  ASSERT_TRUE(site.built());
  EXPECT_EQ(site.file_count(), 3U);
  auto get = [&site](std::string_view path) { return site.answer(StaticRequest{StaticMethod::Get, path, {}, {}}); };
  EXPECT_EQ(get("/").body, "console");
  EXPECT_EQ(get("/stations/CP-1").body, "console");
  EXPECT_EQ(get("/drive").body, "drive");
  EXPECT_EQ(get("/drive/evse/X").body, "drive");
  EXPECT_EQ(get("/drivers").body, "console");
  auto js = get("/assets/app-1.js");
  EXPECT_EQ(js.body, "js");
  EXPECT_EQ(header(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(get("/assets/app-2.js").status, 404);
  EXPECT_EQ(get("/api/v2").status, 404);
  EXPECT_EQ(get("/healthz").body, "console"); // only /health and below are the server's
  auto post = site.answer(StaticRequest{StaticMethod::Other, "/", {}, {}});
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(header(post, "Allow"), "GET, HEAD");
  auto head = site.answer(StaticRequest{StaticMethod::Head, "/", {}, {}});
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.content_length, 7U);
}

TEST(StaticSite, FilesOverTheCapsAreLeftOut) {
  TempRoot t;
  t.write("index.html", "console");
  t.write("assets/big.js", std::string(2000, 'x'));
  auto site = StaticSite::load(StaticOptions{t.root(), 1000, 1 << 20});
  EXPECT_EQ(site.file_count(), 1U);
  EXPECT_EQ(site.answer(StaticRequest{StaticMethod::Get, "/assets/big.js", {}, {}}).status, 404);
}

TEST(StaticSite, AMissingRootIsNotBuiltAndSaysHow) {
  auto site = StaticSite::load(StaticOptions{"/nonexistent/gridlane/web/dist"});
  EXPECT_FALSE(site.built());
  auto page = site.answer(StaticRequest{StaticMethod::Get, "/", {}, {}});
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("npm run build"), std::string_view::npos);
  EXPECT_EQ(site.answer(StaticRequest{StaticMethod::Get, "/assets/a.js", {}, {}}).status, 404);
}

} // namespace
} // namespace gridlane::net
