//! Running a program scenario: start the program isolated, wait until it is ready, play the
//! steps against it (clients, stdin, stdout), then stop it and collect what was seen.

mod command;
mod driver;
mod files;

pub use command::{check_target, command_line, Known};
use driver::Driver;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::drive::Served;
use crate::evidence::{Event, EventKind, Evidence};
use crate::judge::class::FailureClass;
use crate::load::model::{Proto, Scenario};
use crate::load::vars;
use crate::observe::{Sample, Sampler};
use crate::subject::control::SocketKind;
use crate::subject::output::Stream;
use crate::subject::spec::Limits;
use crate::subject::target::{self, Request, StartError, Target};

/// How long a program may take to listen by default (interpreters start slowly).
pub const DEFAULT_READY: Duration = Duration::from_secs(5);
/// How long a program gets between TERM and KILL at the end.
pub const GRACE: Duration = Duration::from_millis(500);

/// Where the program comes from and how to isolate it.
#[derive(Debug, Clone)]
pub struct ProgramContext {
    /// `--target`: replaces the scenario's program.
    pub target: Option<String>,
    /// Relative paths in the command line are taken from here.
    pub cwd: PathBuf,
    /// Run each program in its own network namespace where the kernel allows.
    pub namespaces: bool,
    /// Mounts besides the scenario's (a course profile's).
    pub mounts: BTreeMap<String, String>,
}

/// Everything a program run produced.
pub struct ProgramRun {
    pub evidence: Evidence,
    pub samples: Vec<Sample>,
    /// Set when the run could not judge the program (it could not start, ...).
    pub error: Option<(FailureClass, String)>,
    /// Processes that survived the clean-up (none, normally).
    pub leftover: Vec<i32>,
    /// When the program was ready (µs); tree assertions look at samples from then on, since
    /// a launcher (a pyenv shim, a shell) may fork while starting.
    pub ready_at_us: u64,
}

pub(super) struct Recorder {
    pub(super) t0: Instant,
    pub(super) events: Vec<Event>,
}

impl Recorder {
    pub(super) fn at(&self) -> u64 {
        self.t0.elapsed().as_micros() as u64
    }

    pub(super) fn push(&mut self, actor: &str, kind: EventKind) {
        let at_us = self.at();
        self.events.push(Event {
            at_us,
            actor: actor.to_owned(),
            kind,
        });
    }

    pub(super) fn step(
        &mut self,
        step: usize,
        what: &str,
        ok: bool,
        class: FailureClass,
        expected: String,
        observed: String,
    ) {
        let class = (!ok).then_some(class);
        self.push(
            "harness",
            EventKind::StepDone {
                step,
                what: what.to_owned(),
                ok,
                class,
                expected,
                observed,
            },
        );
    }
}

/// The disk space the files under `dir` take (blocks, so a sparse file counts what it uses),
/// down to 64 folders deep (a program nesting folders without end must not overflow us).
fn disk_use(dir: &Path, depth: u32) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| Some((e.path(), e.metadata().ok()?)))
        .map(|(path, m)| match m.is_dir() {
            true if depth < 64 => m.blocks() * 512 + disk_use(&path, depth + 1),
            _ => m.blocks() * 512,
        })
        .sum()
}

/// Why the watchdog stopped the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fired {
    /// The trial's deadline passed.
    Deadline,
    /// Its working directory grew past `disk_mib` (MiB seen).
    Disk(u64),
}

/// Stops the program when the trial's deadline passes, or when its working directory holds
/// more than the disk limit (no kernel limit bounds a tree's files in all).
struct Watchdog {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    fired: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<Option<Fired>>,
}

impl Watchdog {
    fn start(
        stopper: crate::subject::target::Stopper,
        deadline: Duration,
        dir: PathBuf,
        disk_mib: u32,
    ) -> Watchdog {
        use std::sync::atomic::Ordering;
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let fired = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (flag, fire) = (done.clone(), fired.clone());
        let handle = std::thread::spawn(move || {
            let until = Instant::now() + deadline;
            let mut tick = 0u32;
            let why = loop {
                if Instant::now() >= until {
                    break Fired::Deadline;
                }
                if flag.load(Ordering::Relaxed) {
                    return None;
                }
                // Every 20ms: a writer at the page cache's speed gets some 100 MiB past it.
                tick += 1;
                if tick.is_multiple_of(2) {
                    let used = disk_use(&dir, 0) >> 20;
                    if used > u64::from(disk_mib) {
                        break Fired::Disk(used);
                    }
                }
                std::thread::sleep(Duration::from_millis(10));
            };
            fire.store(true, Ordering::Relaxed);
            stopper.stop_now();
            Some(why)
        });
        Watchdog {
            done,
            fired,
            handle,
        }
    }

    /// Whether (and why) it stopped the program before the steps were done.
    fn finish(self) -> Option<Fired> {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        self.handle.join().unwrap_or(None)
    }
}

/// Runs `s` against its program (or `--target`), with resolved `vars`.
pub fn run(
    s: &Scenario,
    vars: &BTreeMap<String, String>,
    exe: &Path,
    pc: &ProgramContext,
) -> ProgramRun {
    let mut rec = Recorder {
        t0: Instant::now(),
        events: Vec::new(),
    };
    let fail = |rec: Recorder, class, why: String| ProgramRun {
        evidence: Evidence {
            events: rec.events,
            observations: Vec::new(),
        },
        samples: Vec::new(),
        error: Some((class, why)),
        leftover: Vec::new(),
        ready_at_us: 0,
    };
    let tempdir = match tempfile::Builder::new().prefix("conform-").tempdir() {
        Ok(t) => t,
        Err(e) => return fail(rec, FailureClass::HarnessError, format!("temp dir: {e}")),
    };
    let port = target::free_port();
    let dir = tempdir.path().display().to_string();
    let runtime = |name: &str| -> Option<String> {
        match name {
            "port" => Some(port.to_string()),
            "host" => Some("127.0.0.1".into()),
            "dir" => Some(dir.clone()),
            "cpus" => Some(vars::cpus()),
            _ => vars.get(name).cloned(),
        }
    };
    let command = pc
        .target
        .clone()
        .or_else(|| s.subject.program.as_ref().map(|p| p.0.clone()))
        .unwrap_or_default();
    let argv = match command_line(&command, &runtime, exe, &pc.cwd) {
        Ok(a) => a,
        Err(e) => return fail(rec, FailureClass::CannotStart, e),
    };
    let req = Request {
        exe: exe.to_owned(),
        argv: argv.clone(),
        files: s.subject.files.clone(),
        mounts: s
            .subject
            .mounts
            .iter()
            .chain(&pc.mounts)
            .map(|(t, src)| (PathBuf::from(t), PathBuf::from(src)))
            .collect(),
        env: vec![
            ("PORT".into(), port.to_string()),
            ("PYTHONUNBUFFERED".into(), "1".into()),
            ("PYTHONDONTWRITEBYTECODE".into(), "1".into()),
        ],
        netns: pc.namespaces,
        cgroups: true,
        limits: Limits::with(&s.subject.limits),
    };
    let mut served: BTreeMap<String, Served> = BTreeMap::new();
    let started = Target::start(&req, tempdir, &mut |t: &Target| {
        for srv in &s.subject.serve {
            let p: u16 = vars::fill(&srv.port.0, &runtime).parse().map_err(|_| {
                format!(
                    "serve `{}`: the port `{}` is not a number",
                    srv.name, srv.port.0
                )
            })?;
            let udp = srv.proto == Proto::Udp;
            let sock = t.socket(if udp {
                SocketKind::Udp
            } else {
                SocketKind::Tcp
            })?;
            let s = Served::bind(sock, udp, p)
                .map_err(|e| format!("serve `{}` on port {p}: {e}", srv.name))?;
            served.insert(srv.name.clone(), s);
        }
        Ok(())
    });
    let mut target = match started {
        Ok(t) => t,
        Err(StartError::Spawn(e)) => return fail(rec, FailureClass::CannotStart, e),
        Err(StartError::Setup(e)) => return fail(rec, FailureClass::HarnessError, e),
    };
    rec.t0 = target.t0;
    for note in &target.isolation.notes {
        rec.push("harness", EventKind::Note { text: note.clone() });
    }
    rec.push(
        "harness",
        EventKind::Started {
            subject: argv.join(" "),
        },
    );
    let sampler = Sampler::start(target.supervisor_pid(), target.t0);
    // The trial's deadline: past it the program is killed, which ends any step waiting on it.
    let deadline = s.timeout.map_or(super::DEFAULT_TIMEOUT, |t| t.0);
    let limits = Limits::with(&s.subject.limits);
    let watchdog = Watchdog::start(
        target.stopper(),
        deadline,
        PathBuf::from(&dir),
        limits.disk_mib,
    );
    let mut driver = Driver::new(&mut target, &mut rec, served, &runtime, &s.subject.files);
    let ready = driver.ready(s.subject.ready.as_ref());
    let ready_at_us = driver.now_us();
    driver.overran = watchdog.fired.clone();
    if ready {
        for (i, step) in s.steps.iter().enumerate() {
            if watchdog.fired.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            driver.step(i, step);
        }
    }
    drop(driver);
    let overran = watchdog.finish();
    // Steps that ran fast on a busy machine may leave no sample after readiness: the
    // assertions judge those, so wait for one (at once, when there is one).
    let _ = sampler.fresh(ready_at_us);
    let samples_before_stop = sampler.samples();
    let leftover = target.stop(GRACE);
    let _ = sampler.stop();
    for e in target.exits() {
        rec.events.push(Event {
            at_us: e.at_us,
            actor: "harness".into(),
            kind: EventKind::Reaped {
                pid: e.pid,
                exit: e.exit.to_string(),
            },
        });
    }
    for line in target.output.lines() {
        let stream = match line.stream {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        };
        rec.events.push(Event {
            at_us: line.at_us,
            actor: "program".into(),
            kind: EventKind::Output {
                stream: stream.into(),
                text: line.text,
            },
        });
    }
    rec.events
        .extend(crate::observe::changes(&samples_before_stop));
    rec.events.sort_by_key(|e| e.at_us);
    let observations = samples_before_stop
        .iter()
        .map(|s| crate::evidence::Observation {
            at_us: s.at_us,
            what: "tree".into(),
            value: serde_json::to_value(&s.procs).unwrap_or_default(),
        })
        .collect();
    let error = overran.map(|why| match why {
        Fired::Deadline => (
            FailureClass::Hung,
            format!(
                "the steps took longer than the trial's deadline of {}s; the program was killed",
                deadline.as_secs_f64()
            ),
        ),
        Fired::Disk(used) => (
            FailureClass::Crashed,
            format!(
                "it wrote {used} MiB into its working directory, past the limit of {} MiB (`limits.disk_mib`); the program was killed",
                limits.disk_mib
            ),
        ),
    });
    ProgramRun {
        evidence: Evidence {
            events: rec.events,
            observations,
        },
        samples: samples_before_stop,
        error,
        leftover,
        ready_at_us,
    }
}
