// The one mapping of a ServiceError to an HTTP problem+json response.
#include "gridlane/api/problem.hpp"

#include <boost/json.hpp>

#include "gridlane/core/json_text.hpp"

namespace gridlane::api {
using domain::ServiceError;

namespace {
constexpr std::string_view body_field = "(body)";
}

std::string_view reason_phrase(int status) {
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

Response problem_response(int status, std::string_view detail, std::optional<std::string_view> field,
                          std::chrono::seconds retry_after) {
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  boost::json::object body{
      {"type", "about:blank"}, {"title", reason_phrase(status)}, {"status", status}, {"detail", detail}};
  if (field) body["field"] = *field;
  r.body = core::to_json_text(body);
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"gridlane\"");
  if (retry_after.count() > 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return r;
}

int http_status(const ServiceError &e) {
  switch (e.code) {
  case ServiceError::Code::Invalid:
    if (e.field && (e.field->starts_with('?') || *e.field == body_field)) return 400;
    return 422;
  case ServiceError::Code::NotFound: return 404;
  case ServiceError::Code::Conflict: return 409;
  case ServiceError::Code::Forbidden: return 403;
  case ServiceError::Code::Unavailable: return 503;
  case ServiceError::Code::Internal: return 500;
  }
  return 500;
}

Response problem_response(const ServiceError &e) {
  std::optional<std::string_view> field;
  if (e.field && *e.field != body_field) {
    field = *e.field;
    if (field->starts_with('?')) field->remove_prefix(1);
  }
  // An internal error's message is for the log, not for the client.
  if (e.code == ServiceError::Code::Internal) return problem_response(500, "internal error");
  return problem_response(http_status(e), e.message, field);
}

ServiceError bad_query(std::string_view name, std::string message) {
  std::string field(1, '?'); // a query parameter, as it appears in the URL
  field.append(name);
  return ServiceError::invalid(std::move(message), std::move(field));
}

ServiceError bad_body(std::string message) {
  return ServiceError::invalid(std::move(message), std::string(body_field));
}

} // namespace gridlane::api
