// gridlane: the CSMS binary. `serve` runs the server; `admin ...` manages the same database.
#include <CLI/CLI.hpp>
#include <iostream>

#include "admin.hpp"
#include "app.hpp"
#include "gridlane/core/log_format.hpp"
#include "gridlane/core/logging.hpp"
#include "sim.hpp"

namespace gridlane::app {

core::Config resolve_config(const GlobalOptions &g) {
  core::Config c = g.config_file.empty() ? core::Config{} : core::load_config_file(g.config_file);
  if (!g.db.empty()) c.database.url = core::database_url_of(g.db);
  if (!g.listen.empty()) core::parse_listen(g.listen, c.server);
  if (!g.log_level.empty()) c.log_level = g.log_level;
  if (!g.unknown_station.empty()) c.ocpp.unknown_station = core::parse_unknown_station_policy(g.unknown_station);
  if (!g.web_root.empty()) {
    c.web.root = g.web_root;
    c.web.enabled = true;
  }
  return c;
}

} // namespace gridlane::app

int main(int argc, char **argv) {
  using namespace gridlane;
  CLI::App cli{"Gridlane: a charging station management system (OCPP 1.6J, 2.0.1, 2.1)"};
  cli.require_subcommand(1);
  // The global options may also follow the subcommand, as people type them
  // (`gridlane serve --db x.db`, `gridlane admin --db x.db stations`): an option a subcommand
  // does not know falls through to its parent, up to these. Set before the subcommands are
  // added, which inherit it (CLI11 copies it on creation). Given twice (before and after) is an
  // error, as for any option.
  cli.fallthrough();
  app::GlobalOptions g;
  cli.add_option("--config", g.config_file, "TOML configuration file")->check(CLI::ExistingFile);
  cli.add_option("--db", g.db, "SQLite database file or database.url (default ./gridlane.db)");
  cli.add_option("--log-level", g.log_level, "trace, debug, info, warn, error, off");
  cli.footer("--config, --db and --log-level may also be given after the subcommand."); // inherited too

  auto *serve = cli.add_subcommand("serve", "Run the CSMS");
  serve->add_option("--listen", g.listen, "HOST:PORT to listen on (default 127.0.0.1:8180; port 0 picks one)");
  serve->add_option("--unknown-stations", g.unknown_station, "reject, pending or accept (default accept)")
      ->check(CLI::IsMember({"reject", "pending", "accept"}));
  const char *web_root_help =
      "The built web console (web/dist) served at / (default: [web] root, else the source tree's)";
  serve->add_option("--web-root", g.web_root, web_root_help);

  app::AdminCommands admin;
  admin.attach(cli);
  app::SimCommands sim;
  sim.attach(cli);
  cli.get_subcommand("demo")->add_option("--web-root", g.web_root, web_root_help);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return cli.exit(e);
  }
  try {
    auto config = app::resolve_config(g);
    core::set_log_level(config.log_level);
    core::set_log_format(config.log_format);
    if (serve->parsed()) return app::serve(config);
    if (sim.sim_parsed()) return sim.run_sim();
    if (sim.demo_parsed()) return sim.run_demo(config);
    return admin.run(config);
  } catch (const std::exception &e) {
    std::cerr << "gridlane: " << e.what() << "\n";
    return 1;
  }
}
