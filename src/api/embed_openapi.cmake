# Writes OUTPUT: a C++ file holding openapi.json as a string.
file(READ "${INPUT}" doc)
file(WRITE "${OUTPUT}.tmp" "// Generated from src/api/openapi.json. Do not edit.\n#include <string_view>\nnamespace gridlane::api {\nstd::string_view openapi_document() {\n  return R\"GRIDLANEOPENAPI(${doc})GRIDLANEOPENAPI\";\n}\n} // namespace gridlane::api\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
