//! Observe: sample a program's process tree from /proc while it runs (pids, parents,
//! states, threads, CPU), so judges can ask about zombies, adoption, process and thread
//! counts and idle CPU after the fact.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::subject::tree::{self, Proc};

/// How often the tree is read.
pub const PERIOD: Duration = Duration::from_millis(50);

/// The tree at one moment (the supervisor itself left out).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sample {
    pub at_us: u64,
    pub procs: Vec<Proc>,
}

impl Sample {
    /// Live processes (not zombies).
    pub fn live(&self) -> usize {
        self.procs.iter().filter(|p| p.state != 'Z').count()
    }

    pub fn zombies(&self) -> impl Iterator<Item = &Proc> {
        self.procs.iter().filter(|p| p.state == 'Z')
    }

    /// The most threads any one process has.
    pub fn max_threads(&self) -> i64 {
        self.procs
            .iter()
            .filter(|p| p.state != 'Z')
            .map(|p| p.threads)
            .max()
            .unwrap_or(0)
    }

    pub fn cpu_ticks(&self) -> u64 {
        self.procs.iter().map(|p| p.cpu_ticks).sum()
    }
}

/// A thread sampling the descendants of `root` until stopped.
pub struct Sampler {
    samples: Arc<Mutex<Vec<Sample>>>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Sampler {
    pub fn start(root: i32, t0: Instant) -> Sampler {
        let samples = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handle = {
            let (samples, stop) = (samples.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let procs: Vec<Proc> = tree::descendants(root, &tree::all())
                        .into_iter()
                        .map(tree::detail)
                        .collect();
                    let at_us = t0.elapsed().as_micros() as u64;
                    samples
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(Sample { at_us, procs });
                    std::thread::sleep(PERIOD);
                }
            })
        };
        Sampler {
            samples,
            stop,
            handle: Some(handle),
        }
    }

    /// The samples so far.
    pub fn samples(&self) -> Vec<Sample> {
        self.samples
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The newest sample taken after `at_us` (waits for one, briefly).
    pub fn fresh(&self, at_us: u64) -> Option<Sample> {
        for _ in 0..40 {
            if let Some(s) = self
                .samples
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .last()
                .filter(|s| s.at_us > at_us)
            {
                return Some(s.clone());
            }
            std::thread::sleep(PERIOD / 5);
        }
        None
    }

    /// Stops sampling; returns every sample.
    pub fn stop(mut self) -> Vec<Sample> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        self.samples()
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The changes between consecutive samples, as events: births, adoptions, zombies, exits.
pub fn changes(samples: &[Sample]) -> Vec<crate::evidence::Event> {
    use crate::evidence::{Event, EventKind};
    use std::collections::BTreeMap;
    let mut events = Vec::new();
    let mut before: BTreeMap<i32, &Proc> = BTreeMap::new();
    let mut push = |at_us, pid, what: &str, detail: String| {
        events.push(Event {
            at_us,
            actor: "observer".into(),
            kind: EventKind::Process {
                pid,
                what: what.into(),
                detail,
            },
        });
    };
    for s in samples {
        let now: BTreeMap<i32, &Proc> = s.procs.iter().map(|p| (p.pid, p)).collect();
        for (pid, p) in &now {
            match before.get(pid) {
                None => push(
                    s.at_us,
                    *pid,
                    "born",
                    format!("{} (parent {})", p.comm, p.ppid),
                ),
                Some(b) if b.ppid != p.ppid => push(
                    s.at_us,
                    *pid,
                    "adopted",
                    format!("parent {} -> {}", b.ppid, p.ppid),
                ),
                _ => {}
            }
            if p.state == 'Z' && before.get(pid).is_none_or(|b| b.state != 'Z') {
                push(
                    s.at_us,
                    *pid,
                    "zombie",
                    format!("{}: exited, not yet waited for by {}", p.comm, p.ppid),
                );
            }
        }
        for pid in before.keys().filter(|p| !now.contains_key(p)) {
            push(s.at_us, *pid, "gone", String::new());
        }
        before = now;
    }
    events
}

/// Clock ticks per second, for CPU time.
pub fn ticks_per_second() -> u64 {
    procfs::ticks_per_second()
}
