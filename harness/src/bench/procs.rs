//! Processes against threads (claims `thread.lightweight`, `pt.differences`, `gil.cpu-bound`,
//! `gil.io-bound`, `gil.one-thread`): what it costs to create one, how CPU-bound work speeds
//! up split over threads and over processes, and how threads speed up blocking IO. Measured
//! here in Rust (threads are `std::thread`, processes are `fork`), and on any commands given
//! (`--cmd`, timed over repeated runs as hyperfine does; `{workers}` in a command is replaced
//! by 1 and then by each worker count, which gives its speed-up).

use std::io;
use std::net::UdpSocket;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::wait::waitpid;
use nix::unistd::{fork, ForkResult};
use serde::Serialize;

/// What to measure.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Threads and processes created, one after another, for the creation cost.
    pub spawn: usize,
    /// Worker counts the work is split over (1 is always measured first, as the base).
    pub workers: Vec<usize>,
    /// Iterations of the CPU-bound loop, in all.
    pub cpu_iterations: u64,
    /// Blocking waits in all, and how long each one blocks.
    pub io_waits: usize,
    pub io_wait: Duration,
    /// Timed runs of each measurement (after one untimed run).
    pub runs: usize,
    /// Commands to time.
    pub commands: Vec<String>,
}

/// Wall-clock times of repeated runs.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Timing {
    pub runs: usize,
    pub mean_s: f64,
    pub stddev_s: f64,
    pub min_s: f64,
}

impl Timing {
    fn of(times: &[f64]) -> Timing {
        let n = times.len().max(1) as f64;
        let mean = times.iter().sum::<f64>() / n;
        let var = times.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / n;
        Timing {
            runs: times.len(),
            mean_s: mean,
            stddev_s: var.sqrt(),
            min_s: times.iter().copied().fold(f64::INFINITY, f64::min),
        }
    }
}

/// The cost of creating (and ending, and joining or reaping) one thread or process.
#[derive(Clone, Debug, Serialize)]
pub struct Creation {
    /// `thread` or `process`.
    pub kind: String,
    pub count: usize,
    pub timing: Timing,
    /// Microseconds per thread or process (mean).
    pub each_us: f64,
}

/// Work split over workers: its time and its speed-up over one worker.
#[derive(Clone, Debug, Serialize)]
pub struct Split {
    /// `cpu` or `io`.
    pub work: String,
    /// `thread` or `process`.
    pub kind: String,
    pub workers: usize,
    pub timing: Timing,
    /// Mean time with one worker over mean time with `workers`.
    pub speedup: f64,
}

/// A command's figures, at one worker count when it takes `{workers}`.
#[derive(Clone, Debug, Serialize)]
pub struct CommandFigure {
    /// The command as given (with `{workers}`).
    pub command: String,
    pub workers: Option<usize>,
    pub timing: Timing,
    /// Over the same command at `{workers}` = 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speedup: Option<f64>,
    /// Why it could not be timed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Figures {
    pub creation: Vec<Creation>,
    pub split: Vec<Split>,
    pub commands: Vec<CommandFigure>,
}

/// Runs every measurement, printing each figure as it comes.
pub fn run(spec: &Spec) -> io::Result<Figures> {
    let mut f = Figures::default();
    for kind in ["thread", "process"] {
        let timing = time(spec.runs, || create(kind, spec.spawn))?;
        let each_us = timing.mean_s * 1e6 / spec.spawn.max(1) as f64;
        println!(
            "  create+end {} {}: {each_us:.1} us each",
            spec.spawn,
            plural(kind)
        );
        f.creation.push(Creation {
            kind: kind.into(),
            count: spec.spawn,
            timing,
            each_us,
        });
    }
    let counts: Vec<usize> = std::iter::once(1)
        .chain(spec.workers.iter().copied().filter(|w| *w > 1))
        .collect();
    for (work, kind) in [("cpu", "thread"), ("cpu", "process"), ("io", "thread")] {
        let mut base = None;
        for &w in &counts {
            let timing = time(spec.runs, || match work {
                "cpu" => cpu(kind, w, spec.cpu_iterations),
                _ => blocking_io(w, spec.io_waits, spec.io_wait),
            })?;
            let one = *base.get_or_insert(timing.mean_s);
            let speedup = one / timing.mean_s;
            println!(
                "  {work}-bound over {w} {}: {:.3}s, speed-up {speedup:.2}x",
                plural(kind),
                timing.mean_s
            );
            f.split.push(Split {
                work: work.into(),
                kind: kind.into(),
                workers: w,
                timing,
                speedup,
            });
        }
    }
    for c in &spec.commands {
        let levels: Vec<Option<usize>> = if c.contains("{workers}") {
            counts.iter().map(|w| Some(*w)).collect()
        } else {
            vec![None]
        };
        let mut base = None;
        for w in levels {
            let line = w.map_or(c.clone(), |w| c.replace("{workers}", &w.to_string()));
            let figure = match time(spec.runs, || run_command(&line)) {
                Ok(timing) => {
                    let speedup = w.map(|_| *base.get_or_insert(timing.mean_s) / timing.mean_s);
                    println!(
                        "  `{line}`: {:.3}s +- {:.3}s{}",
                        timing.mean_s,
                        timing.stddev_s,
                        speedup.map_or(String::new(), |s| format!(", speed-up {s:.2}x"))
                    );
                    CommandFigure {
                        command: c.clone(),
                        workers: w,
                        timing,
                        speedup,
                        error: None,
                    }
                }
                Err(e) => {
                    println!("  `{line}`: {e}");
                    CommandFigure {
                        command: c.clone(),
                        workers: w,
                        timing: Timing::default(),
                        speedup: None,
                        error: Some(e.to_string()),
                    }
                }
            };
            f.commands.push(figure);
        }
    }
    Ok(f)
}

fn plural(kind: &str) -> &'static str {
    if kind == "thread" {
        "threads"
    } else {
        "processes"
    }
}

/// Runs `body` once untimed, then `runs` times timed.
fn time(runs: usize, mut body: impl FnMut() -> io::Result<()>) -> io::Result<Timing> {
    body()?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        body()?;
        times.push(t.elapsed().as_secs_f64());
    }
    Ok(Timing::of(&times))
}

/// Creates `count` threads or processes one after another, each ended and joined (or
/// reaped) before the next.
fn create(kind: &str, count: usize) -> io::Result<()> {
    for _ in 0..count {
        if kind == "thread" {
            std::thread::spawn(|| ())
                .join()
                .map_err(|_| io::Error::other("a thread panicked"))?;
        } else {
            in_child(|| ())?;
        }
    }
    Ok(())
}

/// Forks a child that runs `body` and exits, and waits for it.
fn in_child(body: impl FnOnce()) -> io::Result<()> {
    // SAFETY: the child only computes and `_exit`s: it takes no lock and allocates nothing
    // that another thread of this process could hold.
    match unsafe { fork() }.map_err(io::Error::from)? {
        ForkResult::Child => {
            body();
            // SAFETY: ends the child at once, as os._exit does.
            unsafe { nix::libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            waitpid(child, None).map_err(io::Error::from)?;
            Ok(())
        }
    }
}

/// `iterations` steps of a pseudo-random sequence: pure CPU, nothing shared.
fn spin(iterations: u64) -> u64 {
    let mut x = 1u64;
    for _ in 0..iterations {
        x = std::hint::black_box(
            x.wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407),
        );
    }
    x
}

/// The CPU-bound work split over `workers` threads or processes.
fn cpu(kind: &str, workers: usize, iterations: u64) -> io::Result<()> {
    let share = iterations / workers as u64;
    if kind == "thread" {
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| spin(share));
            }
        });
        return Ok(());
    }
    let mut children = Vec::new();
    for _ in 0..workers {
        // SAFETY: as in `in_child`: the child computes and `_exit`s.
        match unsafe { fork() }.map_err(io::Error::from)? {
            ForkResult::Child => {
                spin(share);
                // SAFETY: ends the child at once.
                unsafe { nix::libc::_exit(0) }
            }
            ForkResult::Parent { child } => children.push(child),
        }
    }
    for c in children {
        waitpid(c, None).map_err(io::Error::from)?;
    }
    Ok(())
}

/// `waits` blocking reads, each on a socket nobody writes to, with a timeout of `wait`:
/// high-latency IO, split over `workers` threads.
fn blocking_io(workers: usize, waits: usize, wait: Duration) -> io::Result<()> {
    let share = waits / workers;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(move || -> io::Result<()> {
                    let socket = UdpSocket::bind("127.0.0.1:0")?;
                    socket.set_read_timeout(Some(wait))?;
                    let mut buf = [0u8; 1];
                    for _ in 0..share {
                        match socket.recv(&mut buf) {
                            Err(e)
                                if matches!(
                                    e.kind(),
                                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                                ) => {}
                            Err(e) => return Err(e),
                            Ok(_) => {}
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err(io::Error::other("an IO thread panicked")))
        })
    })
}

/// Runs a command line (split like a shell's words, no shell) to its end; a failure is
/// an error naming it.
fn run_command(line: &str) -> io::Result<()> {
    let argv = shlex::split(line)
        .filter(|w| !w.is_empty())
        .ok_or_else(|| io::Error::other(format!("cannot split `{line}`")))?;
    let out = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot start `{}`: {e}", argv[0])))?;
    if out.status.success() {
        Ok(())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(io::Error::other(format!(
            "exited with {}: {}",
            out.status,
            err.lines().last().unwrap_or("")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_is_mean_stddev_and_min() {
        let t = Timing::of(&[1.0, 3.0]);
        assert_eq!((t.runs, t.mean_s, t.stddev_s, t.min_s), (2, 2.0, 1.0, 1.0));
    }

    #[test]
    fn small_figures_have_every_kind() {
        let spec = Spec {
            spawn: 3,
            workers: vec![2],
            cpu_iterations: 1000,
            io_waits: 4,
            io_wait: Duration::from_millis(1),
            runs: 1,
            commands: vec!["true {workers}".into(), "false".into()],
        };
        let f = run(&spec).unwrap();
        assert_eq!(f.creation.len(), 2);
        assert_eq!(f.split.len(), 6);
        assert_eq!(f.commands.len(), 3);
        assert!(f.commands[2].error.is_some());
    }
}
