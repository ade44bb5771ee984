#pragma once
//! Calls to partners (Gridlane as the client of an OCPI exchange): one blocking HTTP request
//! with the partner's credentials token in its encoding, X-Request-ID / X-Correlation-ID and
//! the routing headers, the answer's envelope read. Made only on the roaming worker threads
//! (never a network or store thread). The interface lets unit tests answer without a network;
//! make_http_client is the real one (libcurl).
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "gridlane/domain/result.hpp"
#include "gridlane/domain/roaming.hpp"

namespace gridlane::ocpi {

struct OutboundCall {
  domain::PushMethod method = domain::PushMethod::Put; //!< Put, Patch, Post, Delete
  bool get = false;                                    //!< a GET (method ignored)
  std::string url;                                     //!< absolute
  std::string body;                                    //!< JSON, or empty
  std::string token;                                   //!< the credentials token to send
  domain::TokenEncoding encoding = domain::TokenEncoding::Base64;
  std::optional<domain::PartyId> from; //!< OCPI-from-* (Gridlane's party)
  std::optional<domain::PartyId> to;   //!< OCPI-to-* (the receiving party)
  std::string correlation_id;          //!< generated when empty
  std::chrono::milliseconds timeout{10000};
};

struct InboundAnswer {
  int http_status = 0;
  std::string body;               //!< as received
  std::optional<int> status_code; //!< the envelope's status_code, when it is one
  std::string status_message;
  std::string link_next; //!< the Link rel="next" URL, if any
};

class Client {
public:
  virtual ~Client() = default;
  //! Blocks. A connection failure or timeout is ServiceError::Unavailable (its message says
  //! which); any HTTP answer is a value.
  virtual domain::Result<InboundAnswer> call(const OutboundCall &c) = 0;
};

struct ClientOptions {
  bool allow_plain_http_to_loopback = true; //!< otherwise https:// only
  std::size_t max_answer_bytes = 8 << 20;
};

std::unique_ptr<Client> make_http_client(ClientOptions options = {});

//! Whether a URL may be called: https://, or http:// to a loopback host when allowed. Empty
//! when it may, else what is wrong.
std::string check_partner_url(const std::string &url, bool allow_plain_http_to_loopback);

} // namespace gridlane::ocpi
