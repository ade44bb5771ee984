// The one mapping of a ServiceError to HTTP problem+json.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gridlane/api/problem.hpp"

using namespace gridlane;
using domain::ServiceError;

TEST(Problem, each_code_has_one_status) {
  EXPECT_EQ(api::http_status(ServiceError::invalid("x", "password")), 422);
  EXPECT_EQ(api::http_status(ServiceError::invalid("x")), 422);
  EXPECT_EQ(api::http_status(api::bad_query("limit", "x")), 400);
  EXPECT_EQ(api::http_status(api::bad_body("x")), 400);
  EXPECT_EQ(api::http_status(ServiceError::not_found("x")), 404);
  EXPECT_EQ(api::http_status(ServiceError::conflict("x")), 409);
  EXPECT_EQ(api::http_status(ServiceError::forbidden("x")), 403);
  EXPECT_EQ(api::http_status(ServiceError::unavailable("x")), 503);
  EXPECT_EQ(api::http_status(ServiceError::internal("x")), 500);
}

TEST(Problem, body_carries_status_title_detail_and_field) {
  auto r = api::problem_response(ServiceError::invalid("password must be 16 to 40 characters", "password"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("type"), "about:blank");
  EXPECT_EQ(body.at("title"), "Unprocessable Entity");
  EXPECT_EQ(body.at("status"), 422);
  EXPECT_EQ(body.at("detail"), "password must be 16 to 40 characters");
  EXPECT_EQ(body.at("field"), "password");

  auto q = boost::json::parse(api::problem_response(api::bad_query("limit", "limit must be at most 1000")).body);
  EXPECT_EQ(q.at("status"), 400);
  EXPECT_EQ(q.at("field"), "limit") << "a query parameter by its name";
  auto b = boost::json::parse(api::problem_response(api::bad_body("request body must be a JSON object")).body);
  EXPECT_FALSE(b.as_object().contains("field"));
  auto nf = boost::json::parse(api::problem_response(ServiceError::not_found("no such station")).body);
  EXPECT_FALSE(nf.as_object().contains("field"));
}

TEST(Problem, internal_details_stay_out_of_the_body) {
  auto r = api::problem_response(ServiceError::internal("disk I/O error at /var/lib/gridlane.db"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(boost::json::parse(r.body).at("detail"), "internal error");
}

TEST(Problem, unauthorized_and_retry_after_headers) {
  auto r = api::problem_response(401, "credentials needed");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "WWW-Authenticate");
  auto busy = api::problem_response(503, "busy", std::nullopt, std::chrono::seconds{2});
  ASSERT_EQ(busy.headers.size(), 1u);
  EXPECT_EQ(busy.headers[0], (std::pair<std::string, std::string>{"Retry-After", "2"}));
  EXPECT_EQ(boost::json::parse(busy.body).at("title"), "Service Unavailable");
}
