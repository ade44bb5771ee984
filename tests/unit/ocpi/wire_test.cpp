// OCPI 2.2.1 transport and format (transport_and_format.asciidoc, status_codes.asciidoc): the
// envelope, the credentials token header, routing headers, request ids and pagination.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "gridlane/core/base64.hpp"
#include "gridlane/ocpi/wire.hpp"

using namespace gridlane;
using namespace gridlane::ocpi;
namespace json = boost::json;

namespace {

const core::Timestamp t0 = *parse_datetime("2015-06-30T21:59:59Z");

std::string header(const Response &r, std::string_view name) {
  for (const auto &[n, v] : r.headers)
    if (n == name) return v;
  return {};
}

Request get(std::map<std::string, std::string> query) {
  Request r;
  r.method = "GET";
  r.path = "/ocpi/2.2.1/locations";
  r.query = std::move(query);
  return r;
}

TEST(OcpiWire, success_envelope_has_data_code_message_and_timestamp) {
  auto r = success(json::array{1, 2}, t0);
  EXPECT_EQ(r.status, 200);
  auto v = json::parse(r.body).as_object();
  EXPECT_EQ(v.at("data"), (json::array{1, 2}));
  EXPECT_EQ(v.at("status_code").as_int64(), 1000);
  EXPECT_EQ(v.at("timestamp").as_string(), "2015-06-30T21:59:59Z");
  EXPECT_TRUE(v.at("status_message").is_string());
}

TEST(OcpiWire, failure_envelope_has_no_data) {
  auto r = failure(StatusCode::InvalidParameters, "Missing required field: type", t0, 400);
  EXPECT_EQ(r.status, 400);
  auto v = json::parse(r.body).as_object();
  EXPECT_FALSE(v.contains("data"));
  EXPECT_EQ(v.at("status_code").as_int64(), 2001);
  EXPECT_EQ(v.at("status_message").as_string(), "Missing required field: type");
  EXPECT_EQ(v.at("timestamp").as_string(), "2015-06-30T21:59:59Z");
}

TEST(OcpiWire, method_not_allowed_is_405_with_allow) {
  auto r = method_not_allowed("GET, PUT", t0);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header(r, "Allow"), "GET, PUT");
  EXPECT_EQ(json::parse(r.body).at("status_code").as_int64(), 2000);
}

TEST(OcpiWire, token_header_decodes_base64_and_keeps_raw) {
  // The example of transport_and_format.asciidoc is a Base64 text; so is any 2.2.1 token.
  auto t = decode_token_header("Token " + core::base64_encode("ebf3b399-779f-4497-9b9d-ac6ad3cc44d2"));
  ASSERT_TRUE(t);
  ASSERT_TRUE(t->decoded);
  EXPECT_EQ(*t->decoded, "ebf3b399-779f-4497-9b9d-ac6ad3cc44d2");
  EXPECT_EQ(t->raw, core::base64_encode("ebf3b399-779f-4497-9b9d-ac6ad3cc44d2"));
}

TEST(OcpiWire, token_header_accepts_a_raw_token_and_any_case_of_the_scheme) {
  auto t = decode_token_header("token  raw-token-123 ");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->raw, "raw-token-123");
  EXPECT_FALSE(t->decoded); // not Base64
}

TEST(OcpiWire, token_header_drops_the_newline_some_encoders_add) {
  auto t = decode_token_header("Token ZXhhbXBsZS10b2tlbgo="); // "example-token\n"
  ASSERT_TRUE(t && t->decoded);
  EXPECT_EQ(*t->decoded, "example-token");
}

TEST(OcpiWire, token_header_refuses_other_schemes_and_empty_tokens) {
  EXPECT_FALSE(decode_token_header("Bearer abc"));
  EXPECT_FALSE(decode_token_header("Token"));
  EXPECT_FALSE(decode_token_header("Token   "));
  EXPECT_FALSE(decode_token_header("Tokenabc"));
  EXPECT_FALSE(decode_token_header(""));
}

TEST(OcpiWire, token_header_is_encoded_per_partner) {
  EXPECT_EQ(token_header("abc", domain::TokenEncoding::Base64), "Token YWJj");
  EXPECT_EQ(token_header("abc", domain::TokenEncoding::Raw), "Token abc");
}

TEST(OcpiWire, routing_headers_are_read_in_pairs_and_upper_cased) {
  Request r;
  r.headers = {{"ocpi-from-country-code", "nl"},
               {"ocpi-from-party-id", "eXa"},
               {"ocpi-to-country-code", "DE"},
               {"ocpi-to-party-id", "GRL"}};
  auto parsed = parse_routing(r);
  ASSERT_TRUE(std::holds_alternative<Routing>(parsed));
  const auto &routing = std::get<Routing>(parsed);
  EXPECT_EQ(routing.from, (domain::PartyId{"NL", "EXA"}));
  EXPECT_EQ(routing.to, (domain::PartyId{"DE", "GRL"}));
  EXPECT_FALSE(std::get<Routing>(parse_routing(Request{})).from);
}

TEST(OcpiWire, routing_headers_malformed_are_refused_with_the_reason) {
  Request half;
  half.headers = {{"ocpi-from-country-code", "NL"}};
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_routing(half)));
  Request long_cc;
  long_cc.headers = {{"ocpi-to-country-code", "NLD"}, {"ocpi-to-party-id", "EXA"}};
  ASSERT_TRUE(std::holds_alternative<std::string>(parse_routing(long_cc)));
  EXPECT_NE(std::get<std::string>(parse_routing(long_cc)).find("OCPI-to-country-code"), std::string::npos);
  Request bad_pid;
  bad_pid.headers = {{"ocpi-to-country-code", "NL"}, {"ocpi-to-party-id", "E-A"}};
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_routing(bad_pid)));
}

TEST(OcpiWire, random_uuids_are_version_4_and_distinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto u = random_uuid();
    ASSERT_EQ(u.size(), 36u);
    EXPECT_EQ(u[14], '4');
    EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(OcpiWire, page_defaults_to_the_servers_limit) {
  auto p = std::get<Page>(parse_page(get({}), 100, t0));
  EXPECT_EQ(p.offset, 0u);
  EXPECT_EQ(p.limit, 100u);
  EXPECT_FALSE(p.date_from);
  EXPECT_FALSE(p.date_to);
}

TEST(OcpiWire, page_limit_is_capped_at_the_servers_maximum) {
  auto p = std::get<Page>(parse_page(get({{"limit", "2000"}, {"offset", "150"}}), 100, t0));
  EXPECT_EQ(p.limit, 100u);
  EXPECT_EQ(p.offset, 150u);
  EXPECT_EQ(std::get<Page>(parse_page(get({{"limit", "10"}}), 100, t0)).limit, 10u);
}

TEST(OcpiWire, page_reads_date_filters) {
  auto p = std::get<Page>(
      parse_page(get({{"date_from", "2016-01-01T00:00:00Z"}, {"date_to", "2016-12-31T23:59:59Z"}}), 100, t0));
  EXPECT_EQ(format_datetime(*p.date_from), "2016-01-01T00:00:00Z");
  EXPECT_EQ(format_datetime(*p.date_to), "2016-12-31T23:59:59Z");
}

TEST(OcpiWire, page_refuses_malformed_parameters_with_2001) {
  for (auto q : std::vector<std::map<std::string, std::string>>{{{"offset", "-1"}},
                                                                {{"offset", "ten"}},
                                                                {{"limit", "0"}},
                                                                {{"limit", "5x"}},
                                                                {{"limit", ""}},
                                                                {{"limit", "99999999999999999999999"}},
                                                                {{"date_from", "yesterday"}},
                                                                {{"date_to", "2016-13-01T00:00:00Z"}}}) {
    auto out = parse_page(get(q), 100, t0);
    ASSERT_TRUE(std::holds_alternative<Response>(out)) << q.begin()->first << "=" << q.begin()->second;
    const auto &r = std::get<Response>(out);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.body).at("status_code").as_int64(), 2001);
  }
}

TEST(OcpiWire, paged_sets_total_limit_and_a_next_link_keeping_the_filters) {
  Page page{100, 100, parse_datetime("2016-01-01T00:00:00Z"), parse_datetime("2016-12-31T23:59:59Z")};
  json::array items;
  for (int i = 0; i < 100; ++i)
    items.push_back(i);
  auto r = paged(std::move(items), 250, page, "https://www.server.com/ocpi/2.2.1/cdrs", t0);
  EXPECT_EQ(header(r, "X-Total-Count"), "250");
  EXPECT_EQ(header(r, "X-Limit"), "100");
  EXPECT_EQ(header(r, "Link"), "<https://www.server.com/ocpi/2.2.1/cdrs?offset=200&limit=100"
                               "&date_from=2016-01-01T00:00:00Z&date_to=2016-12-31T23:59:59Z>; rel=\"next\"");
  EXPECT_EQ(json::parse(r.body).at("data").as_array().size(), 100u);
}

TEST(OcpiWire, paged_last_page_has_no_link) {
  Page page{200, 100, {}, {}};
  auto r = paged(json::array{1, 2, 3}, 203, page, "https://x/ocpi/2.2.1/cdrs", t0);
  EXPECT_EQ(header(r, "Link"), "");
  EXPECT_EQ(header(r, "X-Total-Count"), "203");
  EXPECT_EQ(header(r, "X-Limit"), "100"); // the upper limit, not the count returned
  auto empty = paged(json::array{}, 0, Page{0, 50, {}, {}}, "https://x/ocpi/2.2.1/cdrs", t0);
  EXPECT_EQ(header(empty, "Link"), "");
  EXPECT_EQ(header(empty, "X-Total-Count"), "0");
}

} // namespace
