#pragma once
#include "gridlane/domain/repository.hpp"
#include "sqlite/sqlite_db.hpp"

namespace gridlane::store::sqlite {

//! domain::Repository over one SQLite connection. Used only on the store's thread. Each block
//! below is implemented in the .cpp it names (one per aggregate); the row helpers they share
//! are in sqlite/rows.hpp.
class SqliteRepository final : public domain::Repository {
public:
  explicit SqliteRepository(Database &db) : db_(db) {}

  // stations.cpp
  std::optional<domain::Station> station(const domain::StationId &id) override;
  std::vector<domain::Station> stations() override;
  void insert_station(const domain::Station &s) override;
  bool insert_station_if_absent(const domain::Station &s) override;
  void update_station_boot(const domain::StationId &id, const domain::StationIdentity &identity,
                           domain::Timestamp at) override;
  void set_registration(const domain::StationId &id, domain::RegistrationStatus status) override;
  void set_password_hash(const domain::StationId &id, const std::optional<std::string> &hash) override;
  void touch_station(const domain::StationId &id, domain::ProtocolVersion protocol, domain::Timestamp at) override;
  void record_status(const domain::StatusReport &r) override;
  std::vector<domain::StatusReport> current_statuses(const domain::StationId &id) override;
  std::vector<domain::StatusReport> status_history(const domain::StationId &id, std::size_t limit) override;
  void upsert_device_variable(const domain::StationId &station, const domain::DeviceVariable &v,
                              domain::Timestamp at) override;
  std::vector<domain::DeviceVariable> device_variables(const domain::StationId &station) override;
  std::int64_t record_report_part(const domain::StationId &station, const domain::ReportPart &part,
                                  domain::Timestamp at) override;
  bool has_complete_report(const domain::StationId &station) override;
  void set_enabled(const domain::StationId &id, bool enabled) override;
  void set_site(const domain::StationId &id, const std::optional<std::string> &site) override;
  bool delete_station(const domain::StationId &id) override;
  domain::StationCompat station_compat(const domain::StationId &station) override;
  void set_station_compat(const domain::StationId &station, const domain::StationCompat &compat,
                          domain::Timestamp at) override;
  std::vector<std::pair<domain::StationId, domain::StationCompat>> stations_with_compat() override;
  std::vector<domain::StatusReport> status_history(const domain::StationId &id, std::size_t limit,
                                                   std::size_t offset) override;

  // tokens.cpp
  std::optional<domain::IdToken> id_token(std::string_view id) override;
  void upsert_id_token(const domain::IdToken &t) override;
  std::vector<domain::IdToken> id_tokens() override;
  bool delete_id_token(std::string_view id) override;

  // transactions.cpp
  std::optional<domain::Transaction> transaction(std::int64_t id) override;
  std::optional<domain::Transaction> find_start(const domain::StationId &station, int connector_id,
                                                std::string_view id_tag, std::int64_t meter_start_wh,
                                                domain::Timestamp started_at) override;
  bool has_active_transaction(std::string_view id_tag, std::optional<std::int64_t> except) override;
  std::optional<domain::Transaction> find_station_transaction(const domain::StationId &station,
                                                              std::string_view station_tx_id) override;
  void update_transaction(const domain::Transaction &t) override;
  bool insert_transaction_event(const domain::TransactionEventRecord &e) override;
  std::vector<domain::TransactionEventRecord> transaction_events_at(std::int64_t transaction_id,
                                                                    std::int64_t seq_no) override;
  std::vector<domain::TransactionEventRecord> transaction_events(std::int64_t transaction_id) override;
  std::int64_t insert_transaction(const domain::Transaction &t) override;
  domain::StartedTransaction start_transaction(const domain::Transaction &t) override;
  void end_transaction(const domain::Transaction &t) override;
  void update_energy(std::int64_t transaction_id, std::int64_t energy_wh) override;
  std::vector<domain::Transaction> transactions(const domain::TransactionFilter &f) override;
  void insert_meter_reading(const domain::MeterReading &r) override;
  std::vector<domain::MeterSample> meter_samples(std::int64_t transaction_id) override;

  // operators.cpp
  std::optional<domain::User> user_by_name(std::string_view username) override;
  std::optional<domain::User> user_by_id(std::int64_t id) override;
  std::int64_t insert_user(const domain::User &u) override;
  std::vector<domain::User> users() override;
  void insert_session(std::string_view token_hash, std::int64_t user_id, domain::Timestamp created,
                      domain::Timestamp expires) override;
  std::optional<domain::User> session_user(std::string_view token_hash, domain::Timestamp now) override;
  void delete_session(std::string_view token_hash) override;
  std::int64_t insert_api_key(const domain::ApiKey &k) override;
  std::optional<domain::ApiKey> api_key_by_hash(std::string_view key_hash) override;
  std::vector<domain::ApiKey> api_keys() override;
  bool revoke_api_key(std::int64_t id, domain::Timestamp at) override;
  void insert_audit(const domain::AuditEntry &e) override;
  std::vector<domain::AuditEntry> audit(std::size_t limit, std::size_t offset) override;
  std::vector<domain::User> users(std::size_t limit, std::size_t offset) override;
  std::vector<domain::ApiKey> api_keys(std::size_t limit, std::size_t offset) override;

  // operators_admin.cpp (the console's admin area: changing users, the audit log filtered)
  bool update_user(std::int64_t id, domain::Role role, bool disabled) override;
  std::int64_t count_active_admins() override;
  std::vector<domain::AuditEntry> audit(const domain::AuditFilter &f, std::size_t limit, std::size_t offset) override;
  std::int64_t count_audit(const domain::AuditFilter &f) override;

  // commands.cpp
  std::int64_t insert_command(const domain::CommandRecord &c) override;
  void update_command(const domain::CommandRecord &c) override;
  std::optional<domain::CommandRecord> command(std::int64_t id) override;
  std::vector<domain::CommandRecord> commands(const std::optional<domain::StationId> &station, std::size_t limit,
                                              std::size_t offset) override;

  // audit_trail.cpp
  void record_anomaly(const domain::Anomaly &a) override;
  std::vector<domain::Anomaly> anomalies(const domain::StationId &station) override;
  void record_event(const domain::StationEvent &e) override;
  std::vector<domain::StationEvent> events(const domain::StationId &station) override;
  std::vector<domain::Anomaly> anomalies(const domain::StationId &station, std::size_t limit,
                                         std::size_t offset) override;
  std::vector<domain::StationEvent> events(const domain::StationId &station, const std::optional<std::string> &kind,
                                           std::size_t limit, std::size_t offset) override;

  // ---- Lists with totals (lists.cpp) ----
  domain::Paged<domain::StationListing> list_stations(const domain::StationFilter &f,
                                                      domain::PageRequest page) override;
  domain::Paged<domain::IdToken> list_id_tokens(const domain::TokenFilter &f, domain::PageRequest page) override;
  std::int64_t count_transactions(const domain::TransactionFilter &f) override;
  std::int64_t count_users() override;
  std::int64_t count_api_keys() override;
  std::int64_t count_audit() override;
  std::int64_t count_commands(const std::optional<domain::StationId> &station) override;
  std::int64_t count_status_history(const domain::StationId &station) override;
  std::int64_t count_anomalies(const domain::StationId &station) override;
  std::int64_t count_events(const domain::StationId &station, const std::optional<std::string> &kind) override;
  std::map<std::int64_t, std::vector<domain::MeterSample>>
  meter_samples_of(const std::vector<std::int64_t> &transaction_ids) override;
  std::map<std::int64_t, std::vector<domain::TransactionEventRecord>>
  transaction_events_of(const std::vector<std::int64_t> &transaction_ids) override;

  // Locations, EVSEs and connectors (locations.cpp, migration 0008)
  std::optional<domain::Location> location(const domain::LocationId &id) override;
  std::optional<domain::Location> location_by_name(std::string_view name) override;
  std::vector<domain::Location> locations(const domain::LocationFilter &f) override;
  void insert_location(const domain::Location &l) override;
  void update_location(const domain::Location &l) override;
  bool delete_location(const domain::LocationId &id) override;
  std::size_t count_location_stations(const domain::LocationId &id) override;
  std::vector<domain::StationId> location_stations(const domain::LocationId &id) override;
  void set_station_location(const domain::StationId &station,
                            const std::optional<domain::LocationId> &location) override;
  std::vector<domain::Evse> evses(const domain::StationId &station) override;
  std::optional<domain::Evse> evse(const domain::StationId &station, int evse_id) override;
  std::optional<domain::Evse> evse_by_emi3(const domain::Emi3EvseId &id) override;
  std::optional<domain::Evse> evse_by_uid(domain::EvseUid uid) override;
  domain::EvseUid insert_evse(const domain::Evse &e) override;
  void update_evse(const domain::Evse &e) override;
  void set_evse_status(domain::EvseUid uid, domain::EvseStatus status, domain::Timestamp at) override;
  bool delete_evse(domain::EvseUid uid) override;
  void put_connector(domain::EvseUid evse, const domain::Connector &c) override;
  bool delete_connector(domain::EvseUid evse, int connector_id) override;

  // Invoices (invoices.cpp, migration 0015)
  std::int64_t next_invoice_sequence(std::string_view issuer) override;
  std::int64_t insert_invoice(const domain::Invoice &invoice) override;
  std::optional<domain::Invoice> invoice(std::int64_t id) override;
  std::optional<domain::Invoice> invoice_by_number(std::string_view number) override;
  std::optional<std::int64_t> invoice_of_period(std::string_view account_id, domain::Timestamp from,
                                                domain::Timestamp to) override;
  std::vector<domain::Invoice> invoices(const domain::InvoiceFilter &f) override;
  std::int64_t count_invoices(const domain::InvoiceFilter &f) override;
  std::vector<domain::InvoicedLine> invoiced_lines(domain::Timestamp from, domain::Timestamp to) override;
  // Payments and their provider calls (payments.cpp, migration 0016)
  std::int64_t insert_payment(const domain::Payment &p) override;
  void update_payment(const domain::Payment &p) override;
  std::optional<domain::Payment> payment(std::int64_t id) override;
  std::optional<domain::Payment> payment_by_token(std::string_view id_token) override;
  std::optional<domain::Payment> payment_by_transaction(std::int64_t transaction_id) override;
  std::optional<domain::Payment> payment_by_cdr(std::string_view cdr_id) override;
  std::vector<domain::Payment> payments(const domain::PaymentFilter &f) override;
  std::int64_t count_payments(const domain::PaymentFilter &f) override;
  std::vector<domain::Payment> expired_authorizations(domain::Timestamp now, std::size_t limit) override;
  domain::PaymentOperation insert_payment_operation(const domain::PaymentOperation &op) override;
  void update_payment_operation(const domain::PaymentOperation &op) override;
  std::optional<domain::PaymentOperation> payment_operation_by_key(std::string_view key) override;
  std::vector<domain::PaymentOperation> payment_operations(std::int64_t payment_id) override;
  std::vector<domain::PaymentOperation> pending_payment_operations(std::size_t limit) override;

  // Tariff assignments, snapshots, a connector's statuses in a session (tariff_assignments.cpp, migration 0012)
  domain::StoredAssignment put_tariff_assignment(const domain::TariffAssignment &a) override;
  std::optional<domain::TariffAssignment> tariff_assignment(std::int64_t id) override;
  std::vector<domain::TariffAssignment> tariff_assignments(const domain::TariffAssignmentFilter &f) override;
  std::int64_t count_tariff_assignments(const domain::TariffAssignmentFilter &f) override;
  bool delete_tariff_assignment(std::int64_t id) override;
  std::vector<domain::TariffAssignment> tariff_assignments_for(const std::optional<domain::LocationId> &location,
                                                               const domain::StationId &station, int evse_id,
                                                               int connector_id) override;
  void put_tariff_snapshot(const domain::TariffSnapshot &s) override;
  std::optional<domain::TariffSnapshot> tariff_snapshot(std::int64_t transaction_id) override;
  std::vector<domain::StatusReport> connector_statuses_between(const domain::StationId &station, int evse_id,
                                                               int connector_id, domain::Timestamp from,
                                                               domain::Timestamp to) override;
  // Tariffs (tariffs.cpp, migration 0011)
  std::optional<domain::Tariff> tariff(std::string_view id) override;
  std::vector<domain::Tariff> tariffs(const domain::TariffFilter &f) override;
  std::int64_t count_tariffs(const domain::TariffFilter &f) override;
  bool put_tariff(const domain::Tariff &t, core::Timestamp now) override;
  bool delete_tariff(std::string_view id) override;

  // Charge detail records (cdrs.cpp, migration 0013)
  bool insert_cdr(const domain::Cdr &c) override;
  bool insert_encoded_cdr(const domain::Cdr &c, std::string_view body, std::optional<std::int64_t> tariffs_id) override;
  std::int64_t put_cdr_tariffs(std::string_view tariffs_json) override;
  std::optional<domain::Cdr> cdr(std::string_view id) override;
  std::optional<domain::Cdr> cdr_of_transaction(std::int64_t transaction_id) override;
  std::optional<domain::Cdr> credit_of(std::string_view original_id) override;
  domain::Paged<domain::Cdr> list_cdrs(const domain::CdrFilter &f, domain::PageRequest page) override;
  std::vector<domain::UnbilledSession> sessions_without_cdr(std::int64_t after_id, std::size_t limit) override;
  bool set_cdr_invoice_reference(std::string_view id, std::string_view invoice_reference_id) override;
  std::vector<domain::CardPaidCdr> card_paid_cdrs(core::Timestamp from, core::Timestamp to) override;
  // Accounts, billing plans, subscriptions, coupons, loyalty (accounts.cpp, migration 0014)
  std::optional<domain::Account> account(std::string_view id) override;
  std::optional<domain::Account> account_of_token(std::string_view token_id) override;
  std::vector<domain::Account> accounts(const domain::AccountFilter &f) override;
  std::int64_t count_accounts(const domain::AccountFilter &f) override;
  void insert_account(const domain::Account &a) override;
  void update_account(const domain::Account &a) override;
  bool delete_account(std::string_view id) override;
  bool put_account_token(std::string_view account_id, const domain::AccountToken &t) override;
  bool delete_account_token(std::string_view account_id, std::string_view token_id) override;
  std::optional<std::string> customer_group_of_token(std::string_view token_id) override;
  std::optional<domain::BillingPlan> billing_plan(std::string_view id) override;
  std::vector<domain::BillingPlan> billing_plans(std::size_t limit, std::size_t offset) override;
  std::int64_t count_billing_plans() override;
  void put_billing_plan(const domain::BillingPlan &p) override;
  bool delete_billing_plan(std::string_view id) override;
  std::int64_t count_plan_subscriptions(std::string_view plan_id) override;
  std::optional<domain::Subscription> open_subscription(std::string_view account_id) override;
  std::vector<domain::Subscription> subscriptions(std::string_view account_id) override;
  std::int64_t insert_subscription(const domain::Subscription &s) override;
  void end_subscription(std::int64_t id, core::Timestamp at) override;
  std::optional<domain::Coupon> coupon(std::string_view code) override;
  std::vector<domain::Coupon> coupons(std::size_t limit, std::size_t offset) override;
  std::int64_t count_coupons() override;
  void put_coupon(const domain::Coupon &c) override;
  bool delete_coupon(std::string_view code) override;
  std::int64_t count_coupon_redemptions(std::string_view code, std::optional<std::string_view> account) override;
  bool claim_coupon(std::string_view account_id, std::string_view code, core::Timestamp at) override;
  std::vector<domain::CouponHolding> coupon_holdings(std::string_view account_id) override;
  bool insert_coupon_redemption(const domain::CouponRedemption &r) override;
  std::vector<domain::CouponRedemption> coupon_redemptions(std::string_view code) override;
  std::int64_t loyalty_balance(std::string_view account_id) override;
  std::vector<domain::LoyaltyEntry> loyalty_entries(std::string_view account_id, std::size_t limit,
                                                    std::size_t offset) override;
  std::int64_t count_loyalty_entries(std::string_view account_id) override;
  bool insert_loyalty_entry(const domain::LoyaltyEntry &e) override;
  std::optional<domain::SessionBenefitRecord> session_benefits(std::int64_t transaction_id) override;
  bool insert_session_benefits(const domain::SessionBenefitRecord &r) override;
  core::Decimal included_kwh_used(std::string_view account_id, core::Timestamp from, core::Timestamp to) override;
  std::int64_t count_session_benefits(std::string_view account_id) override;

  // Billing run batch readers (billing_batch.cpp)
  std::map<std::int64_t, domain::TariffSnapshot>
  tariff_snapshots_of(const std::vector<std::int64_t> &transaction_ids) override;
  std::map<std::string, domain::Station> stations_of(const std::vector<domain::StationId> &ids) override;
  std::vector<domain::StatusReport> statuses_of(const std::vector<domain::StationId> &stations, core::Timestamp from,
                                                core::Timestamp to) override;
  std::int64_t swap_page_cache_kib(std::int64_t kib) override;

  // Energy management: the electrical tree, series, prices, DR events, priorities, departure
  // needs (energy.cpp, migration 0017)
  std::optional<domain::GridConnection> grid_connection(const domain::LocationId &location) override;
  std::vector<domain::GridConnection> grid_connections() override;
  bool put_grid_connection(const domain::GridConnection &g) override;
  bool delete_grid_connection(const domain::LocationId &location) override;
  std::vector<domain::Circuit> circuits(const domain::LocationId &location) override;
  bool put_circuit(const domain::Circuit &c) override;
  bool delete_circuit(const domain::LocationId &location, std::string_view id) override;
  std::vector<domain::EvseAttachment> attachments(const domain::LocationId &location) override;
  std::optional<domain::EvseAttachment> attachment(const domain::StationId &station, int evse_id) override;
  bool put_attachment(const domain::LocationId &location, const domain::EvseAttachment &a) override;
  bool delete_attachment(const domain::StationId &station, int evse_id) override;
  std::optional<domain::ElectricalTree> tree(const domain::LocationId &location) override;
  std::vector<domain::SeriesPoint> series(const domain::LocationId &location, domain::SeriesKind kind,
                                          domain::Timestamp from, domain::Timestamp to) override;
  void put_series(const domain::LocationId &location, domain::SeriesKind kind,
                  const std::vector<domain::SeriesPoint> &points) override;
  std::int64_t prune_series(const domain::LocationId &location, domain::Timestamp before) override;
  std::vector<domain::PricePoint> prices(const domain::LocationId &location, domain::Timestamp from,
                                         domain::Timestamp to) override;
  void put_prices(const domain::LocationId &location, const std::vector<domain::PricePoint> &points) override;
  std::int64_t delete_prices(const domain::LocationId &location, domain::Timestamp from, domain::Timestamp to) override;
  std::vector<domain::DemandResponseEvent> demand_response(const domain::LocationId &location, domain::Timestamp from,
                                                           domain::Timestamp to) override;
  std::optional<domain::DemandResponseEvent> demand_response_event(std::int64_t id) override;
  std::int64_t add_demand_response(const domain::DemandResponseEvent &e) override;
  bool delete_demand_response(std::int64_t id) override;
  std::vector<domain::GroupPriority> group_priorities() override;
  bool put_group_priority(const domain::GroupPriority &p) override;
  bool delete_group_priority(std::string_view customer_group) override;
  std::optional<domain::DepartureNeed> departure_need(std::int64_t transaction_id) override;
  std::vector<domain::DepartureNeed> departure_needs(const std::vector<std::int64_t> &transaction_ids) override;
  void put_departure_need(const domain::DepartureNeed &n) override;

  // The driver portal: logins, tokens, the charger search, portal sessions, problem reports
  // (drivers.cpp, migration 0018)
  std::optional<domain::DriverLogin> driver_login(std::string_view email) override;
  bool insert_driver_login(const domain::DriverLogin &d) override;
  std::vector<domain::DriverLogin> driver_logins(std::string_view account_id, std::size_t limit,
                                                 std::size_t offset) override;
  std::int64_t count_driver_logins(std::string_view account_id) override;
  std::vector<domain::DriverLogin> all_driver_logins() override;
  bool set_driver_disabled(std::string_view email, bool disabled) override;
  bool delete_driver_login(std::string_view email) override;
  void insert_driver_token(std::string_view token_hash, std::string_view email, domain::Timestamp created,
                           domain::Timestamp expires) override;
  std::optional<domain::DriverLogin> driver_of_token(std::string_view token_hash, domain::Timestamp now) override;
  void delete_driver_token(std::string_view token_hash) override;
  void delete_driver_tokens(std::string_view email) override;
  std::vector<domain::LocationId> charger_locations(const domain::ChargerFilter &f) override;
  std::int64_t count_charger_locations(const domain::ChargerFilter &f) override;
  void insert_drive_session(const domain::DriveSession &s) override;
  std::optional<domain::DriveSession> drive_session_by_hash(std::string_view id_hash) override;
  std::optional<domain::DriveSession> drive_session_by_ref(std::string_view ref) override;
  std::optional<domain::DriveSession> drive_session_by_command(std::int64_t command_id) override;
  void update_drive_session(const domain::DriveSession &s) override;
  std::vector<domain::DriveSession> drive_sessions_of_account(std::string_view account_id, std::size_t limit,
                                                              std::size_t offset) override;
  std::int64_t count_drive_sessions_of_account(std::string_view account_id) override;
  std::int64_t insert_problem_report(const domain::ProblemReport &p) override;
  std::optional<domain::ProblemReport> problem_report(std::int64_t id) override;
  std::vector<domain::ProblemReport> problem_reports(const domain::ReportFilter &f) override;
  std::int64_t count_problem_reports(const domain::ReportFilter &f) override;
  void update_problem_report(const domain::ProblemReport &p) override;
  // The console's overview (overview.cpp, migration 0020)
  domain::OverviewCounts overview(const domain::OverviewQuery &q) override;
  // Roaming partners (partners.cpp, migration 0021)
  std::int64_t insert_partner(const domain::Partner &p, std::string_view token_hash) override;
  void update_partner(const domain::Partner &p) override;
  void set_partner_token_hash(std::int64_t id, std::string_view token_hash) override;
  std::optional<domain::Partner> partner(std::int64_t id) override;
  std::optional<domain::Partner> partner_by_token_hash(std::string_view token_hash) override;
  std::vector<domain::Partner> partners() override;
  std::string partner_token_hash(std::int64_t id) override;
  void upsert_hub_client_info(const domain::HubClientInfo &info) override;
  std::optional<domain::HubClientInfo> hub_client_info(std::int64_t partner_id, const domain::PartyId &party) override;
  std::vector<domain::HubClientInfo> hub_client_infos(std::int64_t partner_id) override;
  // The roaming outbox (outbox.cpp, migration 0022)
  std::int64_t enqueue(const domain::OutboxItem &item) override;
  std::vector<domain::OutboxItem> due_items(domain::Timestamp now, std::size_t max) override;
  void mark_delivered(std::int64_t id, domain::Timestamp at) override;
  void mark_failed(std::int64_t id, domain::Timestamp at, std::string_view error, domain::Timestamp retry_at) override;
  void mark_dead(std::int64_t id, domain::Timestamp at, std::string_view error) override;
  int partner_failures(std::int64_t partner_id) override;
  void partner_down(std::int64_t partner_id, int failures, domain::Timestamp until, domain::Timestamp at,
                    std::string_view error) override;
  void partner_up(std::int64_t partner_id) override;
  void hold_partner(std::int64_t partner_id, domain::Timestamp until) override;
  std::vector<domain::DeliveryState> delivery_states() override;
  std::vector<domain::OutboxItem> dead_items(std::int64_t partner_id, std::size_t max) override;
  // Tokens pushed by eMSPs (roaming_tokens.cpp, migration 0023)
  void upsert_roaming_token(const domain::RoamingToken &t) override;
  std::optional<domain::RoamingToken> roaming_token(const domain::PartyId &party, std::string_view uid,
                                                    domain::OcpiTokenType type) override;
  std::optional<domain::RoamingToken> roaming_token_by_uid(std::string_view uid) override;
  void remember_realtime_decision(const domain::PartyId &party, std::string_view uid, domain::OcpiTokenType type,
                                  const domain::RealtimeDecision &d) override;
  std::optional<domain::RealtimeDecision> realtime_decision(const domain::PartyId &party, std::string_view uid,
                                                            domain::OcpiTokenType type) override;
  std::vector<domain::RoamingToken> roaming_tokens_of(std::int64_t partner_id, std::size_t offset,
                                                      std::size_t limit) override;
  // What the OCPI Locations Sender and push read (roaming_locations.cpp, migration 0024)
  std::vector<domain::LocationSnapshot> published_locations(const domain::RoamingLocationFilter &f) override;
  std::int64_t count_published_locations(const domain::RoamingLocationFilter &f) override;
  std::optional<domain::LocationSnapshot> location_snapshot(const domain::LocationId &id) override;
  std::optional<domain::LocationId> station_location(const domain::StationId &station) override;
  std::vector<domain::RoamingChange> roaming_changes(std::size_t max) override;
  void forget_roaming_changes(std::int64_t up_to_seq) override;
  // Sessions and CDRs of roaming tokens (roaming_sessions.cpp, migration 0025)
  bool insert_roaming_session(const domain::RoamingSession &s) override;
  std::optional<domain::RoamingSession> roaming_session(std::int64_t transaction_id) override;
  void update_roaming_session(const domain::RoamingSession &s) override;
  domain::Paged<domain::RoamingSession> roaming_sessions(std::int64_t partner_id, const domain::RoamingWindow &w,
                                                         domain::PageRequest page) override;
  bool insert_roaming_cdr(std::string_view cdr_id, std::int64_t partner_id, domain::Timestamp at) override;
  domain::Paged<std::string> roaming_cdr_ids(std::int64_t partner_id, const domain::RoamingWindow &w,
                                             domain::PageRequest page) override;
  // The reports' daily roll-ups (reports.cpp, migration 0031)
  bool claim_report_session(std::int64_t transaction_id) override;
  void add_report_rollup(const domain::ReportEvseKey &evse, const std::vector<domain::ReportDayDelta> &days,
                         const std::vector<domain::ReportQuarterDelta> &quarters) override;
  void clear_report_days(std::optional<std::int64_t> from_day, std::optional<std::int64_t> to_day) override;
  std::vector<std::int64_t> unreported_transactions(std::int64_t after_id, std::size_t limit) override;
  std::vector<std::int64_t> ended_transactions_between(domain::Timestamp from, domain::Timestamp to,
                                                       std::int64_t after_id, std::size_t limit) override;
  std::vector<domain::ReportEvseTimes> report_evse_times(const domain::RollupFilter &f) override;
  std::vector<domain::ReportDayTotals> report_day_totals(const domain::RollupFilter &f) override;
  std::vector<domain::ReportPeak> report_peaks(const domain::RollupFilter &f) override;
  std::vector<domain::ReportEvseKey> report_evses(const domain::RollupFilter &f) override;

  // Alerts: rules, channels, alerts, deliveries (alerts.cpp, migration 0027)
  std::int64_t insert_alert_rule(const domain::AlertRule &rule) override;
  bool update_alert_rule(const domain::AlertRule &rule) override;
  bool delete_alert_rule(std::int64_t id) override;
  std::optional<domain::AlertRule> alert_rule(std::int64_t id) override;
  std::vector<domain::AlertRule> alert_rules() override;
  std::int64_t insert_alert_channel(const domain::AlertChannel &channel) override;
  bool delete_alert_channel(std::int64_t id) override;
  std::optional<domain::AlertChannel> alert_channel(std::int64_t id) override;
  std::vector<domain::AlertChannel> alert_channels() override;
  std::optional<domain::Alert> unresolved_alert(std::int64_t rule_id, std::string_view subject) override;
  std::int64_t insert_alert(const domain::Alert &alert) override;
  void update_alert(const domain::Alert &alert) override;
  std::optional<domain::Alert> alert(std::int64_t id) override;
  domain::Paged<domain::Alert> alerts(const domain::AlertFilter &filter, const domain::PageRequest &page) override;
  std::vector<domain::Alert> unresolved_alerts() override;
  std::int64_t insert_alert_delivery(const domain::AlertDelivery &delivery) override;
  std::vector<domain::AlertDelivery> due_alert_deliveries(domain::Timestamp now, std::size_t max) override;
  std::optional<domain::Timestamp> next_alert_delivery_at() override;
  void update_alert_delivery(const domain::AlertDelivery &delivery) override;
  domain::Paged<domain::AlertDelivery> alert_deliveries(const domain::AlertDeliveryFilter &filter,
                                                        const domain::PageRequest &page) override;
  // Maintenance tickets, inspections, self-healing's history (maintenance.cpp, migration 0028)
  std::int64_t insert_ticket(const domain::Ticket &t) override;
  void update_ticket(const domain::Ticket &t) override;
  std::optional<domain::Ticket> ticket(std::int64_t id) override;
  bool delete_ticket(std::int64_t id) override;
  std::vector<domain::Ticket> tickets(const domain::TicketFilter &f, domain::PageRequest page) override;
  std::int64_t count_tickets(const domain::TicketFilter &f) override;
  std::optional<domain::Ticket> open_ticket_for(const domain::StationId &station, std::optional<int> evse_id,
                                                domain::TicketSource source) override;
  std::int64_t insert_ticket_note(const domain::TicketNote &n) override;
  std::vector<domain::TicketNote> ticket_notes(std::int64_t ticket_id) override;
  std::int64_t insert_inspection(const domain::InspectionSchedule &s) override;
  void update_inspection(const domain::InspectionSchedule &s) override;
  std::optional<domain::InspectionSchedule> inspection(std::int64_t id) override;
  bool delete_inspection(std::int64_t id) override;
  std::vector<domain::InspectionSchedule> inspections(domain::PageRequest page) override;
  std::int64_t count_inspections() override;
  std::vector<domain::InspectionSchedule> due_inspections(domain::Timestamp now) override;
  std::int64_t insert_healing_record(const domain::HealingRecord &r) override;
  std::vector<domain::HealingRecord> healing_records(const domain::StationId &station,
                                                     domain::PageRequest page) override;
  std::int64_t count_healing_records(const domain::StationId &station) override;
  bool healing_opted_out(const domain::StationId &station) override;
  void set_healing_opt_out(const domain::StationId &station, bool opted_out, const std::string &by,
                           domain::Timestamp at) override;
  // Firmware files, statuses, security events and campaigns (firmware.cpp, migration 0029)
  std::int64_t insert_firmware_file(const domain::FirmwareFile &f) override;
  std::optional<domain::FirmwareFile> firmware_file(std::int64_t id) override;
  std::vector<domain::FirmwareFile> firmware_files() override;
  void set_firmware_signature(std::int64_t id, const std::optional<std::string> &signature,
                              const std::optional<std::string> &signing_certificate) override;
  bool delete_firmware_file(std::int64_t id) override;
  void record_firmware_status(const domain::FirmwareStatusRecord &r) override;
  std::vector<domain::FirmwareStatusRecord> firmware_statuses(const domain::StationId &station,
                                                              std::size_t limit) override;
  std::int64_t insert_security_event(const domain::SecurityEventRecord &e) override;
  std::vector<domain::SecurityEventRecord> security_events(const domain::StationId &station,
                                                           std::size_t limit) override;
  std::int64_t insert_campaign(const domain::Campaign &c) override;
  void update_campaign(const domain::Campaign &c) override;
  std::optional<domain::Campaign> campaign(std::int64_t id) override;
  std::vector<domain::Campaign> campaigns() override;
  std::vector<domain::Campaign> campaigns_in(domain::CampaignState state) override;
  void put_campaign_station(const domain::CampaignStation &s) override;
  std::vector<domain::CampaignStation> campaign_stations(std::int64_t campaign_id) override;
  // diagnostics.cpp
  std::int64_t insert_diagnostics_upload(const domain::DiagnosticsUpload &u) override;
  std::optional<domain::DiagnosticsUpload> diagnostics_upload_by_token(std::string_view token_hash) override;
  bool claim_diagnostics_upload(std::int64_t id, domain::Timestamp at) override;
  void release_diagnostics_upload(std::int64_t id) override;
  std::int64_t insert_diagnostics_file(const domain::DiagnosticsFile &f) override;
  std::optional<domain::DiagnosticsFile> diagnostics_file(std::int64_t id) override;
  std::vector<domain::DiagnosticsFile> diagnostics_files(const domain::StationId &station, std::size_t limit,
                                                         std::size_t offset) override;
  std::int64_t count_diagnostics_files(const domain::StationId &station) override;
  void upsert_station_monitor(const domain::StationMonitor &m) override;
  std::vector<domain::StationMonitor> station_monitors(const domain::StationId &station, std::size_t limit,
                                                       std::size_t offset) override;
  std::int64_t count_station_monitors(const domain::StationId &station) override;
  std::int64_t insert_monitoring_event(const domain::MonitoringEvent &e) override;
  std::vector<domain::MonitoringEvent> monitoring_events(const domain::StationId &station, std::size_t limit,
                                                         std::size_t offset) override;
  std::int64_t count_monitoring_events(const domain::StationId &station) override;
  std::int64_t insert_customer_information(const domain::CustomerInformationPart &p) override;
  std::vector<domain::CustomerInformationPart> customer_information(const domain::StationId &station, std::size_t limit,
                                                                    std::size_t offset) override;
  std::int64_t count_customer_information(const domain::StationId &station) override;

  // Availability and uptime: EVSE timelines and outages (availability.cpp, migration 0026)
  std::vector<domain::EvseStateSpan> current_evse_states(const domain::StationId &station) override;
  void set_evse_state(const domain::StationId &station, int evse_id, domain::EvseState state,
                      domain::Timestamp at) override;
  std::vector<domain::EvseStateSpan> evse_timeline(const domain::StationId &station, int evse_id,
                                                   domain::Timestamp from, domain::Timestamp to) override;
  std::int64_t insert_outage(const domain::Outage &o) override;
  std::optional<domain::Outage> open_outage(const domain::StationId &station, int evse_id) override;
  void end_outage(std::int64_t id, domain::Timestamp at) override;
  std::optional<domain::Outage> outage(std::int64_t id) override;
  domain::Paged<domain::Outage> list_outages(const domain::OutageFilter &f, domain::PageRequest page) override;
  void set_outage_exclusion(std::int64_t id, const std::optional<domain::OutageExclusion> &exclusion) override;
  std::vector<domain::Outage> outages_of(const std::vector<domain::StationId> &stations, domain::Timestamp from,
                                         domain::Timestamp to) override;
  std::vector<domain::Outage> open_offline_outages() override;
  std::vector<domain::Port> ports(const std::vector<domain::StationId> &stations) override;

private:
  std::vector<domain::InvoiceLine> invoice_lines_of(std::int64_t invoice_id); // invoices.cpp
  std::vector<domain::VatLine> invoice_vat_of(std::int64_t invoice_id);       // invoices.cpp
  void number_transaction(const domain::Transaction &t, std::int64_t id);     // transactions.cpp
  Database &db_;
};

} // namespace gridlane::store::sqlite
