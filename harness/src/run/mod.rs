//! Run: execute planned trials, in parallel, each within a deadline, and judge them.
//!
//! A library trial runs in a worker process (`worker.rs`) so that a subject that hangs is
//! killed with its process and one that crashes takes only its own trial down.

pub mod adapter;
pub mod library;
pub mod model;
pub mod ops;
pub mod program;
pub mod watch;
pub mod worker;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::evidence::{Event, EventKind, Evidence};
use crate::judge::class::FailureClass;
use crate::judge::library::Judge;
use crate::judge::{Check, Verdict};
use crate::load::vars;
use crate::plan::{Expectation, Trial};

/// The deadline of a trial whose scenario sets none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How much of a subject's stderr is kept.
const STDERR_TAIL: usize = 4096;

/// What every trial of a run shares.
#[derive(Debug, Clone)]
pub struct Context {
    /// The `conform` executable, re-executed as the worker.
    pub exe: PathBuf,
    /// `--var` values; they override the scenario's.
    pub vars: BTreeMap<String, String>,
    /// Relative paths of program command lines are taken from here.
    pub cwd: PathBuf,
    /// Run programs in their own network namespaces where the kernel allows.
    pub namespaces: bool,
    /// A shuttle schedule to replay instead of exploring (`--schedule`).
    pub schedule: Option<String>,
}

impl Context {
    /// A context for running `exe`'s workers from the current directory, with namespaces
    /// unless `CONFORM_NO_NAMESPACES` is set.
    pub fn new(exe: PathBuf, vars: BTreeMap<String, String>) -> Context {
        // The clients of a many-connection scenario are sockets of this process.
        use nix::sys::resource::{getrlimit, setrlimit, Resource};
        if let Ok((_, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
            let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
        }
        Context {
            exe,
            vars,
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            namespaces: std::env::var_os("CONFORM_NO_NAMESPACES").is_none(),
            schedule: None,
        }
    }
}

/// A trial and its verdict.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrialResult {
    pub name: String,
    pub scenario: String,
    pub family: String,
    pub subject: String,
    pub explorer: String,
    pub expect: Expectation,
    /// Whether the verdict shows what was expected (a reference passed, a mutant was caught).
    pub met: bool,
    pub duration_ms: u64,
    pub verdict: Verdict,
}

/// Trials run at once unless told: four per core. Trials mostly wait (quiet periods,
/// timeouts, a program starting), so at one per core the machine idles: the whole suite
/// used a third of one core at two jobs on two cores, and ran 3x faster at eight
/// (docs/performance.md).
pub fn default_jobs() -> usize {
    4 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `trials` on `jobs` threads; results come back in plan order. `done` is told about
/// each as it finishes (for progress).
pub fn run_all(
    trials: &[Trial],
    ctx: &Context,
    jobs: usize,
    done: &(dyn Fn(&TrialResult) + Sync),
) -> Vec<TrialResult> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<TrialResult>>> = Mutex::new(vec![None; trials.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(trials.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(trial) = trials.get(i) else { break };
                let result = run_trial(trial, ctx);
                done(&result);
                results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// Runs one trial and judges it. Never panics on a subject's account: a subject that
/// hangs, panics or crashes gives an `error` verdict.
pub fn run_trial(trial: &Trial, ctx: &Context) -> TrialResult {
    let started = Instant::now();
    let verdict = judge_trial(trial, ctx);
    TrialResult::of(trial, &trial.subject, verdict, started)
}

impl TrialResult {
    /// The result of `trial`, run since `started` against the subject called `subject`.
    pub fn of(trial: &Trial, subject: &str, verdict: Verdict, started: Instant) -> TrialResult {
        TrialResult {
            name: trial.name.clone(),
            scenario: trial.scenario.scenario.id.clone(),
            family: trial.scenario.family.clone(),
            subject: subject.to_owned(),
            explorer: trial.explorer.to_string(),
            expect: trial.expect,
            met: trial.expect.met_by(&verdict),
            duration_ms: started.elapsed().as_millis() as u64,
            verdict,
        }
    }
}

/// The scenario's variables with `--var` over them, resolved.
pub fn effective_vars(trial: &Trial, ctx: &Context) -> Result<BTreeMap<String, String>, String> {
    let mut all = trial.scenario.scenario.vars.clone();
    all.extend(trial.vars.clone());
    all.extend(ctx.vars.clone());
    vars::resolve(&all).map_err(|(_, message)| message)
}

fn judge_trial(trial: &Trial, ctx: &Context) -> Verdict {
    let s = &trial.scenario.scenario;
    let vars = match effective_vars(trial, ctx) {
        Ok(v) => v,
        Err(e) => return Verdict::error(FailureClass::HarnessError, e, Evidence::default()),
    };
    for (name, want) in &s.only_if {
        let fill = |t: &str| vars::fill(t, &|n| vars.get(n).cloned());
        let (have, want) = (fill(&format!("{{{name}}}")), fill(&want.0));
        if have != want {
            return Verdict::skipped(format!(
                "skipped: it runs only when `{name}` is {want:?}, and it is {have:?}"
            ));
        }
    }
    if s.subject.is_program() {
        return judge_program(trial, ctx, &vars);
    }
    let job = worker::Job {
        scenario: s.clone(),
        subject: trial.subject.clone(),
        vars: vars.clone(),
        explorer: trial.explorer,
        schedule: ctx.schedule.clone(),
        adapter: trial.program.clone(),
    };
    let deadline = s.timeout.map_or(DEFAULT_TIMEOUT, |t| t.0);
    let run = match run_worker(ctx, &job, deadline) {
        Ok(r) => r,
        Err(e) => return Verdict::error(FailureClass::HarnessError, e, Evidence::default()),
    };
    let evidence = Evidence {
        events: run.events,
        observations: Vec::new(),
    };
    // A panic says more than what followed it (a hang, a crash): judge_library reports it.
    let panicked = evidence
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Panicked { .. }));
    let mut verdict = if run.killed && !panicked {
        let stuck: Vec<String> = unfinished_calls(&evidence);
        let what = if stuck.is_empty() {
            "outside any call".to_owned()
        } else {
            stuck.join(", ")
        };
        Verdict::error(
            FailureClass::Hung,
            format!(
                "no result within the trial's deadline of {}s; killed while running {what}",
                deadline.as_secs_f64()
            ),
            evidence,
        )
    } else if !panicked
        && !evidence
            .events
            .iter()
            .any(|e| e.kind == EventKind::Finished)
    {
        Verdict::error(
            FailureClass::Crashed,
            format!("the worker ended without finishing ({})", run.status),
            evidence,
        )
    } else {
        judge_library(trial, &vars, evidence)
    };
    verdict.stderr_tail = run.stderr_tail;
    verdict
}

/// Judges the events of a library trial that ran to its end (in a worker, or in this
/// process through `crate::check`).
pub fn judge_library(
    trial: &Trial,
    vars: &BTreeMap<String, String>,
    evidence: Evidence,
) -> Verdict {
    let s = &trial.scenario.scenario;
    // An adapter that does not offer an operation (Python's queue.Queue has no close before
    // 3.13) skips the scenario instead of failing it.
    if let Some(op) = evidence.events.iter().find_map(|e| match &e.kind {
        EventKind::Failed { error, .. } => error.strip_prefix("unsupported"),
        _ => None,
    }) {
        return Verdict::skipped(format!(
            "skipped: the subject does not support this scenario's operations{op}"
        ));
    }
    if let Some(ev) = evidence
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Panicked { .. }))
    {
        let EventKind::Panicked { message, .. } = &ev.kind else {
            unreachable!()
        };
        let call = in_flight_call(&evidence, &ev.actor);
        Verdict::error(
            FailureClass::Panicked,
            format!("the subject panicked in {}'s {call}: {message}", ev.actor),
            evidence,
        )
    } else if let Some(mut checks) = explored(&evidence) {
        // A deadlock in plain words: the wait-for cycle, from what each actor held and
        // waited for, rather than the checker's task table alone.
        let explanation = checks
            .iter()
            .any(|c| c.class == Some(FailureClass::Deadlock))
            .then(|| crate::judge::deadlock::explain(s, &trial.scenario.file, &evidence))
            .flatten();
        if let Some(x) = &explanation {
            for c in checks
                .iter_mut()
                .filter(|c| c.class == Some(FailureClass::Deadlock))
            {
                c.observed = format!("{} ({}: {})", x.short, trial.explorer, c.observed);
            }
        }
        // A checker's trial: its checks are those that broke in the failing execution (or one
        // that held), with that execution's events as evidence.
        let replay = if trial.subject.starts_with(crate::check::KEY_PREFIX) {
            // Checked in the student's own test: the scenario's seed fixes the schedule.
            "replay: run the same test again; the scenario's seed gives the same schedules".into()
        } else {
            let schedule = schedule_of(&evidence)
                .map(|s| format!(" --schedule {s}"))
                .unwrap_or_default();
            format!(
                "replay: conform run {} --subject {} --filter '::{}'{schedule}",
                trial.scenario.file.display(),
                trial.subject,
                trial.explorer
            )
        };
        if let Some(h) = checks
            .iter()
            .find(|c| c.class == Some(FailureClass::HarnessError))
        {
            Verdict::error(
                FailureClass::HarnessError,
                format!("{} could not finish: {}", trial.explorer, h.observed),
                evidence,
            )
        } else if let Some(p) = checks
            .iter()
            .find(|c| c.class == Some(FailureClass::Panicked))
        {
            Verdict::error(
                FailureClass::Panicked,
                format!(
                    "the subject panicked under {}: {}; {replay}",
                    trial.explorer, p.observed
                ),
                evidence,
            )
        } else {
            let mut verdict = Verdict::grade(checks, evidence);
            if verdict.outcome != crate::judge::class::Outcome::Pass {
                verdict.summary = format!("{} ({replay})", verdict.summary);
            }
            verdict.explanation = explanation.map(|x| x.lines).unwrap_or_default();
            verdict
                .explanation
                .extend(lock_order_lines(&verdict, &trial.scenario.file));
            verdict
        }
    } else {
        let checks = Judge {
            scenario: s,
            vars,
            evidence: &evidence,
            real_time: true,
        }
        .checks();
        let mut verdict = Verdict::grade(checks, evidence);
        verdict.explanation = lock_order_lines(&verdict, &trial.scenario.file);
        verdict
    }
}

/// A failed `lock_order` check, explained with the file's lines.
fn lock_order_lines(verdict: &Verdict, file: &std::path::Path) -> Vec<String> {
    let failed = verdict
        .checks
        .iter()
        .any(|c| !c.passed && c.class == Some(FailureClass::LockOrder));
    if failed {
        crate::judge::deadlock::explain_lock_order(file, &verdict.evidence)
    } else {
        Vec::new()
    }
}

/// Trials that open hundreds or thousands of clients hold a descriptor for each in this
/// process: one such trial at a time, so that several at once (four jobs per core) never
/// exhaust the open-file limit together and fail every trial beside them.
static MANY_CLIENTS: Mutex<()> = Mutex::new(());

fn opens_many_clients(s: &crate::load::model::Scenario) -> bool {
    s.steps.iter().any(|st| match &st.connect {
        Some(crate::load::model::Connect::Full(f)) => f.count.unwrap_or(0) >= 500,
        _ => false,
    })
}

fn judge_program(trial: &Trial, ctx: &Context, vars: &BTreeMap<String, String>) -> Verdict {
    let s = &trial.scenario.scenario;
    let _many =
        opens_many_clients(s).then(|| MANY_CLIENTS.lock().unwrap_or_else(|p| p.into_inner()));
    let pc = program::ProgramContext {
        target: trial.program.clone(),
        cwd: ctx.cwd.clone(),
        namespaces: ctx.namespaces,
        mounts: trial.mounts.clone(),
    };
    let run = program::run(s, vars, &ctx.exe, &pc);
    if let Some((class, why)) = run.error {
        return Verdict::error(class, why, run.evidence);
    }
    let checks = crate::judge::program::Judge {
        scenario: s,
        vars,
        evidence: &run.evidence,
        samples: &run.samples,
        leftover: &run.leftover,
        from_us: run.ready_at_us,
    }
    .checks();
    let mut verdict = Verdict::grade(checks, run.evidence);
    verdict.stderr_tail = stderr_tail(&verdict.evidence);
    verdict
}

/// The last lines the program wrote on stderr.
fn stderr_tail(evidence: &Evidence) -> String {
    let lines: Vec<&str> = evidence
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Output { stream, text } if stream == "stderr" => Some(text.as_str()),
            _ => None,
        })
        .collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// What a checker reported, if this trial ran under one.
fn explored(evidence: &Evidence) -> Option<Vec<Check>> {
    evidence.events.iter().find_map(|e| match &e.kind {
        EventKind::Explored { checks, .. } => Some(checks.clone()),
        _ => None,
    })
}

/// The readable calls that started and never ended.
/// The failing shuttle schedule a checker's trial recorded.
fn schedule_of(evidence: &Evidence) -> Option<String> {
    evidence.events.iter().find_map(|e| match &e.kind {
        EventKind::Explored { schedule, .. } => schedule.clone(),
        _ => None,
    })
}

fn unfinished_calls(evidence: &Evidence) -> Vec<String> {
    let mut open: BTreeMap<(String, crate::evidence::StepAt), String> = BTreeMap::new();
    for e in &evidence.events {
        match (&e.kind, e.kind.step()) {
            (EventKind::Call { call, .. }, Some(at)) => {
                open.insert((e.actor.clone(), at), format!("{}'s {call}", e.actor));
            }
            (_, Some(at)) => {
                open.remove(&(e.actor.clone(), at));
            }
            _ => {}
        }
    }
    open.into_values().collect()
}

fn in_flight_call(evidence: &Evidence, actor: &str) -> String {
    evidence
        .events
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            EventKind::Call { call, .. } if e.actor == actor => Some(call.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "a call".into())
}

struct WorkerRun {
    events: Vec<Event>,
    killed: bool,
    status: String,
    stderr_tail: String,
}

/// Starts the worker in its own process group, feeds it the job, collects its events, and
/// kills the group if it outlives `deadline`.
fn run_worker(ctx: &Context, job: &worker::Job, deadline: Duration) -> Result<WorkerRun, String> {
    let mut child = Command::new(&ctx.exe)
        .arg("__worker")
        .current_dir(&ctx.cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start the worker {}: {e}", ctx.exe.display()))?;
    let input = serde_json::to_vec(job).map_err(|e| format!("cannot encode the job: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A worker that died at once shows up below, by its status.
        let _ = stdin.write_all(&input);
    }
    let events = Arc::new(Mutex::new(Vec::new()));
    let stdout = child.stdout.take();
    let reader = {
        let events = events.clone();
        std::thread::spawn(move || {
            let Some(stdout) = stdout else { return };
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(e) = serde_json::from_str::<Event>(&line) {
                    events.lock().unwrap_or_else(|p| p.into_inner()).push(e);
                }
            }
        })
    };
    let stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut tail = Vec::new();
        if let Some(mut stderr) = stderr {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                tail.extend_from_slice(&buf[..n]);
                if tail.len() > 2 * STDERR_TAIL {
                    tail.drain(..tail.len() - STDERR_TAIL);
                }
            }
        }
        let start = tail.len().saturating_sub(STDERR_TAIL);
        String::from_utf8_lossy(&tail[start..]).into_owned()
    });
    let until = Instant::now() + deadline;
    let mut killed = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= until && !killed => {
                killed = true;
                // The worker leads its own group: kill everything it started.
                let _ = nix::sys::signal::killpg(
                    nix::unistd::Pid::from_raw(child.id() as i32),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("cannot wait for the worker: {e}")),
        }
    };
    // Whatever the worker started (an adapter program) ends with it, and cannot hold its
    // output pipes open past it.
    let _ = nix::sys::signal::killpg(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGKILL,
    );
    let _ = reader.join();
    let stderr_tail = err_reader.join().unwrap_or_default();
    let events = std::mem::take(&mut *events.lock().unwrap_or_else(|p| p.into_inner()));
    Ok(WorkerRun {
        events,
        killed,
        status: status.to_string(),
        stderr_tail,
    })
}
