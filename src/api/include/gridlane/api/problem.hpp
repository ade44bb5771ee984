#pragma once
//! The one problem+json (RFC 9457) shape of Gridlane's HTTP answers: {"type": "about:blank",
//! "title": <the status's reason phrase>, "status": <status>, "detail": <detail>}.
#include <string>
#include <string_view>

#include "gridlane/api/api.hpp"

namespace gridlane::api {

//! The reason phrase used as a problem's title ("Not Found", ...; "Error" for one not listed).
std::string_view status_title(int status);

//! The problem+json body text.
std::string problem_body(int status, std::string_view detail);

//! A problem+json response (no extra headers).
Response problem_response(int status, std::string_view detail);

} // namespace gridlane::api
