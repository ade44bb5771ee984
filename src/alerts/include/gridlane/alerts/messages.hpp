#pragma once
//! What a delivery says: the webhook's JSON body and the e-mail's text (the only places alerts
//! become text for the outside).
#include <cstdint>
#include <string>
#include <vector>

#include "gridlane/core/time.hpp"
#include "gridlane/domain/alerts.hpp"

namespace gridlane::alerts {

struct Message {
  const domain::Alert &alert;
  const std::string &rule_name;
  domain::AlertEvent event;
  std::int64_t delivery_id;
  core::Timestamp sent_at;
};

//! {"event", "delivery_id", "sent_at", "alert": {id, rule_id, rule_name, subject, station,
//! severity, state, summary, count, first_at, last_at, acknowledged_at, resolved_at}}
std::string webhook_body(const Message &m);

//! "[Gridlane] critical alert raised: <summary>" (CR, LF and other controls dropped).
std::string mail_subject(const Message &m);
//! An RFC 5322 message (CRLF lines): Date, From, To, Subject, Message-ID, a text/plain UTF-8 body.
std::string mail_document(const Message &m, const std::string &from, const std::vector<std::string> &to);

} // namespace gridlane::alerts
