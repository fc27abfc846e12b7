//! The engine of `atalaia watch`: notice what is new on a host's containers and say it once.
//!
//! ```text
//! containers (atalaia_host) ─┐
//! InventorySource (unseen    ├─► run_once ─► State (SQLite, WAL): images + zstd inventories,
//!   images only)             │        │      containers, findings per image + database identity,
//! AdvisoryStore + identity ──┘        │      runs, outbox          (one transaction per run)
//!                                     └─► Events ─► outbox ─► Notifiers (webhook, Slack, ntfy)
//! ```
//!
//! A run scans only images it has never stored (the image ID is the digest: a rebuilt image is a
//! new ID), re-matches stored inventories when the database identity changed since their last
//! match (matching never touches the image), diffs against the findings of the last match and
//! produces [`Events`]: new findings per image with the containers running it, fixed findings,
//! containers appearing (exposed ones flagged) and containers gone (reported once). The first
//! run reports everything as new. Images no container runs any more keep their inventory and
//! findings; they are matched again (and diffed) when a container runs them again.
//!
//! Notifications are queued in the outbox inside the run's transaction, then delivered with
//! retries and backoff; what fails stays queued and is sent again on the next run, so nothing is
//! lost. [`State::history`] lists past runs.
#![deny(missing_docs)]

mod error;
mod model;
mod notify;
mod run;
mod state;

pub use error::WatchError;
pub use model::{
    containers_of, ContainerEvent, ContainerInfo, ContainerRef, Events, Finding, FindingCounts,
    ImageFindings, Notification, RunRecord,
};
pub use notify::{Delivery, DeliveryOptions, Notifiers, Target};
pub use run::{database_identity, run_once, InventorySource, RunInputs, RunOutcome, RunStats};
pub use state::{PendingNotification, State, SCHEMA_VERSION, STATE_FILE};
