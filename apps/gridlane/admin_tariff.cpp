#include "admin_tariff.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <iterator>

#include "gridlane/core/json_text.hpp"
#include "gridlane/domain/tariff_codec.hpp"
#include "gridlane/services/tariff_service.hpp"
#include "refusal.hpp"

namespace gridlane::app {
namespace json = boost::json;
using namespace gridlane::domain;

namespace {

//! The text of a file, or of standard input for "-".
std::string read_text(const std::string &path) {
  if (path == "-") return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string tariff_id(const std::string &text) {
  if (!is_tariff_id(text)) throw std::invalid_argument("not found: no such tariff");
  return text;
}

} // namespace

void AdminTariffCommands::attach(CLI::App &admin) {
  tariff_ = admin.add_subcommand("tariff", "Tariffs in their OCPI 2.2.1 JSON shape");
  tariff_->require_subcommand(1);

  put_ = tariff_->add_subcommand("put", "Create or replace a tariff from its OCPI JSON (prints it as stored)");
  put_->add_option("id", id_, "Tariff id (the JSON's id, if it has one, must be the same)")->required();
  put_->add_option("--file", file_, "The OCPI Tariff object as JSON ('-' reads standard input)")->required();

  get_ = tariff_->add_subcommand("get", "A tariff as OCPI JSON");
  get_->add_option("id", id_, "Tariff id")->required();

  list_ = tariff_->add_subcommand("list", "List tariffs by id");
  list_->add_option("--currency", currency_, "Only tariffs in this currency (ISO 4217)");
  list_->add_option("--type", type_, "Only tariffs of this OCPI type, e.g. REGULAR");
  list_->add_option("--limit", limit_, "At most this many (default 100)");
  list_->add_option("--offset", offset_, "Skip this many");
  list_->add_flag("--json", json_, "Print a JSON array of OCPI tariffs");

  delete_ = tariff_->add_subcommand("delete", "Delete a tariff");
  delete_->add_option("id", id_, "Tariff id")->required();
}

std::optional<int> AdminTariffCommands::run(store::Store &store, Timestamp now) {
  const services::TariffService service;
  if (put_->parsed()) {
    boost::system::error_code ec;
    auto body = json::parse(read_text(file_), ec);
    if (ec) refuse(ServiceError::invalid("the tariff is not JSON: " + ec.message()));
    if (!body.is_object()) refuse(ServiceError::invalid("the tariff must be a JSON object"));
    auto &o = body.as_object();
    const auto id = tariff_id(id_);
    if (const auto *v = o.if_contains("id"); v && !(v->is_string() && v->get_string() == id))
      refuse(ServiceError::invalid("'id' must be the tariff id given, '" + id + "'", "id"));
    o["id"] = id;
    auto t = checked(tariff_from_json(body, {.default_last_updated = now, .field_prefix = {}}));
    services::PutTariff saved;
    store.run([&](Repository &r) { saved = checked(service.put(r, t, now)); });
    std::cout << encode_tariff(saved.tariff) << "\n";
    std::cerr << (saved.created ? "created" : "replaced") << " tariff " << id << "\n";
    return 0;
  }
  if (get_->parsed()) {
    Tariff t;
    store.run([&](Repository &r) { t = checked(service.get(r, tariff_id(id_))); });
    std::cout << encode_tariff(t) << "\n";
    return 0;
  }
  if (list_->parsed()) {
    TariffFilter f;
    if (!currency_.empty()) f.currency = currency_;
    if (!type_.empty()) {
      f.type = parse_tariff_type(type_);
      if (!f.type) throw std::invalid_argument("--type must be an OCPI tariff type, e.g. REGULAR");
    }
    f.limit = limit_;
    f.offset = offset_;
    Paged<Tariff> found;
    store.run([&](Repository &r) { found = service.list(r, f); });
    if (json_) {
      json::array out;
      for (const auto &t : found.items)
        out.push_back(tariff_to_json(t));
      std::cout << core::to_json_text(out) << "\n";
    } else {
      for (const auto &t : found.items)
        std::cout << t.id << "  " << t.currency.code() << "  " << (t.type ? to_string(*t.type) : "-") << "  "
                  << t.elements.size() << (t.elements.size() == 1 ? " element" : " elements") << "  "
                  << format_ocpi_time(t.last_updated) << "\n";
    }
    return 0;
  }
  if (delete_->parsed()) {
    store.run([&](Repository &r) { checked(service.remove(r, tariff_id(id_))); });
    return 0;
  }
  return std::nullopt;
}

} // namespace gridlane::app
