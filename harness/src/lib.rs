//! conform: a conformance suite for concurrency mechanisms.
//!
//! Data flows one way (docs/architecture.md):
//! YAML ─[`load`]─▶ Scenario ─[`plan`]─▶ Trial ─[`run`]─▶ [`evidence`] ─[`judge`]─▶ Verdict ─[`report`]─▶ terminal / JSON / JUnit

pub mod bench;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod drive;
pub mod evidence;
pub mod explain;
pub mod judge;
pub mod load;
pub mod manifest;
pub mod matcher;
pub mod observe;
pub mod partition;
pub mod plan;
pub mod report;
pub mod run;
pub mod subject;
