#pragma once
//! HTTP problem+json (RFC 9457) responses and the one mapping of a domain::ServiceError to one.
//! The API answers every failure through these; the HTTP layer (src/net) uses them for its own.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "gridlane/api/api.hpp"
#include "gridlane/domain/result.hpp"

namespace gridlane::api {

//! The reason phrase of a status ("Not Found"), the problem's title.
std::string_view reason_phrase(int status);

//! {"type": "about:blank", "title", "status", "detail"[, "field"]} as application/problem+json.
//! A 401 carries WWW-Authenticate (Bearer); a positive `retry_after` a Retry-After header.
Response problem_response(int status, std::string_view detail, std::optional<std::string_view> field = std::nullopt,
                          std::chrono::seconds retry_after = std::chrono::seconds{0});

//! The HTTP status of a service error:
//!   Invalid 422, or 400 when the request itself is malformed rather than against a rule: its
//!   field then names a query parameter ("?limit") or is "(body)" (the body is not a JSON object);
//!   NotFound 404, Conflict 409, Forbidden 403, Unavailable 503, Internal 500.
int http_status(const domain::ServiceError &e);

//! The problem response of a service error: its status, its message as detail and, for a field
//! of the body or query, that field (a query parameter by its name, without the '?').
Response problem_response(const domain::ServiceError &e);

//! A malformed request: a query parameter (`name` without '?') that cannot be read. HTTP 400.
domain::ServiceError bad_query(std::string_view name, std::string message);
//! A malformed request: the body is not a JSON object. HTTP 400.
domain::ServiceError bad_body(std::string message);

} // namespace gridlane::api
