#pragma once
//! Storage interfaces. A Repository is used inside one unit of work on the store's own thread;
//! the StoreExecutor runs units of work there, off the network threads, and reports each one
//! only after it is durable.
//!
//! The Repository is the sum of one interface per aggregate (domain/store/*.hpp); code that needs
//! one aggregate only may take that interface. A store engine implements them all (see
//! docs/architecture.md, "Adding a store engine").
#include <exception>
#include <functional>

#include "gridlane/domain/store/accounts.hpp"
#include "gridlane/domain/store/alerts.hpp"
#include "gridlane/domain/store/audit_trail.hpp"
#include "gridlane/domain/store/availability.hpp"
#include "gridlane/domain/store/billing_batch.hpp"
#include "gridlane/domain/store/cdrs.hpp"
#include "gridlane/domain/store/commands.hpp"
#include "gridlane/domain/store/diagnostics.hpp"
#include "gridlane/domain/store/drivers.hpp"
#include "gridlane/domain/store/energy.hpp"
#include "gridlane/domain/store/firmware.hpp"
#include "gridlane/domain/store/invoices.hpp"
#include "gridlane/domain/store/lists.hpp"
#include "gridlane/domain/store/locations.hpp"
#include "gridlane/domain/store/maintenance.hpp"
#include "gridlane/domain/store/operators.hpp"
#include "gridlane/domain/store/outbox.hpp"
#include "gridlane/domain/store/overview.hpp"
#include "gridlane/domain/store/partners.hpp"
#include "gridlane/domain/store/payments.hpp"
#include "gridlane/domain/store/reports.hpp"
#include "gridlane/domain/store/roaming_locations.hpp"
#include "gridlane/domain/store/roaming_sessions.hpp"
#include "gridlane/domain/store/roaming_tokens.hpp"
#include "gridlane/domain/store/stations.hpp"
#include "gridlane/domain/store/tariff_assignments.hpp"
#include "gridlane/domain/store/tariffs.hpp"
#include "gridlane/domain/store/tokens.hpp"
#include "gridlane/domain/store/transactions.hpp"

namespace gridlane::domain {

class Repository : public StationStore,
                   public TokenStore,
                   public TransactionStore,
                   public OperatorStore,
                   public CommandStore,
                   public AuditTrailStore,
                   public ListStore,

                   public InvoiceStore,
                   public LocationStore,
                   public PaymentStore,
                   public TariffStore,
                   public TariffAssignmentStore,
                   public CdrStore,
                   public AccountStore,
                   public BillingBatchStore,
                   public EnergyStore,
                   public DriverStore,
                   public OverviewStore,
                   public PartnerStore,
                   public OutboxStore,
                   public RoamingTokenStore,
                   public RoamingLocationStore,
                   public RoamingSessionStore,
                   public AlertStore,
                   public MaintenanceStore,
                   public FirmwareStore,
                   public DiagnosticsStore,
                   public ReportStore,
                   public AvailabilityStore {
public:
  ~Repository() override = default;
};

class StoreExecutor {
public:
  using Work = std::function<void(Repository &)>;
  using Done = std::function<void(std::exception_ptr)>; //!< null on success, after the commit
  virtual ~StoreExecutor() = default;
  //! Runs `work` in a transaction on the store's thread; `done` runs on that thread once the
  //! work is committed (or failed and rolled back). Several submissions may share one commit.
  virtual void submit(Work work, Done done) = 0;
};

} // namespace gridlane::domain
