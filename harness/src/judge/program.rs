//! Judging a program scenario: each step's outcome, the assertions over the sampled
//! process tree, and what only the end can tell (the program died early, a process
//! survived the clean-up).

use std::collections::BTreeMap;
use std::time::Duration;

use super::class::{FailureClass, Level};
use super::Check;
use crate::evidence::{EventKind, Evidence};
use crate::load::model::{
    Assertion, Bounds, CpuAssert, Distinct, NumberAssert, ParentOf, Scenario, Syscall, Text,
    ZombieAssert,
};
use crate::observe::{ticks_per_second, Sample};

pub struct Judge<'a> {
    pub scenario: &'a Scenario,
    pub vars: &'a BTreeMap<String, String>,
    pub evidence: &'a Evidence,
    pub samples: &'a [Sample],
    pub leftover: &'a [i32],
    /// Samples from this time on are judged (the program was ready).
    pub from_us: u64,
}

impl Judge<'_> {
    pub fn checks(&self) -> Vec<Check> {
        let mut checks: Vec<Check> = self
            .evidence
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::StepDone {
                    step,
                    what,
                    ok,
                    class,
                    expected,
                    observed,
                } => {
                    let own = self
                        .scenario
                        .steps
                        .get(step.wrapping_sub(1))
                        .and_then(|s| s.level.as_ref());
                    Some(Check {
                        name: if *step == 0 {
                            what.clone()
                        } else {
                            format!("step {step} {what}")
                        },
                        level: self.level(own),
                        passed: *ok,
                        class: *class,
                        expected: expected.clone(),
                        observed: observed.clone(),
                    })
                }
                _ => None,
            })
            .collect();
        // A step that waited in vain for the program, while every thread of it sat in a
        // lock wait using no CPU: the program is deadlocked, and that is why.
        for (check, end_us) in checks.iter_mut().zip(self.step_ends()) {
            let waited = matches!(
                check.class,
                Some(FailureClass::MissingOutput | FailureClass::NoReply | FailureClass::NoExit)
            );
            if check.passed || !waited {
                continue;
            }
            let window: Vec<&Sample> = self
                .judged()
                .filter(|s| s.at_us <= end_us && s.at_us + DEADLOCK_WINDOW_US >= end_us)
                .collect();
            if let Some(why) = deadlocked(&window) {
                check.class = Some(FailureClass::Deadlock);
                check.observed = format!("{}; the program is deadlocked: {why}", check.observed);
            }
        }
        // A program that never became ready was not observed doing anything: its failed
        // readiness says it all.
        let ready = !checks.iter().any(|c| c.name == "ready" && !c.passed);
        if ready {
            for a in &self.scenario.asserts {
                checks.extend(self.assertion(a));
            }
        }
        if !self.leftover.is_empty() {
            checks.push(Check {
                name: "clean-up".into(),
                level: Level::Must,
                passed: false,
                class: Some(FailureClass::LeakedProcess),
                expected: "every process of the program gone after TERM and KILL".into(),
                observed: format!("still there: {:?}", self.leftover),
            });
        }
        checks
    }

    /// When each step's check was made, in the order of `checks`' step checks.
    fn step_ends(&self) -> impl Iterator<Item = u64> + '_ {
        self.evidence.events.iter().filter_map(|e| match e.kind {
            EventKind::StepDone { .. } => Some(e.at_us),
            _ => None,
        })
    }

    /// The samples taken once the program was ready.
    fn judged(&self) -> impl DoubleEndedIterator<Item = &Sample> + '_ {
        self.samples.iter().filter(|s| s.at_us >= self.from_us)
    }

    fn level(&self, own: Option<&Text>) -> Level {
        super::level_of(self.scenario, self.vars, own)
    }

    fn assertion(&self, a: &Assertion) -> Option<Check> {
        let level = self.level(a.level.as_ref());
        let mut c = if let Some(cpu) = &a.cpu {
            self.cpu(cpu)
        } else if let Some(b) = &a.processes {
            self.bounds("processes in the tree", b, FailureClass::WrongResult, |s| {
                s.live() as i64
            })
        } else if let Some(b) = &a.threads {
            self.bounds(
                "threads of a process",
                b,
                FailureClass::WrongResult,
                Sample::max_threads,
            )
        } else if let Some(z) = &a.zombies {
            self.zombies(z)
        } else if let Some(family) = a.blocks_in {
            self.blocks_in(family)
        } else if let Some(edge) = a.edge_triggered {
            self.edge_triggered(edge)
        } else if a.mechanism.is_some() {
            self.mechanism()
        } else if let Some(p) = &a.parent_of {
            self.parent_of(p)
        } else if let Some(d) = &a.distinct {
            self.distinct(d)
        } else if let Some(n) = &a.number {
            self.number(n)
        } else {
            return None;
        };
        c.level = level;
        Some(c)
    }

    fn cpu(&self, a: &CpuAssert) -> Check {
        let mut c = check(
            format!("CPU over the last {}", a.over),
            format!(
                "at most {}% of a core, and runnable in fewer than half the samples",
                a.max_percent
            ),
        );
        let Some(last) = self.judged().last() else {
            c.observed = "no sample of the tree".into();
            return fail(c, FailureClass::HarnessError);
        };
        let from_us = last.at_us.saturating_sub(a.over.0.as_micros() as u64);
        let Some(first) = self.judged().find(|s| s.at_us >= from_us) else {
            return fail(c, FailureClass::HarnessError);
        };
        let span = Duration::from_micros(last.at_us - first.at_us);
        if span.is_zero() {
            c.observed = "the run was too short to measure".into();
            return fail(c, FailureClass::HarnessError);
        }
        // CPU of the processes present at both ends (one that exits takes its time with it).
        let used: u64 = last
            .procs
            .iter()
            .filter_map(|p| {
                first
                    .procs
                    .iter()
                    .find(|q| q.pid == p.pid)
                    .map(|q| p.cpu_ticks.saturating_sub(q.cpu_ticks))
            })
            .sum();
        let percent = used as f64 / ticks_per_second() as f64 / span.as_secs_f64() * 100.0;
        // On a loaded machine a spinning program may get little CPU, but it is always
        // runnable (R), where an idle one sleeps (S): count the samples that show it so.
        let window: Vec<&Sample> = self.judged().filter(|s| s.at_us >= from_us).collect();
        let runnable = window
            .iter()
            .filter(|s| s.procs.iter().any(runnable))
            .count();
        c.observed = format!(
            "{percent:.0}% over {:.1}s; runnable in {runnable} of {} samples",
            span.as_secs_f64(),
            window.len()
        );
        c.passed = percent <= a.max_percent && runnable * 2 < window.len().max(1);
        if c.passed {
            c
        } else {
            fail(c, FailureClass::BusyLoop)
        }
    }

    fn bounds(
        &self,
        what: &str,
        b: &Bounds,
        class: FailureClass,
        measure: impl Fn(&Sample) -> i64,
    ) -> Check {
        let expected = match (b.min, b.max) {
            (Some(lo), Some(hi)) => format!("from {lo} to {hi} at every sample"),
            (Some(lo), None) => format!("at least {lo} at every sample"),
            (None, Some(hi)) => format!("at most {hi} at every sample"),
            (None, None) => "anything".into(),
        };
        let mut c = check(what.to_owned(), expected);
        // Samples before the program's first process appeared say nothing.
        let values: Vec<(u64, i64)> = self
            .judged()
            .filter(|s| !s.procs.is_empty())
            .map(|s| (s.at_us, measure(s)))
            .collect();
        let (lo, hi) = (
            values.iter().map(|v| v.1).min(),
            values.iter().map(|v| v.1).max(),
        );
        let Some((lo, hi)) = lo.zip(hi) else {
            c.observed = "no sample of the tree".into();
            return fail(c, FailureClass::HarnessError);
        };
        let bad = values.iter().find(|(_, v)| {
            b.min.is_some_and(|m| *v < i64::from(m)) || b.max.is_some_and(|m| *v > i64::from(m))
        });
        c.observed = match bad {
            Some((at, v)) => format!("{v} at {:.2}s (range seen: {lo} to {hi})", *at as f64 / 1e6),
            None => format!("from {lo} to {hi}"),
        };
        c.passed = bad.is_none();
        if c.passed {
            c
        } else {
            fail(c, class)
        }
    }

    fn zombies(&self, z: &ZombieAssert) -> Check {
        // How long each zombie was seen: from its first sample in state Z to its last.
        let mut seen: BTreeMap<i32, (u64, u64, String)> = BTreeMap::new();
        for s in self.judged() {
            for p in s.zombies() {
                let e = seen
                    .entry(p.pid)
                    .or_insert((s.at_us, s.at_us, p.comm.clone()));
                e.1 = s.at_us;
            }
        }
        let oldest = seen
            .iter()
            .map(|(pid, (a, b, comm))| (*pid, Duration::from_micros(b - a), comm.clone()))
            .max_by_key(|z| z.1);
        let describe = |o: &Option<(i32, Duration, String)>| match o {
            Some((pid, age, comm)) => format!(
                "{} seen; the longest, pid {pid} ({comm}), for {:.0}ms",
                match seen.len() {
                    1 => "1 zombie".to_owned(),
                    n => format!("{n} zombies"),
                },
                age.as_secs_f64() * 1000.0
            ),
            None => "no zombie".to_owned(),
        };
        if let Some(max) = z.max_age {
            let mut c = check("zombies".into(), format!("none lasting longer than {max}"));
            c.observed = describe(&oldest);
            c.passed = oldest.as_ref().is_none_or(|o| o.1 <= max.0);
            return if c.passed {
                c
            } else {
                fail(c, FailureClass::Zombie)
            };
        }
        // A zombie that lasts one sample may be a launcher's (a shell or a pyenv shim reaps
        // its helpers within milliseconds): `seen` wants one that lasts two samples.
        let lasting = seen.values().filter(|(a, b, _)| b > a).count();
        let want = z.seen.unwrap_or(true);
        let mut c = check(
            "zombies".into(),
            if want {
                "a zombie to appear".into()
            } else {
                "no zombie".into()
            },
        );
        c.observed = describe(&oldest);
        c.passed = (lasting > 0) == want;
        if c.passed {
            c
        } else {
            fail(
                c,
                if want {
                    FailureClass::WrongResult
                } else {
                    FailureClass::Zombie
                },
            )
        }
    }
}

impl Judge<'_> {
    /// In how many samples some thread of the tree waited in `family`, and what else the
    /// threads waited in.
    fn blocks_in(&self, family: Syscall) -> Check {
        let mut c = check(
            format!("waits in {family}"),
            format!("a thread waiting in {family} in at least half of the samples"),
        );
        let (mut total, mut hits) = (0, 0);
        let mut others: BTreeMap<&str, usize> = BTreeMap::new();
        for s in self.judged().filter(|s| s.live() > 0) {
            total += 1;
            let families: std::collections::BTreeSet<Syscall> = families(s);
            if families.contains(&family) {
                hits += 1;
            }
            for f in families.iter().filter(|f| **f != family) {
                *others.entry(f.name()).or_default() += 1;
            }
        }
        if total == 0 {
            c.observed = "no sample of the tree".into();
            return fail(c, FailureClass::HarnessError);
        }
        let others: Vec<String> = others.iter().map(|(f, n)| format!("{f} in {n}")).collect();
        c.observed = format!(
            "{family} in {hits} of {total} samples{}",
            if others.is_empty() {
                String::new()
            } else {
                format!("; also {}", others.join(", "))
            }
        );
        c.passed = hits * 2 >= total;
        if c.passed {
            c
        } else {
            fail(c, FailureClass::WrongMechanism)
        }
    }

    /// What the program looks like from /proc: the family it waits in most, and how many
    /// processes and threads it had.
    fn mechanism(&self) -> Check {
        let mut c = check(
            "mechanism".into(),
            "(informational) the model it looks like".into(),
        );
        let mut waits: BTreeMap<Syscall, usize> = BTreeMap::new();
        let (mut procs, mut threads, mut total) = (0, 0, 0);
        for s in self.judged().filter(|s| s.live() > 0) {
            total += 1;
            procs = procs.max(s.live());
            threads = threads.max(s.max_threads());
            let families: std::collections::BTreeSet<Syscall> = families(s);
            for f in families {
                *waits.entry(f).or_default() += 1;
            }
        }
        let top = waits.iter().max_by_key(|(_, n)| **n);
        let model = match top.map(|(f, _)| *f) {
            _ if procs > 1 => "fork (a process per client)",
            _ if threads > 1 => "thread (a thread per client)",
            Some(Syscall::Select) => "select",
            Some(Syscall::Poll) => "poll",
            Some(Syscall::Epoll) => "epoll",
            Some(Syscall::Accept | Syscall::Read) => "loop (one client at a time)",
            None => "unknown",
        };
        let waits = top.map_or("no known system call".into(), |(f, n)| {
            format!("waits in {f} in {n} of {total} samples")
        });
        c.observed = format!(
            "looks like {model}: {waits}; at most {procs} processes, {threads} threads in one"
        );
        c
    }

    /// Whether the tree's epoll watches were edge-triggered (EPOLLET), as asked.
    fn edge_triggered(&self, want: bool) -> Check {
        let mut c = check(
            "epoll watches".into(),
            if want {
                "an edge-triggered (EPOLLET) watch".into()
            } else {
                "no edge-triggered (EPOLLET) watch".into()
            },
        );
        let watches: BTreeMap<(i32, i32, i32), bool> = self
            .judged()
            .flat_map(|s| &s.procs)
            .flat_map(|p| {
                p.epoll
                    .iter()
                    .map(move |w| ((p.pid, w.epoll_fd, w.target_fd), w.edge))
            })
            .collect();
        let edge = watches.values().filter(|e| **e).count();
        c.observed = format!("{} watches seen, {edge} edge-triggered", watches.len());
        c.passed = (edge > 0) == want;
        if c.passed {
            c
        } else {
            fail(c, FailureClass::WrongMechanism)
        }
    }
}

impl Judge<'_> {
    /// Every value each capture took, in order.
    fn captures(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut all: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for e in &self.evidence.events {
            if let EventKind::Captured { name, value } = &e.kind {
                all.entry(name).or_default().push(value);
            }
        }
        all
    }

    /// Fills variables and (latest) captures.
    fn fill(&self, t: &Text) -> String {
        let captures = self.captures();
        crate::load::vars::fill(&t.0, &|n| {
            captures
                .get(n)
                .and_then(|v| v.last())
                .map(|v| v.to_string())
                .or_else(|| self.vars.get(n).cloned())
                .or_else(|| (n == "cpus").then(crate::load::vars::cpus))
        })
    }

    fn parent_of(&self, p: &ParentOf) -> Check {
        let (child, parent) = (self.fill(&p.child), self.fill(&p.parent));
        let mut c = check(
            format!("parent of {child}"),
            format!("process {child} a child of {parent} at some sample"),
        );
        let (Ok(pid), Ok(ppid)) = (child.parse::<i32>(), parent.parse::<i32>()) else {
            c.observed = format!("not pids: `{child}`, `{parent}` (was the line printed?)");
            return fail(c, FailureClass::WrongResult);
        };
        let parents: std::collections::BTreeSet<i32> = self
            .samples
            .iter()
            .flat_map(|s| &s.procs)
            .filter(|q| q.pid == pid)
            .map(|q| q.ppid)
            .collect();
        c.passed = parents.contains(&ppid);
        c.observed = if parents.is_empty() {
            format!("no process {pid} in the program's tree at any sample")
        } else {
            format!("its parent was {parents:?}")
        };
        if c.passed {
            c
        } else {
            fail(c, FailureClass::WrongResult)
        }
    }

    fn number(&self, n: &NumberAssert) -> Check {
        let text = self.fill(&n.value);
        let expected = match (n.min, n.max) {
            (Some(lo), Some(hi)) => format!("from {lo} to {hi}"),
            (Some(lo), None) => format!("at least {lo}"),
            (None, Some(hi)) => format!("at most {hi}"),
            (None, None) => "a number".into(),
        };
        let mut c = check(format!("the number {}", n.value.0), expected);
        c.observed = text.clone();
        c.passed = text
            .trim()
            .parse::<f64>()
            .is_ok_and(|v| n.min.is_none_or(|lo| v >= lo) && n.max.is_none_or(|hi| v <= hi));
        if c.passed {
            c
        } else {
            fail(c, FailureClass::WrongResult)
        }
    }

    fn distinct(&self, d: &Distinct) -> Check {
        let count = self.fill(&d.count);
        let captures = self.captures();
        let values: std::collections::BTreeSet<&str> = captures
            .get(d.capture.as_str())
            .into_iter()
            .flatten()
            .copied()
            .collect();
        let mut c = check(
            format!("distinct values of {}", d.capture),
            format!("{count} different values"),
        );
        c.observed = format!("{}: {values:?}", values.len());
        c.passed = count.parse::<usize>().is_ok_and(|n| n == values.len());
        if c.passed {
            c
        } else {
            fail(c, FailureClass::WrongResult)
        }
    }
}

/// The families of system calls the live threads of `sample` wait in.
fn families(sample: &Sample) -> std::collections::BTreeSet<Syscall> {
    sample
        .procs
        .iter()
        .filter(|p| p.state != 'Z')
        .flat_map(|p| &p.tasks)
        .filter_map(|t| t.syscall.parse().ok().and_then(Syscall::of))
        .collect()
}

/// Running or ready to run: the process's main thread (its `stat` state), or any of its
/// threads (`/proc/PID/task/TID/syscall` says `running`, or `-1`: stopped outside any
/// system call, i.e. preempted while computing): a spinning worker thread counts.
fn runnable(p: &crate::subject::tree::Proc) -> bool {
    p.state == 'R'
        || p.tasks
            .iter()
            .any(|t| t.syscall == "running" || t.syscall == "-1")
}

fn check(name: String, expected: String) -> Check {
    Check {
        name,
        level: Level::Must,
        passed: true,
        class: None,
        expected,
        observed: String::new(),
    }
}

fn fail(mut c: Check, class: FailureClass) -> Check {
    c.passed = false;
    c.class = Some(class);
    c
}

/// How far back from a step that waited in vain the program's threads are looked at.
const DEADLOCK_WINDOW_US: u64 = 600_000;

/// The futex system call: what a thread blocked on a lock (a Python `Lock`, a pthread mutex
/// or condition variable, a `join`) waits in.
#[cfg(target_arch = "x86_64")]
const SYS_FUTEX: &str = "202";
#[cfg(not(target_arch = "x86_64"))]
const SYS_FUTEX: &str = "98";

/// Whether a program is deadlocked in `window` (samples of its tree, oldest first): it has
/// at least one live process, every thread of every live process is blocked in a futex
/// wait (its system call, or its wait channel) in every sample, the samples span at least
/// 200ms, and the tree used no CPU between the first and the last. A thread waiting in
/// `accept`, `recv`, `select` or `sleep` is not in a lock wait: an idle server is not
/// deadlocked. Says what each thread waits in.
pub fn deadlocked(window: &[&Sample]) -> Option<String> {
    let (first, last) = (window.first()?, window.last()?);
    if last.at_us.saturating_sub(first.at_us) < 200_000 {
        return None;
    }
    let in_lock_wait = |s: &Sample| {
        let live: Vec<_> = s.procs.iter().filter(|p| p.state != 'Z').collect();
        !live.is_empty()
            && live.iter().all(|p| {
                !p.tasks.is_empty()
                    && p.tasks.iter().all(|t| {
                        t.syscall != "running"
                            && (t.syscall == SYS_FUTEX || t.wchan.contains("futex"))
                    })
            })
    };
    if !window.iter().all(|s| in_lock_wait(s)) || first.cpu_ticks() != last.cpu_ticks() {
        return None;
    }
    let threads: Vec<String> = last
        .procs
        .iter()
        .filter(|p| p.state != 'Z')
        .map(|p| {
            let tasks: Vec<String> = p
                .tasks
                .iter()
                .map(|t| {
                    let wchan = if t.wchan.is_empty() {
                        String::new()
                    } else {
                        format!("{}, ", t.wchan)
                    };
                    format!("thread {} ({wchan}futex)", t.tid)
                })
                .collect();
            format!(
                "pid {} {} (state {}): {}",
                p.pid,
                p.comm,
                p.state,
                tasks.join(", ")
            )
        })
        .collect();
    Some(format!(
        "every thread waits for a lock (futex) and none used any CPU for {:.1}s: {}",
        (last.at_us - first.at_us) as f64 / 1e6,
        threads.join("; ")
    ))
}

#[cfg(test)]
mod deadlock_tests {
    use super::*;
    use crate::subject::tree::{Proc, TaskWait};

    fn sample(at_ms: u64, cpu: u64, waits: &[(&str, &str)]) -> Sample {
        Sample {
            at_us: at_ms * 1000,
            procs: vec![Proc {
                pid: 10,
                ppid: 1,
                state: 'S',
                threads: waits.len() as i64,
                cpu_ticks: cpu,
                comm: "python3".into(),
                fds: 3,
                wchan: String::new(),
                tasks: waits
                    .iter()
                    .enumerate()
                    .map(|(i, (wchan, syscall))| TaskWait {
                        tid: 10 + i as i32,
                        wchan: (*wchan).into(),
                        syscall: (*syscall).into(),
                    })
                    .collect(),
                epoll: Vec::new(),
            }],
        }
    }

    #[test]
    fn threads_all_in_futex_with_no_cpu_are_deadlocked() {
        let futex = [("futex_do_wait", SYS_FUTEX); 3];
        let (a, b) = (sample(0, 5, &futex), sample(500, 5, &futex));
        let why = deadlocked(&[&a, &b]).expect("deadlocked");
        assert!(why.contains("pid 10 python3"), "{why}");
        assert!(why.contains("thread 12 (futex_do_wait, futex)"), "{why}");
    }

    #[test]
    fn an_idle_server_is_not_deadlocked() {
        // Waiting in accept (and a worker in recvfrom): idle, not deadlocked.
        let idle = [("inet_csk_accept", "43"), ("futex_do_wait", SYS_FUTEX)];
        let (a, b) = (sample(0, 5, &idle), sample(500, 5, &idle));
        assert_eq!(deadlocked(&[&a, &b]), None);
    }

    #[test]
    fn a_busy_or_short_wait_is_not_deadlocked() {
        let futex = [("futex_do_wait", SYS_FUTEX); 2];
        let (a, b) = (sample(0, 5, &futex), sample(500, 9, &futex));
        assert_eq!(deadlocked(&[&a, &b]), None, "it used CPU");
        let c = sample(100, 5, &futex);
        assert_eq!(deadlocked(&[&a, &c]), None, "too short to tell");
        let running = [("", "running"), ("futex_do_wait", SYS_FUTEX)];
        let (d, e) = (sample(0, 5, &running), sample(500, 5, &running));
        assert_eq!(deadlocked(&[&d, &e]), None, "a thread runs");
    }
}
