//! `conform bench`: the course's performance claims measured, not judged (docs/performance.md).
//! This file is the plan: which parts run, on which servers, at which sizes, and the JSON
//! document they fill. Each part prints its figures as they come, each measurement under the
//! placement of its server and its load; `report.rs` writes bench.json and bench.html.
//!
//! Parts: `models` (each reference server model against 1 to 10,000 clients: claims
//! `server.io-multiplexing`, `epoll.scale`), `idle` (one active client among many idle ones
//! for select, poll and epoll: `epoll.scale`), `http` (the reference HTTP server against
//! nginx; conform's load generator against wrk), `procs` (threads against processes:
//! `thread.lightweight`, `pt.differences`, `gil.*`), `suite` (the suite's own time by
//! family). Nothing here is a test: a slow machine gives slow figures, never a failure.

pub mod load;
pub mod procs;
pub mod report;
pub mod servers;
pub mod suite;
pub mod wrk;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use clap::{Args, ValueEnum};
use serde::Serialize;

use load::{Outcome, Proto};
use servers::{Placement, Server};

/// A part of the benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    Models,
    Idle,
    Http,
    Procs,
    Suite,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::Models => "models",
            Part::Idle => "idle",
            Part::Http => "http",
            Part::Procs => "procs",
            Part::Suite => "suite",
        }
    }
}

const EXAMPLES: &str = "Examples:
  conform bench                                       models, idle, http and procs; reports/bench/bench.html
  conform bench models --models epoll,select --clients 1,100
  conform bench models --target 'python3 examples/servers/epoll_server.py {port}' --models epoll
  conform bench procs --cmd 'python3 examples/bench/cpu_threads.py {workers} 2000000' \\
                      --cmd 'python3 examples/bench/cpu_procs.py {workers} 2000000'
  conform bench suite                                 conform run scenarios/FAMILY, timed for each family";

#[derive(Args, Debug, Clone)]
#[command(after_help = EXAMPLES)]
pub struct BenchArgs {
    /// What to measure (default: models idle http procs).
    #[arg(value_enum)]
    pub parts: Vec<Part>,
    /// Where bench.json and bench.html go.
    #[arg(long, value_name = "DIR", default_value = "reports/bench")]
    pub out: PathBuf,
    /// How long each load measurement counts requests.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "2s")]
    pub duration: Duration,
    /// Load before counting starts, in each measurement.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "500ms")]
    pub warmup: Duration,
    /// Reference server models to load (models, idle): loop, fork, thread, select, poll,
    /// epoll, epoll-et.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "loop,fork,thread,select,poll,epoll,epoll-et"
    )]
    pub models: Vec<String>,
    /// Concurrent clients (models).
    #[arg(long, value_delimiter = ',', default_value = "1,10,100,1000")]
    pub clients: Vec<usize>,
    /// The extra level for the servers made for it: clients for epoll and epoll-et
    /// (models), idle connections for poll and epoll (idle); 0 for none.
    #[arg(long, default_value_t = 10_000)]
    pub many: usize,
    /// Also load this echo server (models), started once per measurement; `{port}` (and
    /// $PORT) is its port. Repeatable.
    #[arg(long, value_name = "CMD")]
    pub target: Vec<String>,
    /// Idle connections beside the one active client (idle).
    #[arg(long, value_delimiter = ',', default_value = "0,10,100,1000")]
    pub idle: Vec<usize>,
    /// Bytes of each echo message.
    #[arg(long, default_value_t = 64)]
    pub message_size: usize,
    /// Threads of conform's load generator.
    #[arg(long, default_value_t = 1)]
    pub load_threads: usize,
    /// The core the server is pinned to.
    #[arg(long, default_value_t = 0)]
    pub server_core: usize,
    /// The core the load is pinned to.
    #[arg(long, default_value_t = 1)]
    pub load_core: usize,
    /// Connections of the HTTP load (http).
    #[arg(long, default_value_t = 50)]
    pub http_clients: usize,
    /// Leave wrk out even where it is installed (http).
    #[arg(long)]
    pub no_wrk: bool,
    /// Bytes of the file served (http).
    #[arg(long, default_value_t = 4096)]
    pub http_file_size: usize,
    /// A command to time (procs), `{workers}` replaced by 1 and each --workers count.
    /// Repeatable.
    #[arg(long = "cmd", value_name = "CMD")]
    pub commands: Vec<String>,
    /// Worker counts the work is split over (procs); 1 is the base.
    #[arg(long, value_delimiter = ',', default_value = "2,4")]
    pub workers: Vec<usize>,
    /// Timed runs of each procs measurement (after one untimed run).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Threads and processes created for the creation cost (procs).
    #[arg(long, default_value_t = 1000)]
    pub spawn: usize,
    /// Iterations of the CPU-bound loop, in all (procs).
    #[arg(long, default_value_t = 400_000_000)]
    pub cpu_iterations: u64,
    /// Blocking waits in all (procs), of --io-wait each.
    #[arg(long, default_value_t = 40)]
    pub io_waits: usize,
    #[arg(long, value_parser = humantime::parse_duration, default_value = "10ms")]
    pub io_wait: Duration,
    /// The scenarios whose families are timed (suite).
    #[arg(long, value_name = "DIR", default_value = "scenarios")]
    pub scenarios: PathBuf,
    /// Families to time (suite); default every one.
    #[arg(long = "family", value_name = "NAME")]
    pub families: Vec<String>,
}

/// One load measurement.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// The model, the target's command, `nginx` or `http-server`.
    pub server: String,
    /// `conform` or `wrk`.
    pub generator: String,
    /// `echo 64B`, `http keep-alive`, `http close`.
    pub proto: String,
    pub clients: usize,
    pub idle: usize,
    #[serde(flatten)]
    pub outcome: Outcome,
    pub placement: String,
    /// The server's command line.
    pub server_command: String,
    /// What gives this figure again.
    pub command: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A side-by-side figure: `value` = `of` / `over`, with the goal the issue set.
#[derive(Clone, Debug, Serialize)]
pub struct Ratio {
    pub what: String,
    pub value: f64,
    pub goal: f64,
    pub of: String,
    pub over: String,
    pub command: String,
}

/// The machine the figures come from.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    pub cores: usize,
    pub cpu: String,
    pub kernel: String,
    /// /proc/loadavg's 1-minute figure when the run started and when it ended: above
    /// ~0.7 on two cores, something else was running.
    pub load_before: f64,
    pub load_after: f64,
    pub fd_limit: u64,
    pub wrk: Option<String>,
    pub nginx: Option<String>,
    pub python3: Option<String>,
}

/// bench.json.
#[derive(Clone, Debug, Serialize)]
pub struct Bench {
    pub conform_version: String,
    pub started_at: String,
    pub duration_s: f64,
    /// The command line of this run.
    pub command: String,
    pub machine: Machine,
    pub parts: Vec<Part>,
    /// The command that gives each part's figures.
    pub commands: std::collections::BTreeMap<String, String>,
    pub models: Vec<Point>,
    pub idle: Vec<Point>,
    pub http: Vec<Point>,
    pub ratios: Vec<Ratio>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub procs: Option<procs::Figures>,
    pub suite: Vec<suite::Family>,
    pub notes: Vec<String>,
}

/// `conform bench`; the exit code (2 for bad arguments or a failure to write).
pub fn main(args: &BenchArgs) -> i32 {
    let parts: Vec<Part> = if args.parts.is_empty() {
        vec![Part::Models, Part::Idle, Part::Http, Part::Procs]
    } else {
        args.parts.clone()
    };
    for m in &args.models {
        if reference_of(m).is_none() {
            eprintln!(
                "error: no reference server for the model `{m}` (loop, fork, thread, select, poll, epoll, epoll-et)"
            );
            return 2;
        }
    }
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot find the conform executable: {e}");
            return 2;
        }
    };
    let tmp = match tempfile::Builder::new().prefix("conform-bench-").tempdir() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot make a temporary folder: {e}");
            return 2;
        }
    };
    let started = SystemTime::now();
    let clock = std::time::Instant::now();
    let fd_limit = servers::raise_fd_limit();
    let placement = Placement::new(args.server_core, args.load_core);
    let argv: Vec<String> = std::env::args().collect();
    let mut bench = Bench {
        conform_version: env!("CARGO_PKG_VERSION").to_owned(),
        started_at: humantime::format_rfc3339_seconds(started).to_string(),
        duration_s: 0.0,
        command: display_command(&argv[1..]),
        machine: machine(fd_limit),
        parts: parts.clone(),
        commands: parts
            .iter()
            .map(|p| (p.name().to_owned(), part_command(&argv, *p)))
            .collect(),
        models: Vec::new(),
        idle: Vec::new(),
        http: Vec::new(),
        ratios: Vec::new(),
        procs: None,
        suite: Vec::new(),
        notes: Vec::new(),
    };
    println!(
        "conform bench on {} cores ({}), load average {:.2}",
        bench.machine.cores, bench.machine.cpu, bench.machine.load_before
    );
    if bench.machine.load_before > 0.7 {
        let note = format!(
            "the machine was busy when the run started (load average {:.2}): the figures carry its noise",
            bench.machine.load_before
        );
        println!("note: {note}");
        bench.notes.push(note);
    }
    if placement.server.is_none() {
        bench
            .notes
            .push("one core: server and load share it (no pinning)".into());
    }
    let bench_cmd = |p: Part| bench.commands[p.name()].clone();
    for part in &parts {
        println!("== {}", part.name());
        match part {
            Part::Models => {
                let cmd = bench_cmd(Part::Models);
                bench.models = models(args, &exe, placement, &cmd);
            }
            Part::Idle => {
                let cmd = bench_cmd(Part::Idle);
                bench.idle = idle(args, &exe, placement, &cmd);
            }
            Part::Http => {
                let cmd = bench_cmd(Part::Http);
                let (points, ratios, notes) = http(args, &exe, tmp.path(), placement, &cmd);
                bench.http = points;
                bench.ratios = ratios;
                bench.notes.extend(notes);
            }
            Part::Procs => {
                let spec = procs::Spec {
                    spawn: args.spawn,
                    workers: args.workers.clone(),
                    cpu_iterations: args.cpu_iterations,
                    io_waits: args.io_waits,
                    io_wait: args.io_wait,
                    runs: args.runs,
                    commands: args.commands.clone(),
                };
                println!("placement: unpinned, {} cores", servers::cores());
                match procs::run(&spec) {
                    Ok(f) => bench.procs = Some(f),
                    Err(e) => bench.notes.push(format!("procs: {e}")),
                }
            }
            Part::Suite => match suite::run(&exe, &args.scenarios, &args.families, &args.out) {
                Ok(f) => bench.suite = f,
                Err(e) => bench.notes.push(format!("suite: {e}")),
            },
        }
    }
    bench.duration_s = clock.elapsed().as_secs_f64();
    bench.machine.load_after = load_average();
    for r in &bench.ratios {
        println!(
            "ratio: {} = {:.2}x (goal at least {:.1}x)",
            r.what, r.value, r.goal
        );
    }
    match report::write(&args.out, &bench) {
        Ok(()) => {
            println!(
                "bench: {} (and bench.json) in {:.0}s",
                args.out.join("bench.html").display(),
                bench.duration_s
            );
            0
        }
        Err(e) => {
            eprintln!("error: cannot write into {}: {e}", args.out.display());
            2
        }
    }
}

/// The reference program of a model name.
fn reference_of(model: &str) -> Option<String> {
    let name = format!("echo-{model}-server");
    conform_impls::programs::all()
        .any(|p| p.name == name)
        .then_some(name)
}

/// Loads the server `start` gives, once per client count, and prints each figure.
#[allow(clippy::too_many_arguments)]
fn measure(
    server: &str,
    start: &Start<'_>,
    proto: &Proto,
    clients: usize,
    idle: usize,
    args: &BenchArgs,
    placement: Placement,
    command: String,
) -> Point {
    let mut point = Point {
        server: server.to_owned(),
        generator: "conform".into(),
        proto: proto_name(proto),
        clients,
        idle,
        outcome: Outcome::default(),
        placement: String::new(),
        server_command: String::new(),
        command,
        error: None,
    };
    let s = match start() {
        Ok(s) => s,
        Err(e) => {
            println!("  {server}: {e}");
            point.error = Some(e.to_string());
            return point;
        }
    };
    point.server_command = s.command.clone();
    point.placement = placement.describe(
        server,
        s.pid(),
        &format!("conform ({} thread)", args.load_threads),
    );
    println!("{}", point.placement);
    let spec = load::Spec {
        addr: s.addr,
        clients,
        idle,
        proto: proto.clone(),
        warmup: args.warmup,
        duration: args.duration,
        threads: args.load_threads,
        core: placement.load,
    };
    match load::run(&spec) {
        Ok(o) => point.outcome = o,
        Err(e) => point.error = Some(e.to_string()),
    }
    drop(s);
    print_point(&point);
    point
}

fn print_point(p: &Point) {
    let o = &p.outcome;
    match &p.error {
        Some(e) => println!("  {} {} clients: {e}", p.server, p.clients),
        None => println!(
            "  {} [{}] {} clients{}: {:.0} req/s, p50 {}, p99 {}, max {} ({}{} errors)",
            p.server,
            p.generator,
            p.clients,
            if p.idle > 0 {
                format!(" + {} idle", p.idle)
            } else {
                String::new()
            },
            o.throughput,
            micros(o.p50_us),
            micros(o.p99_us),
            micros(o.max_us),
            // wrk does not say how many of its connections were answered.
            if p.generator == "conform" {
                format!("served {} of {}, ", o.served, p.clients)
            } else {
                String::new()
            },
            o.errors
        ),
    }
}

/// `812us`, `1.20ms`, `2.00s`.
pub fn micros(us: u64) -> String {
    match us {
        0..1_000 => format!("{us}us"),
        1_000..1_000_000 => format!("{:.2}ms", us as f64 / 1e3),
        _ => format!("{:.2}s", us as f64 / 1e6),
    }
}

fn proto_name(p: &Proto) -> String {
    match p {
        Proto::Echo { message } => format!("echo {}B", message.len()),
        Proto::Http {
            keep_alive: true, ..
        } => "http keep-alive".into(),
        Proto::Http { .. } => "http close".into(),
    }
}

fn echo(args: &BenchArgs) -> Proto {
    Proto::Echo {
        message: vec![b'x'; args.message_size.max(1)],
    }
}

/// Each model's server (and each target) against each client count.
fn models(args: &BenchArgs, exe: &Path, placement: Placement, cmd: &str) -> Vec<Point> {
    let proto = echo(args);
    let mut points = Vec::new();
    for m in &args.models {
        let Some(name) = reference_of(m) else {
            continue;
        };
        let mut levels = args.clients.clone();
        if m.starts_with("epoll") && args.many > 0 && !levels.contains(&args.many) {
            levels.push(args.many);
        }
        for clients in levels {
            let start = || Server::reference(exe, &name, None, placement.server);
            points.push(measure(
                m,
                &start,
                &proto,
                clients,
                0,
                args,
                placement,
                format!("{cmd} --models {m} --clients {clients}"),
            ));
        }
    }
    for t in &args.target {
        for &clients in &args.clients {
            let start = || Server::target(t, placement.server);
            points.push(measure(
                t,
                &start,
                &proto,
                clients,
                0,
                args,
                placement,
                format!("{cmd} --clients {clients}"),
            ));
        }
    }
    points
}

/// One active client among idle ones, for the multiplexing models.
fn idle(args: &BenchArgs, exe: &Path, placement: Placement, cmd: &str) -> Vec<Point> {
    let proto = echo(args);
    let mut points = Vec::new();
    for m in ["select", "poll", "epoll"] {
        if !args.models.iter().any(|x| x == m) {
            continue;
        }
        let Some(name) = reference_of(m) else {
            continue;
        };
        let mut levels = args.idle.clone();
        // select cannot watch a descriptor at or above FD_SETSIZE (1024).
        if m != "select" && args.many > 0 && !levels.contains(&args.many) {
            levels.push(args.many);
        }
        for idle in levels {
            let start = || Server::reference(exe, &name, None, placement.server);
            points.push(measure(
                m,
                &start,
                &proto,
                1,
                idle,
                args,
                placement,
                format!("{cmd} --models {m} --idle {idle}"),
            ));
        }
    }
    points
}

/// How a measurement starts its server.
type Start<'a> = dyn Fn() -> std::io::Result<Server> + 'a;

/// The reference HTTP server (when this build has one) against nginx, and conform's load
/// generator against wrk, on the same file.
fn http(
    args: &BenchArgs,
    exe: &Path,
    tmp: &Path,
    placement: Placement,
    cmd: &str,
) -> (Vec<Point>, Vec<Ratio>, Vec<String>) {
    let mut notes = Vec::new();
    let mut points = Vec::new();
    let dir = tmp.join("http");
    let page: Vec<u8> = (0..args.http_file_size)
        .map(|i| b"abcdefghijklmnopqrstuvwxyz\n"[i % 27])
        .collect();
    if let Err(e) = std::fs::create_dir_all(dir.join("static"))
        .and_then(|()| std::fs::write(dir.join("static/index.html"), &page))
    {
        notes.push(format!("http: cannot write the page: {e}"));
        return (points, Vec::new(), notes);
    }
    let nginx = servers::which("nginx");
    let wrk = servers::which("wrk").filter(|_| !args.no_wrk);
    let has_ref = conform_impls::programs::all().any(|p| p.name == "http-server");
    if nginx.is_none() {
        notes.push("nginx: not installed (apt-get install nginx-light)".into());
    }
    if wrk.is_none() && !args.no_wrk {
        notes.push("wrk: not installed (apt-get install wrk)".into());
    }
    if !has_ref {
        notes.push("http-server: this build has no reference HTTP server".into());
    }
    let mut servers_: Vec<(&str, Box<Start<'_>>)> = Vec::new();
    if let Some(n) = nginx.clone() {
        let d = dir.clone();
        let core = placement.server;
        servers_.push(("nginx", Box::new(move || Server::nginx(&n, &d, core))));
    }
    if has_ref {
        let (e, d, core) = (exe.to_owned(), dir.clone(), placement.server);
        servers_.push((
            "http-server",
            Box::new(move || Server::reference(&e, "http-server", Some(&d), core)),
        ));
    }
    let clients = args.http_clients;
    for keep_alive in [true, false] {
        let proto = Proto::Http {
            path: "/index.html".into(),
            keep_alive,
        };
        for (name, start) in &servers_ {
            points.push(measure(
                name,
                start.as_ref(),
                &proto,
                clients,
                0,
                args,
                placement,
                cmd.to_owned(),
            ));
            let Some(w) = &wrk else { continue };
            let mut p = Point {
                generator: "wrk".into(),
                ..points.last().cloned().expect("just pushed")
            };
            p.outcome = Outcome::default();
            p.error = None;
            match start() {
                Ok(s) => {
                    let argv = wrk::command(
                        w,
                        s.addr,
                        "/index.html",
                        clients,
                        keep_alive,
                        args.warmup + args.duration,
                    );
                    p.placement =
                        placement.describe(name, s.pid(), &format!("`{}`", display_command(&argv)));
                    println!("{}", p.placement);
                    match wrk::run(&argv, placement.load) {
                        Ok(o) => p.outcome = o,
                        Err(e) => p.error = Some(e.to_string()),
                    }
                }
                Err(e) => p.error = Some(e.to_string()),
            }
            print_point(&p);
            points.push(p);
        }
    }
    let ratios = ratios(&points, cmd);
    (points, ratios, notes)
}

/// The ratios the issue asks for, from the HTTP points.
fn ratios(points: &[Point], cmd: &str) -> Vec<Ratio> {
    let find = |server: &str, generator: &str, proto: &str| {
        points.iter().find(|p| {
            p.server == server
                && p.generator == generator
                && p.proto == proto
                && p.error.is_none()
                && p.outcome.throughput > 0.0
        })
    };
    let mut out = Vec::new();
    for proto in ["http keep-alive", "http close"] {
        if let (Some(a), Some(b)) = (find("nginx", "conform", proto), find("nginx", "wrk", proto)) {
            out.push(Ratio {
                what: format!("conform's load generator / wrk, on nginx, {proto}"),
                value: a.outcome.throughput / b.outcome.throughput,
                goal: 0.9,
                of: "conform".into(),
                over: "wrk".into(),
                command: cmd.to_owned(),
            });
        }
        for generator in ["conform", "wrk"] {
            if let (Some(a), Some(b)) = (
                find("http-server", generator, proto),
                find("nginx", generator, proto),
            ) {
                out.push(Ratio {
                    what: format!(
                        "http-server / nginx (one worker), {proto}, loaded by {generator}"
                    ),
                    value: a.outcome.throughput / b.outcome.throughput,
                    goal: 1.0,
                    of: "http-server".into(),
                    over: "nginx".into(),
                    command: cmd.to_owned(),
                });
            }
        }
    }
    out
}

/// The command that gives one part's figures: this run's options that the part reads,
/// that part alone.
fn part_command(argv: &[String], part: Part) -> String {
    let parts = ["models", "idle", "http", "procs", "suite"];
    let mut words = vec!["conform".to_owned(), "bench".into(), part.name().into()];
    let mut words_in = argv.iter().skip(2).peekable();
    while let Some(w) = words_in.next() {
        let Some(flag) = w.strip_prefix("--") else {
            // A part name, or a stray word clap would have refused.
            if !parts.contains(&w.as_str()) {
                words.push(w.clone());
            }
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((n, _)) => (n, true),
            None => (flag, false),
        };
        let value = if !inline && takes_value(name) {
            words_in.next().cloned()
        } else {
            None
        };
        if reads(part, name) {
            words.push(w.clone());
            words.extend(value);
        }
    }
    display_command(&words)
}

/// Whether `part` reads the option `--name`.
fn reads(part: Part, name: &str) -> bool {
    let own: &[&str] = match part {
        Part::Models => &["models", "clients", "many", "target", "message-size"],
        Part::Idle => &["models", "idle", "many", "message-size"],
        Part::Http => &["http-clients", "http-file-size", "no-wrk"],
        Part::Procs => &[
            "cmd",
            "workers",
            "runs",
            "spawn",
            "cpu-iterations",
            "io-waits",
            "io-wait",
        ],
        Part::Suite => &["scenarios", "family"],
    };
    let load = [
        "duration",
        "warmup",
        "load-threads",
        "server-core",
        "load-core",
    ];
    own.contains(&name)
        || name == "out"
        || (matches!(part, Part::Models | Part::Idle | Part::Http) && load.contains(&name))
}

/// Whether a long option of `conform bench` takes a value.
fn takes_value(name: &str) -> bool {
    use clap::CommandFactory;
    #[derive(clap::Parser)]
    struct Only {
        #[command(flatten)]
        args: BenchArgs,
    }
    Only::command()
        .get_arguments()
        .find(|a| a.get_long() == Some(name))
        .is_some_and(|a| a.get_action().takes_values())
}

/// Words as a shell reads them, quoted only where needed (`--clients 1,10` stays bare).
fn display_command(words: &[String]) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:,=@%+{}".contains(c);
    words
        .iter()
        .map(|w| {
            if !w.is_empty() && w.chars().all(plain) {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0)
}

fn machine(fd_limit: u64) -> Machine {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_default();
    let kernel = nix::sys::utsname::uname()
        .map(|u| u.release().to_string_lossy().into_owned())
        .unwrap_or_default();
    let version = |program: &str, flag: &str| -> Option<String> {
        let path = servers::which(program)?;
        let out = std::process::Command::new(path).arg(flag).output().ok()?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Some(text.lines().next().unwrap_or("").trim().to_owned())
    };
    Machine {
        cores: servers::cores(),
        cpu,
        kernel,
        load_before: load_average(),
        load_after: 0.0,
        fd_limit,
        wrk: version("wrk", "-v"),
        nginx: version("nginx", "-v"),
        python3: version("python3", "--version"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_command_keeps_the_options_that_part_reads() {
        let argv: Vec<String> = [
            "conform",
            "bench",
            "procs",
            "models",
            "--clients",
            "1,10",
            "--cmd",
            "python3 a.py",
            "--duration=1s",
            "--runs",
            "3",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            part_command(&argv, Part::Models),
            "conform bench models --clients 1,10 --duration=1s"
        );
        assert_eq!(
            part_command(&argv, Part::Procs),
            "conform bench procs --cmd 'python3 a.py' --runs 3"
        );
    }
}
