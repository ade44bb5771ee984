#include "gridlane/api/problem.hpp"

#include <boost/json.hpp>

#include "gridlane/core/json_text.hpp"

namespace gridlane::api {

std::string_view status_title(int status) {
  switch (status) {
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 403: return "Forbidden";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 409: return "Conflict";
  case 413: return "Payload Too Large";
  case 422: return "Unprocessable Entity";
  case 429: return "Too Many Requests";
  case 500: return "Internal Server Error";
  case 503: return "Service Unavailable";
  default: return "Error";
  }
}

std::string problem_body(int status, std::string_view detail) {
  return core::to_json_text(boost::json::object{
      {"type", "about:blank"}, {"title", status_title(status)}, {"status", status}, {"detail", detail}});
}

Response problem_response(int status, std::string_view detail) {
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = problem_body(status, detail);
  return r;
}

} // namespace gridlane::api
