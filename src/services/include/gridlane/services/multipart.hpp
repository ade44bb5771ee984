#pragma once
//! The file part of a multipart/form-data body (RFC 7578 over RFC 2046), as 1.6 stations POST
//! their diagnostics: pure, no I/O, the part returned as offsets into the body (no copy).
#include <cstddef>
#include <string>
#include <string_view>

#include "gridlane/domain/result.hpp"

namespace gridlane::services {

struct MultipartFile {
  std::size_t offset = 0; //!< of the part's content in the body
  std::size_t length = 0;
  std::string file_name;    //!< the part's Content-Disposition filename, if any
  std::string content_type; //!< the part's Content-Type, default application/octet-stream
};

//! The boundary parameter of a multipart Content-Type ("multipart/form-data; boundary=..."),
//! quoted or not; an error when the type is not multipart or the boundary is missing or longer
//! than RFC 2046's 70 characters.
domain::Result<std::string> multipart_boundary(std::string_view content_type);

//! The first part that carries a filename, else the first part. Errors (400): no opening
//! delimiter, a part without its header end, no closing delimiter.
domain::Result<MultipartFile> multipart_file(std::string_view content_type, std::string_view body);

} // namespace gridlane::services
