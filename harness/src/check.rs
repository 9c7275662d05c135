//! Check your own type from your own `cargo test`: the library scenarios of its contract run
//! against it in this process, judged as the suite judges the references
//! (docs/check-your-own.md; examples/rust-student shows it).
//!
//! ```no_run
//! use conform::check::Check;
//! use conform_impls::reference::queue::RefQueue;
//!
//! Check::queue(|maxsize| RefQueue::<String>::new(maxsize))
//!     .named("my-queue")
//!     .on_facade() // built on conform_impls::sync: loom and shuttle too
//!     .run()
//!     .assert_conforms();
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use conform_impls::contracts::{event::Event, lock::Lock, queue::Queue, thread::Threads};

use crate::catalogue::Catalogue;
use crate::evidence::{Event as Observed, Evidence};
use crate::judge::class::FailureClass;
use crate::judge::Verdict;
use crate::load::model::{ContractName, Explorer};
use crate::load::{self, vars};
use crate::plan::{Expectation, Trial};
use crate::report::{human, RunReport};
use crate::run::ops::{self, Factory, Subject};
use crate::run::{judge_library, library, model, TrialResult, DEFAULT_TIMEOUT};

/// How the subjects registered here are named inside the harness.
pub(crate) const KEY_PREFIX: &str = "check:";

/// The library scenarios of one contract, to run against a type of one's own.
pub struct Check {
    name: String,
    contract: ContractName,
    factory: Factory,
    paths: Vec<PathBuf>,
    on_facade: bool,
    timeout: Option<Duration>,
}

impl Check {
    /// A queue; `make(maxsize)` builds a fresh one for each trial (0 = unbounded).
    pub fn queue<Q: Queue<String> + 'static>(
        make: impl Fn(usize) -> Q + Send + Sync + 'static,
    ) -> Check {
        Check::of(
            ContractName::Queue,
            Arc::new(move |maxsize| Subject::Queue(Arc::new(make(maxsize)))),
        )
    }

    /// An event; `make()` builds a fresh one for each trial.
    pub fn event<E: Event + 'static>(make: impl Fn() -> E + Send + Sync + 'static) -> Check {
        Check::of(
            ContractName::Event,
            Arc::new(move |_| Subject::Event(Arc::new(make()))),
        )
    }

    /// A lock; `make()` builds a fresh one for each trial.
    pub fn lock<L: Lock + 'static>(make: impl Fn() -> L + Send + Sync + 'static) -> Check {
        Check::of(
            ContractName::Lock,
            Arc::new(move |_| Subject::Lock(Arc::new(make()))),
        )
    }

    /// A way to start threads; `make()` builds a fresh one for each trial.
    pub fn threads<T: Threads + 'static>(make: impl Fn() -> T + Send + Sync + 'static) -> Check {
        Check::of(
            ContractName::Thread,
            Arc::new(move |_| Subject::Threads(Arc::new(make()))),
        )
    }

    fn of(contract: ContractName, factory: Factory) -> Check {
        Check {
            name: "yours".into(),
            contract,
            factory,
            paths: vec![PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../scenarios"
            ))],
            on_facade: false,
            timeout: None,
        }
    }

    /// The subject's name in trial names and messages (default `yours`).
    pub fn named(mut self, name: &str) -> Check {
        self.name = name.to_owned();
        self
    }

    /// Scenario files or folders to run instead of the suite's own `scenarios/`.
    pub fn scenarios<P: Into<PathBuf>>(mut self, paths: impl IntoIterator<Item = P>) -> Check {
        self.paths = paths.into_iter().map(Into::into).collect();
        self
    }

    /// The type is built on `conform_impls::sync` (the facade), so the scenarios that ask for
    /// `loom` and `shuttle` explore it too. A type built on `std::sync` would block a checker's
    /// thread for good: without this, only real threads run.
    pub fn on_facade(mut self) -> Check {
        self.on_facade = true;
        self
    }

    /// Gives up on a trial after this long (a blocked thread of the type is left behind)
    /// instead of the scenario's own deadline (`timeout`, else 30s).
    pub fn timeout(mut self, timeout: Duration) -> Check {
        self.timeout = Some(timeout);
        self
    }

    /// Runs every scenario of the contract under every explorer that applies. Scenario
    /// files that do not load are reported as one failure each.
    pub fn run(self) -> CheckReport {
        let started = SystemTime::now();
        let loaded = match load::load(&self.paths, &Catalogue::builtin(), &BTreeSet::new()) {
            Ok(l) => l,
            Err(errors) => {
                let problems = errors.iter().map(|e| e.headline()).collect();
                return CheckReport::unloadable(problems);
            }
        };
        // A name of its own in this process: tests run side by side.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let key = format!(
            "{KEY_PREFIX}{}:{}",
            NEXT.fetch_add(1, Ordering::Relaxed),
            self.name
        );
        ops::register(&key, self.contract, self.factory.clone());
        let mut results = Vec::new();
        for l in loaded
            .into_iter()
            .filter(|l| l.scenario.subject.contract == Some(self.contract))
        {
            let l = Arc::new(l);
            for &explorer in &l.scenario.explore {
                if explorer != Explorer::Threads && !self.on_facade {
                    continue;
                }
                let trial = Trial {
                    name: format!("{}/{}::{}::{explorer}", l.family, l.scenario.id, self.name),
                    scenario: l.clone(),
                    subject: key.clone(),
                    explorer,
                    expect: l
                        .scenario
                        .demonstrates
                        .map_or(Expectation::Pass, Expectation::Caught),
                    slow: l.scenario.slow,
                    program: None,
                    vars: BTreeMap::new(),
                    mounts: BTreeMap::new(),
                };
                results.push(self.run_trial(&trial));
            }
        }
        CheckReport {
            report: RunReport::new(results, started, Vec::new(), BTreeMap::new()),
            unloadable: Vec::new(),
        }
    }

    fn run_trial(&self, trial: &Trial) -> TrialResult {
        let started = Instant::now();
        let s = &trial.scenario.scenario;
        let verdict = match vars::resolve(&s.vars) {
            Err((_, e)) => Verdict::error(FailureClass::HarnessError, e, Evidence::default()),
            Ok(vars) => run_in_process(trial, &vars, self.timeout),
        };
        TrialResult::of(trial, &self.name, verdict, started)
    }
}

/// Runs a trial on a thread of this process, and gives up on it (leaving the thread
/// blocked) after the scenario's deadline.
fn run_in_process(
    trial: &Trial,
    vars: &BTreeMap<String, String>,
    timeout: Option<Duration>,
) -> Verdict {
    let events: Arc<Mutex<Vec<Observed>>> = Arc::default();
    let sink: library::Sink = {
        let events = events.clone();
        Arc::new(move |e| events.lock().unwrap_or_else(|p| p.into_inner()).push(e))
    };
    let (scenario, subject, explorer) = (
        trial.scenario.scenario.clone(),
        trial.subject.clone(),
        trial.explorer,
    );
    let owned_vars = vars.clone();
    let runner = std::thread::spawn(move || match explorer {
        Explorer::Threads => library::run(&scenario, &subject, &owned_vars, sink),
        checker => {
            quiet_panics_on_this_thread();
            model::run(&scenario, &subject, &owned_vars, checker, None, sink)
        }
    });
    let deadline = timeout.unwrap_or_else(|| {
        trial
            .scenario
            .scenario
            .timeout
            .map_or(DEFAULT_TIMEOUT, |t| t.0)
    });
    let until = Instant::now() + deadline;
    while !runner.is_finished() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(5));
    }
    let evidence = || Evidence {
        events: events.lock().unwrap_or_else(|p| p.into_inner()).clone(),
        observations: Vec::new(),
    };
    if !runner.is_finished() {
        return Verdict::error(
            FailureClass::Hung,
            format!(
                "no result within the trial's deadline of {}s (its thread is left blocked)",
                deadline.as_secs_f64()
            ),
            evidence(),
        );
    }
    match runner.join() {
        Ok(Ok(())) => judge_library(trial, vars, evidence()),
        Ok(Err(e)) => Verdict::error(FailureClass::HarnessError, e, evidence()),
        Err(_) => Verdict::error(
            FailureClass::HarnessError,
            "the harness itself panicked".into(),
            evidence(),
        ),
    }
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The checkers report what they find by panicking, many times over; the verdict says it
/// once. Silences the panic messages of this thread (where loom and shuttle run their
/// threads), and of no other: the test's own panics still print.
fn quiet_panics_on_this_thread() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
}

/// What a check found: every trial, judged.
pub struct CheckReport {
    pub report: RunReport,
    /// Scenario files that did not load, with why.
    pub unloadable: Vec<String>,
}

impl CheckReport {
    fn unloadable(problems: Vec<String>) -> CheckReport {
        CheckReport {
            report: RunReport::new(Vec::new(), SystemTime::now(), Vec::new(), BTreeMap::new()),
            unloadable: problems,
        }
    }

    /// Every trial showed what it must, and at least one ran.
    pub fn conforms(&self) -> bool {
        self.unloadable.is_empty()
            && !self.report.trials.is_empty()
            && self.report.trials.iter().all(|t| t.met)
    }

    /// The trials that did not show what they must.
    pub fn failures(&self) -> impl Iterator<Item = &TrialResult> {
        self.report.trials.iter().filter(|t| !t.met)
    }

    /// Panics with the report unless the type conforms: the line for a `#[test]`.
    #[track_caller]
    pub fn assert_conforms(&self) {
        assert!(self.conforms(), "{self}");
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let style = human::Style { color: false };
        for problem in &self.unloadable {
            writeln!(f, "{problem}")?;
        }
        if self.report.trials.is_empty() && self.unloadable.is_empty() {
            writeln!(f, "no scenario of this contract was found")?;
        }
        for t in &self.report.trials {
            writeln!(f, "{}", human::line(t, style))?;
        }
        write!(f, "{}", human::summary(&self.report, style))
    }
}
