//! wrk (the Debian package), run on the same server and core as conform's own generator so
//! that the two can be compared: its requests per second and latency percentiles, read from
//! its `--latency` output.

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::load::Outcome;
use super::servers::pin;

/// The command line, for the report.
pub fn command(
    wrk: &Path,
    addr: SocketAddr,
    path: &str,
    clients: usize,
    keep_alive: bool,
    duration: Duration,
) -> Vec<String> {
    let mut argv = vec![
        wrk.display().to_string(),
        "-t1".into(),
        format!("-c{clients}"),
        // wrk takes whole seconds, and has no warm-up: it counts from its first request.
        format!("-d{}s", duration.as_secs_f64().ceil().max(1.0)),
        "--latency".into(),
    ];
    if !keep_alive {
        argv.extend(["-H".into(), "Connection: close".into()]);
    }
    argv.push(format!("http://{addr}{path}"));
    argv
}

/// Runs wrk pinned to `core` and reads its figures.
pub fn run(argv: &[String], core: Option<usize>) -> io::Result<Outcome> {
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..]);
    if let Some(core) = core {
        // SAFETY: sched_setaffinity is async-signal-safe; the child only pins itself.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || {
                pin(core).map_err(io::Error::from)
            });
        }
    }
    let out = cmd.output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err.lines().chain(text.lines()).next().unwrap_or("");
        return Err(io::Error::other(format!(
            "wrk failed ({}): {first}",
            out.status
        )));
    }
    parse(&text).ok_or_else(|| io::Error::other(format!("cannot read wrk's output: {text}")))
}

/// The figures of wrk's `--latency` output.
fn parse(text: &str) -> Option<Outcome> {
    let mut out = Outcome::default();
    let mut in_distribution = false;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", v] => out.throughput = v.parse().ok()?,
            ["Latency", "Distribution", ..] => in_distribution = true,
            ["50%", v] if in_distribution => out.p50_us = micros(v)?,
            ["99%", v] if in_distribution => out.p99_us = micros(v)?,
            ["Latency", _avg, _stdev, max, ..] => out.max_us = micros(max)?,
            [n, "requests", "in", ..] => out.requests = n.parse().ok()?,
            ["Socket", "errors:", rest @ ..] => {
                out.errors = rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum();
            }
            ["Non-2xx", "or", "3xx", "responses:", n] => out.errors += n.parse::<u64>().ok()?,
            _ => {}
        }
    }
    (out.throughput > 0.0).then_some(out)
}

/// `1.23ms`, `456.00us`, `2.10s`, `1.5m` in microseconds.
fn micros(v: &str) -> Option<u64> {
    let (num, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic())?);
    let n: f64 = num.parse().ok()?;
    let scale = match unit {
        "us" => 1.0,
        "ms" => 1e3,
        "s" => 1e6,
        "m" => 60e6,
        _ => return None,
    };
    Some((n * scale).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_latency_output() {
        let text = "Running 2s test @ http://127.0.0.1:8080/index.html
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   812.04us  120.33us   4.10ms   90.00%
    Req/Sec    61.20k     2.01k   64.00k    80.00%
  Latency Distribution
     50%  790.00us
     75%  850.00us
     90%  900.00us
     99%    1.20ms
  122000 requests in 2.00s, 98.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
Requests/sec:  60990.12
Transfer/sec:     49.00MB
";
        let out = parse(text).unwrap();
        assert_eq!(out.requests, 122_000);
        assert_eq!(out.p50_us, 790);
        assert_eq!(out.p99_us, 1200);
        assert_eq!(out.max_us, 4100);
        assert_eq!(out.errors, 3);
        assert!((out.throughput - 60990.12).abs() < 1e-6);
    }
}
