//! bench.json (every figure) and bench.html: one self-contained page (inline CSS, SVG
//! charts, nothing fetched) with each part's charts, its table of figures and the command
//! that gives them. maud escapes every text, as in the run report.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::{micros, Bench, Point};

/// Named lines of a chart, a value (or none) at each x level.
type Lines = Vec<(String, Vec<Option<f64>>)>;

/// Writes `dir/bench.json` and `dir/bench.html`.
pub fn write(dir: &Path, bench: &Bench) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_string_pretty(bench).map_err(io::Error::other)?;
    std::fs::write(dir.join("bench.json"), json + "\n")?;
    std::fs::write(dir.join("bench.html"), render(bench))
}

const STYLE: &str = "
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1000px; padding: 1em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ccc; }
code, pre { font: 12px ui-monospace, monospace; background: #f4f4f4; padding: 0 .2em; }
pre { padding: .5em; white-space: pre-wrap; }
table { border-collapse: collapse; margin: .5em 0; font-size: 12px; }
td, th { border: 1px solid #ddd; padding: 2px 6px; text-align: right; }
td:first-child, th:first-child { text-align: left; }
svg.chart { width: 100%; height: auto; max-width: 760px; display: block; margin: .5em 0; }
svg.chart text { font: 11px system-ui, sans-serif; fill: #333; }
svg.chart .grid { stroke: #e5e5e5; } svg.chart .axis { stroke: #888; }
.note { color: #8a4b00; }
";

/// Series colours, in order.
const COLOURS: &[&str] = &[
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#7f7f7f", "#bcbd22",
];

fn render(b: &Bench) -> String {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "conform bench, " (b.started_at) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "conform bench" }
                p {
                    (b.started_at) ", " (format!("{:.0}s", b.duration_s)) ": "
                    (b.machine.cores) " cores (" (b.machine.cpu) "), Linux " (b.machine.kernel)
                    ", load average " (format!("{:.2}", b.machine.load_before)) " before, "
                    (format!("{:.2}", b.machine.load_after)) " after."
                }
                p { "The command: " code { (b.command) } }
                @for n in &b.notes { p.note { "note: " (n) } }
                @if !b.models.is_empty() { (models(b)) }
                @if !b.idle.is_empty() { (idle(b)) }
                @if !b.http.is_empty() { (http(b)) }
                @if let Some(p) = &b.procs { (procs(b, p)) }
                @if !b.suite.is_empty() { (suite(b)) }
            }
        }
    };
    page.into_string()
}

fn command(b: &Bench, part: &str) -> Markup {
    html! {
        @if let Some(c) = b.commands.get(part) {
            p { "Given by " code { (c) } }
        }
    }
}

/// Points as series: one line per server, over the x values `x` picks.
fn series(
    points: &[Point],
    x: fn(&Point) -> usize,
    y: fn(&Point) -> Option<f64>,
) -> (Vec<usize>, Lines) {
    let levels: Vec<usize> = points
        .iter()
        .map(x)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut names: Vec<String> = Vec::new();
    for p in points {
        if !names.contains(&p.server) {
            names.push(p.server.clone());
        }
    }
    let lines = names
        .into_iter()
        .map(|n| {
            let ys = levels
                .iter()
                .map(|l| {
                    points
                        .iter()
                        .find(|p| p.server == n && x(p) == *l && p.error.is_none())
                        .and_then(y)
                })
                .collect();
            (n, ys)
        })
        .collect();
    (levels, lines)
}

fn throughput(p: &Point) -> Option<f64> {
    Some(p.outcome.throughput)
}

fn p99_ms(p: &Point) -> Option<f64> {
    (p.outcome.p99_us > 0).then(|| p.outcome.p99_us as f64 / 1000.0)
}

fn points_table(points: &[Point]) -> Markup {
    html! {
        table {
            tr {
                th { "server" } th { "load" } th { "clients" } th { "idle" } th { "req/s" }
                th { "p50" } th { "p99" } th { "max" } th { "served" } th { "errors" } th { "in flight at the end" }
            }
            @for p in points {
                tr title=(p.placement) {
                    td { (p.server) } td { (p.generator) } td { (p.clients) } td { (p.idle) }
                    @if let Some(e) = &p.error {
                        td colspan="7" { (e) }
                    } @else {
                        td { (format!("{:.0}", p.outcome.throughput)) }
                        td { (micros(p.outcome.p50_us)) } td { (micros(p.outcome.p99_us)) }
                        td { (micros(p.outcome.max_us)) }
                        td { @if p.generator == "conform" { (p.outcome.served) } @else { "-" } }
                        td { (p.outcome.errors) } td { (p.outcome.waiting) }
                    }
                }
            }
        }
    }
}

fn models(b: &Bench) -> Markup {
    let (levels, tput) = series(&b.models, |p| p.clients, throughput);
    let (_, p99) = series(&b.models, |p| p.clients, p99_ms);
    let (_, served) = series(
        &b.models,
        |p| p.clients,
        |p| Some(100.0 * p.outcome.served as f64 / p.clients.max(1) as f64),
    );
    html! {
        h2 #models { "Server models against concurrent clients" }
        p {
            "Each reference server model (" code { "conform ref echo-MODEL-server" } ") pinned to one core, \
             conform's load generator on the other; each client sends a message and waits for its echo, again and again. \
             A request still unanswered at the end counts with the time it waited (in p99 when over 1% of the requests, always in max); \
             a loop server answers one client and starves the others, which the third chart shows. \
             Claims " code { "server.io-multiplexing" } ", " code { "epoll.scale" } "."
        }
        (command(b, "models"))
        (line_chart("Throughput (requests/s) by concurrent clients", "clients", &levels, &tput, false))
        (line_chart("p99 latency (ms, log scale) by concurrent clients", "clients", &levels, &p99, true))
        (line_chart("Clients answered at least once (%) by concurrent clients", "clients", &levels, &served, false))
        (points_table(&b.models))
    }
}

fn idle(b: &Bench) -> Markup {
    let (levels, tput) = series(&b.idle, |p| p.idle, throughput);
    let (_, p50) = series(
        &b.idle,
        |p| p.idle,
        |p| (p.outcome.p50_us > 0).then_some(p.outcome.p50_us as f64),
    );
    html! {
        h2 #idle { "One active client among idle ones" }
        p {
            "One client in a closed loop while N others stay connected and silent: select and poll pass every \
             descriptor to the kernel on every call, epoll only the ready ones (claim " code { "epoll.scale" } "). \
             select cannot watch a descriptor at or above 1024."
        }
        (command(b, "idle"))
        (line_chart("Active client's requests/s by idle connections", "idle connections", &levels, &tput, false))
        (line_chart("Active client's p50 latency (us, log scale) by idle connections", "idle connections", &levels, &p50, true))
        (points_table(&b.idle))
    }
}

fn http(b: &Bench) -> Markup {
    let bars: Vec<(String, f64)> = b
        .http
        .iter()
        .filter(|p| p.error.is_none())
        .map(|p| {
            (
                format!("{} / {} / {}", p.server, p.proto, p.generator),
                p.outcome.throughput,
            )
        })
        .collect();
    html! {
        h2 #http { "HTTP: the reference server against nginx, conform's load against wrk" }
        p { "The same file, the same connections, server and load pinned to different cores; nginx runs one worker process." }
        (command(b, "http"))
        (bar_chart("Requests/s (server / connection / load generator)", &bars))
        @if !b.ratios.is_empty() {
            table {
                tr { th { "ratio" } th { "value" } th { "goal" } }
                @for r in &b.ratios {
                    tr { td { (r.what) } td { (format!("{:.2}x", r.value)) } td { (format!("at least {:.1}x", r.goal)) } }
                }
            }
        }
        (points_table(&b.http))
    }
}

fn procs(b: &Bench, f: &super::procs::Figures) -> Markup {
    let creation: Vec<(String, f64)> = f
        .creation
        .iter()
        .map(|c| (format!("Rust {} (us each)", c.kind), c.each_us))
        .collect();
    let mut levels: Vec<usize> = f
        .split
        .iter()
        .map(|s| s.workers)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for c in &f.commands {
        if let Some(w) = c.workers {
            if !levels.contains(&w) {
                levels.push(w);
            }
        }
    }
    levels.sort_unstable();
    let mut lines: Lines = Vec::new();
    for (work, kind) in [("cpu", "thread"), ("cpu", "process"), ("io", "thread")] {
        let ys = levels
            .iter()
            .map(|w| {
                f.split
                    .iter()
                    .find(|s| s.work == work && s.kind == kind && s.workers == *w)
                    .map(|s| s.speedup)
            })
            .collect();
        let kinds = if kind == "thread" {
            "threads"
        } else {
            "processes"
        };
        lines.push((format!("Rust {work}-bound, {kinds}"), ys));
    }
    let mut commands: Vec<&str> = Vec::new();
    for c in &f.commands {
        if c.workers.is_some() && !commands.contains(&c.command.as_str()) {
            commands.push(&c.command);
        }
    }
    for c in commands {
        let ys = levels
            .iter()
            .map(|w| {
                f.commands
                    .iter()
                    .find(|x| x.command == c && x.workers == Some(*w))
                    .and_then(|x| x.speedup)
            })
            .collect();
        lines.push((c.to_owned(), ys));
    }
    html! {
        h2 #procs { "Processes against threads" }
        p {
            "Creating (and ending, and joining or reaping) one thread or process, one after another; work split over \
             workers, its speed-up over one worker. CPU-bound work is a loop of arithmetic, IO-bound a blocking read that \
             waits for its timeout. Claims " code { "thread.lightweight" } ", " code { "pt.differences" } ", "
             code { "gil.cpu-bound" } ", " code { "gil.io-bound" } ", " code { "gil.one-thread" } "."
        }
        (command(b, "procs"))
        (bar_chart("Creation cost (microseconds each)", &creation))
        (line_chart("Speed-up over one worker, by workers", "workers", &levels, &lines, false))
        table {
            tr { th { "what" } th { "workers" } th { "mean" } th { "stddev" } th { "runs" } th { "speed-up" } }
            @for s in &f.split {
                tr {
                    td { "Rust " (s.work) "-bound, " (if s.kind == "thread" { "threads" } else { "processes" }) } td { (s.workers) }
                    td { (format!("{:.3}s", s.timing.mean_s)) } td { (format!("{:.3}s", s.timing.stddev_s)) }
                    td { (s.timing.runs) } td { (format!("{:.2}x", s.speedup)) }
                }
            }
            @for c in &f.commands {
                tr {
                    td { code { (c.command) } }
                    td { (c.workers.map_or("-".to_owned(), |w| w.to_string())) }
                    @if let Some(e) = &c.error {
                        td colspan="4" { (e) }
                    } @else {
                        td { (format!("{:.3}s", c.timing.mean_s)) } td { (format!("{:.3}s", c.timing.stddev_s)) }
                        td { (c.timing.runs) } td { (c.speedup.map_or("-".to_owned(), |s| format!("{s:.2}x"))) }
                    }
                }
            }
        }
    }
}

fn suite(b: &Bench) -> Markup {
    let bars: Vec<(String, f64)> = b
        .suite
        .iter()
        .map(|f| (f.family.clone(), f.wall_s))
        .collect();
    html! {
        h2 #suite { "The suite's own time by family" }
        (command(b, "suite"))
        (bar_chart("Seconds of `conform run scenarios/FAMILY`", &bars))
        table {
            tr { th { "family" } th { "wall" } th { "trials" } th { "trial time" } th { "slowest trials" } }
            @for f in &b.suite {
                tr {
                    td { (f.family) } td { (format!("{:.1}s", f.wall_s)) } td { (f.trials) }
                    td { (format!("{:.1}s", f.trial_s)) }
                    td style="text-align:left" {
                        @for (name, s) in &f.slowest { (name) " " (format!("{s:.1}s")) br; }
                    }
                }
            }
        }
    }
}

const W: f64 = 760.0;
const H: f64 = 300.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 200.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 40.0;

fn f1(v: f64) -> String {
    format!("{v:.1}")
}

/// The smallest of 1, 2, 2.5, 5 x 10^k at or above `v`: an axis that ends on a round number,
/// with five round ticks.
fn nice(v: f64) -> f64 {
    let k = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * k)
        .find(|x| *x >= v)
        .unwrap_or(10.0 * k)
}

/// One decimal, none when it is 0.
fn trim(v: f64) -> String {
    let t = format!("{v:.1}");
    t.strip_suffix(".0").map(str::to_owned).unwrap_or(t)
}

/// A number short enough for an axis.
fn short(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{}M", trim(v / 1e6))
    } else if a >= 1e3 {
        format!("{}k", trim(v / 1e3))
    } else if a >= 10.0 || a == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// Lines over evenly spaced x levels; missing values break a line. `log` puts y on a log
/// scale (values must be positive).
fn line_chart(
    title: &str,
    x_label: &str,
    levels: &[usize],
    lines: &[(String, Vec<Option<f64>>)],
    log: bool,
) -> Markup {
    let values: Vec<f64> = lines
        .iter()
        .flat_map(|(_, ys)| ys.iter().flatten().copied())
        .filter(|v| v.is_finite() && (!log || *v > 0.0))
        .collect();
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let x = |i: usize| LEFT + plot_w * (i as f64 + 0.5) / levels.len().max(1) as f64;
    let (lo, hi) = if log {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(0.0, f64::max);
        if values.is_empty() {
            (0.0, 1.0)
        } else {
            (
                lo.log10().floor(),
                hi.log10().ceil().max(lo.log10().floor() + 1.0),
            )
        }
    } else {
        (
            0.0,
            nice(values.iter().copied().fold(0.0, f64::max).max(1e-9) * 1.05),
        )
    };
    let y = |v: f64| {
        let t = if log {
            (v.log10() - lo) / (hi - lo)
        } else {
            (v - lo) / (hi - lo)
        };
        TOP + plot_h * (1.0 - t)
    };
    let ticks: Vec<(f64, String)> = if log {
        (lo as i32..=hi as i32)
            .map(|k| (y(10f64.powi(k)), short(10f64.powi(k))))
            .collect()
    } else {
        (0..=5)
            .map(|i| {
                let v = hi * i as f64 / 5.0;
                (y(v), short(v))
            })
            .collect()
    };
    html! {
        svg.chart viewBox=(format!("0 0 {W} {H}")) role="img" aria-label=(title) {
            text x=(f1(LEFT)) y="16" font-weight="bold" { (title) }
            @for (ty, label) in &ticks {
                line.grid x1=(f1(LEFT)) x2=(f1(W - RIGHT)) y1=(f1(*ty)) y2=(f1(*ty)) {}
                text x=(f1(LEFT - 6.0)) y=(f1(ty + 4.0)) text-anchor="end" { (label) }
            }
            line.axis x1=(f1(LEFT)) x2=(f1(W - RIGHT)) y1=(f1(TOP + plot_h)) y2=(f1(TOP + plot_h)) {}
            @for (i, l) in levels.iter().enumerate() {
                text x=(f1(x(i))) y=(f1(TOP + plot_h + 16.0)) text-anchor="middle" { (l) }
            }
            text x=(f1(LEFT + plot_w / 2.0)) y=(f1(H - 6.0)) text-anchor="middle" { (x_label) }
            @for (k, (name, ys)) in lines.iter().enumerate() {
                @let colour = COLOURS[k % COLOURS.len()];
                @let pts: Vec<(f64, f64)> = ys.iter().enumerate()
                    .filter_map(|(i, v)| v.filter(|v| v.is_finite() && (!log || *v > 0.0)).map(|v| (x(i), y(v))))
                    .collect();
                @if pts.len() > 1 {
                    polyline fill="none" stroke=(colour) stroke-width="2"
                        points=(pts.iter().map(|(a, b)| format!("{},{}", f1(*a), f1(*b))).collect::<Vec<_>>().join(" ")) {}
                }
                @for (a, b) in &pts {
                    circle cx=(f1(*a)) cy=(f1(*b)) r="3" fill=(colour) {}
                }
                rect x=(f1(W - RIGHT + 12.0)) y=(f1(TOP + k as f64 * 16.0)) width="10" height="10" fill=(colour) {}
                text x=(f1(W - RIGHT + 26.0)) y=(f1(TOP + k as f64 * 16.0 + 9.0)) { (clip(name, 28)) }
            }
        }
    }
}

/// Horizontal bars, one per label.
fn bar_chart(title: &str, bars: &[(String, f64)]) -> Markup {
    let row = 20.0;
    let label_w = 300.0;
    let h = TOP + row * bars.len() as f64 + 10.0;
    let max = bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1e-9);
    let width = |v: f64| (W - label_w - 80.0) * v / max;
    html! {
        svg.chart viewBox=(format!("0 0 {W} {h}")) role="img" aria-label=(title) {
            text x="4" y="16" font-weight="bold" { (title) }
            @for (i, (label, v)) in bars.iter().enumerate() {
                @let top = TOP + i as f64 * row;
                text x=(f1(label_w - 6.0)) y=(f1(top + 13.0)) text-anchor="end" { (clip(label, 48)) }
                rect x=(f1(label_w)) y=(f1(top + 2.0)) width=(f1(width(*v))) height=(f1(row - 6.0))
                    fill=(COLOURS[i % COLOURS.len()]) {}
                text x=(f1(label_w + width(*v) + 4.0)) y=(f1(top + 13.0)) { (short(*v)) }
            }
        }
    }
}

/// At most `n` characters, an ellipsis marking the cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
