//! The worker: a child process (`conform __worker`) that runs one library trial and streams
//! its events as JSON lines on stdout. Being a process, it can be killed when it hangs.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::evidence::{Event, EventKind};
use crate::load::model::{ContractName, Explorer, Scenario};

/// What the parent sends the worker on stdin.
#[derive(Debug, Serialize, Deserialize)]
pub struct Job {
    pub scenario: Scenario,
    pub subject: String,
    /// Variables, already resolved.
    pub vars: BTreeMap<String, String>,
    /// Real threads, or a checker.
    pub explorer: Explorer,
    /// shuttle: replay this schedule instead of exploring.
    #[serde(default)]
    pub schedule: Option<String>,
    /// The subject is an adapter program (docs/adapter.md) started with this command.
    #[serde(default)]
    pub adapter: Option<String>,
}

/// The worker's main: read a job, run it, print events. Exit code 0 when it ran.
pub fn main() -> i32 {
    // The scenario's `budget.seed` decides shuttle's schedules, not the environment.
    std::env::remove_var("SHUTTLE_RANDOM_SEED");
    // A worker whose runner died has nobody to report to.
    let _ = nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL);
    // Panics of the subject are recorded as events; keep stderr for real trouble.
    std::panic::set_hook(Box::new(|_| {}));
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("conform worker: cannot read the job: {e}");
        return 2;
    }
    let job: Job = match serde_json::from_str(&input) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("conform worker: bad job: {e}");
            return 2;
        }
    };
    let out = Arc::new(Mutex::new(std::io::stdout()));
    let sink = Arc::new(move |event: Event| {
        let line = serde_json::to_string(&event).unwrap_or_default();
        let mut out = out.lock().unwrap_or_else(|p| p.into_inner());
        // If the parent went away there is nobody to tell.
        let _ = writeln!(out, "{line}").and_then(|_| out.flush());
    });
    if let Some(command) = &job.adapter {
        let contract = job.scenario.subject.contract.unwrap_or(ContractName::Queue);
        let maxsize = job.scenario.subject.params.maxsize as usize;
        match super::adapter::Adapter::start(command, contract, maxsize) {
            Ok(a) => {
                let a = Arc::new(a);
                let factory: super::ops::Factory =
                    Arc::new(move |_| super::ops::Subject::Adapter(a.clone()));
                super::ops::register(&job.subject, contract, factory);
            }
            Err(e) => {
                eprintln!("conform worker: {e}");
                return 2;
            }
        }
    }
    let ran = match job.explorer {
        Explorer::Threads => {
            super::library::run(&job.scenario, &job.subject, &job.vars, sink.clone())
        }
        checker => super::model::run(
            &job.scenario,
            &job.subject,
            &job.vars,
            checker,
            job.schedule.as_deref(),
            sink.clone(),
        ),
    };
    match ran {
        Ok(()) => 0,
        Err(e) => {
            sink(Event {
                at_us: 0,
                actor: "harness".into(),
                kind: EventKind::Note { text: e.clone() },
            });
            eprintln!("conform worker: {e}");
            3
        }
    }
}
