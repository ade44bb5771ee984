// The file part of a multipart/form-data upload (services/multipart.hpp), as 1.6 stations POST
// their diagnostics: boundaries quoted or not, a preamble, a field before the file, binary
// content that contains CRLFs and dashes, and the malformed bodies refused.
#include <gtest/gtest.h>

#include "gridlane/services/diagnostics_service.hpp"
#include "gridlane/services/multipart.hpp"

using namespace gridlane::services;

namespace {

std::string file_of(std::string_view type, const std::string &body) {
  auto part = multipart_file(type, body);
  if (!part) return "error: " + part.error().message;
  return body.substr(part->offset, part->length);
}

} // namespace

TEST(Multipart, boundary_is_read_quoted_or_not_and_refused_when_missing_or_too_long) {
  EXPECT_EQ(*multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(*multipart_boundary("Multipart/Form-Data;Boundary=\"a b;c\""), "a b;c");
  EXPECT_EQ(*multipart_boundary("multipart/form-data; charset=utf-8; boundary=x-1; other=2"), "x-1");
  EXPECT_FALSE(multipart_boundary("application/octet-stream; boundary=abc"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'b')));
}

TEST(Multipart, the_part_with_a_filename_is_taken_after_a_preamble_and_a_field) {
  // Binary content with CRLFs, dashes and a NUL, but never CRLF "--b" (RFC 2046: the sender
  // picks a boundary that does not occur in the content).
  const char raw[] = "line 1\r\n-b\r\n\r\n--c\0end\r\n";
  std::string content(raw, sizeof raw - 1);
  std::string body = "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                     "--b\r\ncontent-disposition: form-data; name=\"file\"; filename=\"diag.zip\"\r\n"
                     "Content-Type: application/zip\r\n\r\n" +
                     content + "\r\n--b--\r\nepilogue";
  auto part = multipart_file("multipart/form-data; boundary=b", body);
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(body.substr(part->offset, part->length), content);
  EXPECT_EQ(part->file_name, "diag.zip");
  EXPECT_EQ(part->content_type, "application/zip");
}

TEST(Multipart, without_a_filename_the_first_part_is_taken) {
  EXPECT_EQ(file_of("multipart/form-data; boundary=zz", "--zz\r\n\r\nfirst\r\n--zz\r\n\r\nsecond\r\n--zz--"), "first");
  EXPECT_EQ(file_of("multipart/form-data; boundary=zz", "--zz\r\n\r\n\r\n--zz--\r\n"), "");
}

TEST(Multipart, malformed_bodies_are_refused) {
  const std::string type = "multipart/form-data; boundary=b";
  EXPECT_FALSE(multipart_file(type, ""));
  EXPECT_FALSE(multipart_file(type, "no boundary here"));
  EXPECT_FALSE(multipart_file(type, "--b\r\nContent-Type: text/plain"));    // no end of header
  EXPECT_FALSE(multipart_file(type, "--b\r\n\r\ncontent without a close")); // no closing boundary
  EXPECT_FALSE(multipart_file(type, "--bXYZ\r\n\r\nx\r\n--b--"));           // a longer delimiter is not ours
  EXPECT_FALSE(multipart_file(type, "--b--"));                              // no part at all
}

TEST(Multipart, file_names_are_made_safe_to_keep) {
  EXPECT_EQ(safe_file_name("diag.zip"), "diag.zip");
  EXPECT_EQ(safe_file_name("../../etc/passwd"), "passwd");
  EXPECT_EQ(safe_file_name("C:\\logs\\station 1.log"), "station_1.log");
  EXPECT_EQ(safe_file_name(".hidden"), "hidden");
  EXPECT_EQ(safe_file_name(".."), "upload.log");
  EXPECT_EQ(safe_file_name(""), "upload.log");
  EXPECT_EQ(safe_file_name(std::string(300, 'a')).size(), 100u);
}
