//! The `conform` command line. Exit codes: 0 every trial showed what it must, 1 something
//! failed, 2 the input (scenarios, flags) was wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// `println!` that ends the program quietly when its reader has gone (`conform list | head`)
/// instead of panicking. SIGPIPE stays ignored: a program's closed stdin must give an error
/// to the harness, not kill it.
macro_rules! outln {
    ($($t:tt)*) => {{
        if writeln!(std::io::stdout(), $($t)*).is_err() {
            std::process::exit(0);
        }
    }};
}

macro_rules! out {
    ($($t:tt)*) => {{
        if write!(std::io::stdout(), $($t)*).is_err() {
            std::process::exit(0);
        }
    }};
}

use crate::catalogue::{Catalogue, Status};
use crate::load::model::Model;
use crate::load::profile::Profile;
use crate::load::{self, diagnostic, Loaded};
use crate::partition::{self, Partition};
use crate::plan::ProgramRole;
use crate::plan::{self, Subjects};
use crate::report::{self, human, RunReport};
use crate::run::{self, Context};

const EXAMPLES_RUN: &str = "Examples:
  conform run                                   every scenario against the references and mutants
  conform run scenarios/sync --filter fifo      only trials whose name contains `fifo`
  conform run --subject mutant:queue-lifo       judge one library subject on every scenario
  conform run --report reports/                 also write reports/report.html, results.json and junit.xml
  conform run --var reply=OK --format json      set a variable; print JSON on stdout
  conform run --partition 2/3 --report share-2  the second of three shares (one CI job's)";

const EXAMPLES_REPORT: &str = "Examples:
  conform report --compare old/results.json new/results.json   newly failing, passing, slower
  conform report --html both.html a/results.json b/results.json   two runs side by side
  conform report --merge class/ share-*/results.json   the shares of a --partition run as one";

#[derive(Parser, Debug)]
#[command(
    name = "conform",
    version,
    about = "A conformance suite for concurrency mechanisms: scenarios in YAML, judged against reference implementations, mutants and your own code."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List the scenarios under PATHS (default: scenarios/).
    #[command(after_help = "Example:\n  conform list scenarios/sync")]
    List(Paths),
    /// Validate scenario files without running them; every problem is reported with
    /// file:line:column. Exit 2 if any.
    #[command(after_help = "Example:\n  conform check scenarios/ my-scenario.yaml --var reply=OK")]
    Check(CheckArgs),
    /// Run scenarios and judge them.
    #[command(after_help = EXAMPLES_RUN)]
    Run(RunArgs),
    /// Compare two runs' results.json, render runs' results.json as one HTML report, or merge
    /// the shares of a partitioned run.
    #[command(after_help = EXAMPLES_REPORT)]
    Report(ReportArgs),
    /// Every claim of the course: the scenarios that check it and the mutants that prove them.
    #[command(after_help = "Example:\n  conform claims")]
    Claims(Paths),
    /// The library subjects: references, mutants (with what must catch them) and fixtures.
    Subjects,
    /// What a scenario checks and why a program fails it, or what a failure class means.
    #[command(
        after_help = "Examples:\n  conform explain servers.idle-no-spin\n  conform explain zombie"
    )]
    Explain(ExplainArgs),
    /// Print the JSON Schema of scenario files (point your editor at it).
    #[command(after_help = "Example:\n  conform schema > scenario.schema.json")]
    Schema,
    /// Measure the course's performance claims (server models, idle clients, HTTP against
    /// nginx and wrk, processes against threads, the suite's own time): figures, not tests.
    Bench(crate::bench::BenchArgs),
    /// Run a reference program (the programs scenarios name as `{ref:NAME}`).
    #[command(after_help = "Example:\n  conform ref --list")]
    Ref(RefArgs),
    /// Internal: run one trial in a child process (the runner starts it).
    #[command(name = "__worker", hide = true)]
    Worker,
    /// Internal: isolate, start and reap one program (the runner starts it).
    #[command(name = "__supervise", hide = true)]
    Supervise { spec: String },
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A scenario id (`conform list`) or a failure class (`wrong-tree`).
    pub what: String,
    /// Where to look for scenarios (default: scenarios/).
    pub paths: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RefArgs {
    /// List the reference programs.
    #[arg(long)]
    pub list: bool,
    /// The program's name, then its arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Print what newly fails, what newly passes and what got slower (over 1.5x and more
    /// than 200ms longer) from OLD to NEW. Exits 0 whatever changed.
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"], conflicts_with_all = ["html", "merge"], required_unless_present_any = ["html", "merge"])]
    pub compare: Option<Vec<PathBuf>>,
    /// Write one HTML report of the runs given as RESULTS (each a results.json), their
    /// subjects side by side as columns.
    #[arg(
        long,
        value_name = "OUT",
        requires = "results",
        conflicts_with = "merge"
    )]
    pub html: Option<PathBuf>,
    /// Join the results.json of every share of a `--partition K/N` run (given as RESULTS)
    /// into one run's results.json, junit.xml and report.html (and scores.csv for a
    /// manifest) in OUT_DIR; exits as that run would have (0 or 1), 2 if the shares do not
    /// make one run (docs/teachers.md).
    #[arg(long, value_name = "OUT_DIR", requires = "results")]
    pub merge: Option<PathBuf>,
    /// The results.json files to render with --html or join with --merge.
    pub results: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct Paths {
    /// Scenario files or folders (searched for *.yaml).
    pub paths: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Scenario files or folders (searched for *.yaml).
    pub paths: Vec<PathBuf>,
    /// A variable the scenarios may use, as `conform run` would be given it (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Junit,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario files or folders (default: scenarios/).
    pub paths: Vec<PathBuf>,
    /// Judge this library subject (`ref`, `mutant:NAME`; see `conform subjects`) instead of
    /// the suite's references and mutants.
    #[arg(long, value_name = "NAME", conflicts_with = "target")]
    pub subject: Option<String>,
    /// Judge this program against every program scenario: `--target 'python3 server.py'`.
    /// Placeholders: {port} (also $PORT), {dir}, {host}, {ref:NAME}.
    #[arg(long, value_name = "CMD")]
    pub target: Option<String>,
    /// Judge a queue, event, lock or thread of another language through an adapter program
    /// (docs/adapter.md) against the library scenarios, on real threads:
    /// `--adapter 'python3 examples/adapters/stdlib.py'`.
    #[arg(long, value_name = "CMD", conflicts_with_all = ["subject", "target"])]
    pub adapter: Option<String>,
    /// The server model the target implements (loop, fork, thread, select, poll, epoll,
    /// epoll-et): the scenarios of that model run too. Without it, only the scenarios that
    /// hold for every model run.
    #[arg(long, value_name = "MODEL", requires = "target", value_parser = parse_model)]
    pub model: Option<Model>,
    /// The target is a client program (a chat client, a file client): run the scenarios
    /// in which conform plays its server, instead of those in which conform connects to it.
    #[arg(long, requires = "target")]
    pub client: bool,
    /// Run programs without their own network namespace (a free port is passed as {port}
    /// and $PORT instead; hard-coded ports may then collide).
    #[arg(long)]
    pub no_namespaces: bool,
    /// Set a variable for every scenario: `--var reply=OK` (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// A course profile: the protocol version's literals and the paths its programs
    /// hard-code (docs/profiles.md): `v1`, `v2`, or a file. `--var` overrides its variables.
    #[arg(long, value_name = "NAME|FILE")]
    pub profile: Option<String>,
    /// A teacher's manifest (docs/teachers.md): each student's programs against their
    /// scenarios, one column and one score per student.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["subject", "target", "adapter"])]
    pub manifest: Option<PathBuf>,
    /// Run only trials whose name contains PATTERN.
    #[arg(long, value_name = "PATTERN")]
    pub filter: Option<String>,
    /// Replay one shuttle schedule (as a failing shuttle trial prints it) instead of
    /// exploring; use with --subject and --filter '::shuttle'.
    #[arg(long, value_name = "SCHEDULE")]
    pub schedule: Option<String>,
    /// Trials run at once (default: four per core, as trials mostly wait).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Also write report.html, results.json and junit.xml into DIR.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// Run only share K of N of the trials (1 <= K <= N), for N machines of a CI matrix; join
    /// their results with `conform report --merge`. A trial's share depends on its name only
    /// (with --manifest: on the student's, so a student's trials stay together).
    #[arg(long, value_name = "K/N", value_parser = parse_partition)]
    pub partition: Option<Partition>,
}

fn parse_partition(s: &str) -> Result<Partition, String> {
    s.parse()
}

fn parse_model(s: &str) -> Result<Model, String> {
    Model::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Model::ALL.iter().map(|m| m.name()).collect();
        format!("unknown model `{s}`; one of {}", names.join(", "))
    })
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("`{s}` is not NAME=VALUE")),
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::Worker => run::worker::main(),
        Command::Supervise { spec } => crate::subject::supervisor::main(&spec),
        Command::Ref(r) => reference_program(&r),
        Command::List(p) => list(&p.paths),
        Command::Check(a) => check(&a.paths, &a.vars.iter().cloned().collect()),
        Command::Run(args) => run_cmd(args),
        Command::Report(a) => report_cmd(&a),
        Command::Claims(p) => claims(&p.paths),
        Command::Bench(a) => crate::bench::main(&a),
        Command::Subjects => subjects(),
        Command::Explain(a) => explain(&a),
        Command::Schema => {
            let schema = schemars::schema_for!(crate::load::Scenario);
            outln!(
                "{}",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            );
            0
        }
    }
}

fn default_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        paths.to_vec()
    }
}

/// Loads scenarios, printing located errors; `None` means exit 2.
fn load_or_report(
    paths: &[PathBuf],
    catalogue: &Catalogue,
    vars: &BTreeSet<String>,
) -> Option<Vec<Loaded>> {
    match load::load(&default_paths(paths), catalogue, vars) {
        Ok(l) => Some(l),
        Err(errors) => {
            let color = std::io::stderr().is_terminal();
            eprint!("{}", diagnostic::render(&errors, color));
            eprintln!(
                "{} error{} in scenario files",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            );
            None
        }
    }
}

fn explain(a: &ExplainArgs) -> i32 {
    let catalogue = Catalogue::builtin();
    let Some(loaded) = load_or_report(&a.paths, &catalogue, &BTreeSet::new()) else {
        return 2;
    };
    match crate::explain::explain(&a.what, &loaded, &catalogue) {
        Ok(text) => {
            out!("{text}");
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn list(paths: &[PathBuf]) -> i32 {
    let Some(loaded) = load_or_report(paths, &Catalogue::builtin(), &BTreeSet::new()) else {
        return 2;
    };
    for l in &loaded {
        let s = &l.scenario;
        let explore: Vec<String> = s.explore.iter().map(|e| e.to_string()).collect();
        outln!(
            "{:<40} {:<10} [{}] {}",
            s.id,
            l.family,
            explore.join(","),
            s.title
        );
    }
    0
}

fn check(paths: &[PathBuf], vars: &BTreeMap<String, String>) -> i32 {
    match load_or_report(
        paths,
        &Catalogue::builtin(),
        &vars.keys().cloned().collect(),
    ) {
        Some(l) => {
            let scenarios: Vec<Arc<Loaded>> = l.iter().cloned().map(Arc::new).collect();
            if let Err(e) = plan::plan(&scenarios, &Subjects::Suite, vars) {
                eprintln!("error: {e}");
                return 2;
            }
            outln!("{} scenarios, no errors", l.len());
            0
        }
        None => 2,
    }
}

fn run_cmd(args: RunArgs) -> i32 {
    let catalogue = Catalogue::builtin();
    let profile = match args.profile.as_deref().map(Profile::read).transpose() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    // `--var` goes over everything; the profile only over what speaks no profile of its own.
    let given: BTreeMap<String, String> = args.vars.iter().cloned().collect();
    let mut vars: BTreeMap<String, String> =
        profile.as_ref().map(Profile::vars).unwrap_or_default();
    vars.extend(given.clone());
    if let Some(file) = &args.manifest {
        let planned =
            crate::manifest::read(file).and_then(|m| crate::manifest::plan(&m, file, &catalogue));
        return match planned {
            Ok(trials) => run_trials(&args, trials, vars, &[]),
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        };
    }
    let Some(loaded) = load_or_report(&args.paths, &catalogue, &vars.keys().cloned().collect())
    else {
        return 2;
    };
    let scenarios: Vec<Arc<Loaded>> = loaded.into_iter().map(Arc::new).collect();
    let subjects = match (&args.subject, &args.target) {
        _ if args.adapter.is_some() => Subjects::Adapter(args.adapter.clone().unwrap_or_default()),
        (Some(s), _) => Subjects::Named(s.clone()),
        (_, Some(t)) => {
            if shlex::split(t).is_none_or(|w| w.is_empty()) {
                eprintln!("error: cannot split the target command line `{t}` (empty, or unbalanced quotes)");
                return 2;
            }
            let role = if args.client {
                ProgramRole::Client
            } else {
                ProgramRole::Server
            };
            Subjects::Target(t.clone(), args.model, role)
        }
        _ => Subjects::Suite,
    };
    let mut trials = match plan::plan(&scenarios, &subjects, &given) {
        Ok(trials) => trials,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    // The profile is the target's: the suite's subjects each speak their own version
    // (the registry names it), which a run-wide profile would only contradict.
    let for_target = matches!(subjects, Subjects::Target(..) | Subjects::Adapter(..));
    match &profile {
        Some(p) if for_target => {
            for t in &mut trials {
                t.vars = p.vars();
                t.mounts.extend(p.mounts.clone());
            }
        }
        Some(p) => eprintln!(
            "note: the profile `{}` is for a --target; the suite's subjects speak the version the registry gives each",
            p.name
        ),
        None => {}
    }
    if let Err(e) = check_command(&subjects, &trials, &vars) {
        eprintln!("error: {e}");
        return 2;
    }
    run_trials(&args, trials, given, &scenarios)
}

/// A `--target` or `--adapter` command line that cannot run is bad input: said once, before
/// anything runs, instead of as every trial's failure.
fn check_command(
    subjects: &Subjects,
    trials: &[plan::Trial],
    vars: &BTreeMap<String, String>,
) -> Result<(), String> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let programs: Vec<&str> = conform_impls::programs::all().map(|p| p.name).collect();
    let command = match subjects {
        Subjects::Target(cmd, ..) => cmd,
        Subjects::Adapter(cmd) => cmd,
        _ => return Ok(()),
    };
    let no_fixture = |_: &str| false;
    let given = |n: &str| vars.contains_key(n);
    if trials.is_empty() || matches!(subjects, Subjects::Adapter(_)) {
        let known = run::program::Known {
            var: &given,
            fixture: &no_fixture,
            programs: &programs,
        };
        return run::program::check_target(command, &known, &cwd);
    }
    // Each scenario's own variables and fixture files count for its trials.
    let mut seen = BTreeSet::new();
    for t in trials
        .iter()
        .filter(|t| seen.insert(t.scenario.scenario.id.clone()))
    {
        let s = &t.scenario.scenario;
        let var = |n: &str| given(n) || s.vars.contains_key(n) || t.vars.contains_key(n);
        let fixture = |f: &str| s.subject.files.contains_key(f);
        let known = run::program::Known {
            var: &var,
            fixture: &fixture,
            programs: &programs,
        };
        run::program::check_target(command, &known, &cwd).map_err(|e| {
            if trials.len() > 1 {
                format!("{e} (for {}, {})", s.id, t.scenario.file.display())
            } else {
                e
            }
        })?;
    }
    Ok(())
}

/// Runs the planned trials and reports them; `scenarios` are those loaded (for the notes).
fn run_trials(
    args: &RunArgs,
    mut trials: Vec<plan::Trial>,
    vars: BTreeMap<String, String>,
    scenarios: &[Arc<Loaded>],
) -> i32 {
    if let Some(f) = &args.filter {
        trials.retain(|t| t.name.contains(f.as_str()));
    }
    if trials.is_empty() {
        eprintln!("error: no trial to run (check the paths and --filter)");
        return 2;
    }
    // A share may hold no trial (a small plan, many shares): it still writes its record, so
    // that the merge sees every share.
    let share = args.partition.map(|p| {
        let by = if args.manifest.is_some() {
            partition::Key::Student
        } else {
            partition::Key::Trial
        };
        let planned = trials.len();
        let (kept, share) = partition::select(std::mem::take(&mut trials), p, by);
        trials = kept;
        if args.format == Format::Human {
            outln!(
                "share {p}: {} of {planned} trials (by {})",
                trials.len(),
                if by == partition::Key::Student {
                    "student"
                } else {
                    "trial name"
                }
            );
        }
        share
    });
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot find the conform executable to start workers: {e}");
            return 2;
        }
    };
    if args.no_namespaces {
        // Read by every supervisor this run starts.
        std::env::set_var("CONFORM_NO_NAMESPACES", "1");
    }
    let mut ctx = Context::new(exe, vars.clone());
    if let Some(s) = args
        .schedule
        .as_deref()
        .filter(|s| !conform_impls::sync::is_schedule(s))
    {
        eprintln!("error: `{s}` is not a shuttle schedule (copy it from a failing shuttle trial's replay command)");
        return 2;
    }
    ctx.schedule = args.schedule.clone();
    let jobs = args.jobs.unwrap_or_else(run::default_jobs);
    let started = SystemTime::now();
    let style = human::Style {
        color: std::io::stdout().is_terminal(),
    };
    let human_out = args.format == Format::Human;
    // At a terminal, each line also says how far the run is: long runs show their progress.
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = trials.len();
    let results = run::run_all(&trials, &ctx, jobs, &|t| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if human_out && style.color {
            outln!("{} \x1b[2m[{n}/{total}]\x1b[0m", human::line(t, style));
        } else if human_out {
            outln!("{}", human::line(t, style));
        }
    });
    let mut report = RunReport::new(results, started, std::env::args().collect(), vars);
    report.describe(scenarios);
    report.partition = share;
    if human_out && args.target.is_some() {
        let role = if args.client {
            ProgramRole::Client
        } else {
            ProgramRole::Server
        };
        let other = scenarios
            .iter()
            .filter(|l| l.scenario.subject.is_program() && ProgramRole::of(&l.scenario) != role)
            .count();
        if other > 0 && role == ProgramRole::Server {
            outln!("note: {other} scenarios check client programs (conform plays their server) and were not run: give --client if the target is a client");
        } else if other > 0 {
            outln!("note: {other} scenarios check server programs and were not run, as the target is a client (--client)");
        }
    }
    if human_out && args.target.is_some() && args.model.is_none() {
        let for_models = scenarios
            .iter()
            .filter(|l| !plan::applies_to_any_server(&l.scenario.subject.models))
            .count();
        if for_models > 0 {
            let names: Vec<&str> = Model::ALL.iter().map(|m| m.name()).collect();
            outln!(
                "note: {for_models} scenarios hold only for some server models and were not run: \
                 say which model the target is with --model ({})",
                names.join(", ")
            );
        }
    }
    match args.format {
        Format::Human => out!("{}", human::summary(&report, style)),
        Format::Json => outln!("{}", report::json::render(&report)),
        Format::Junit => outln!("{}", report::junit::render(&report)),
    }
    if human_out && args.manifest.is_some() {
        out!(
            "{}",
            report::scores::table(&report::scores::scores(&report))
        );
    }
    if let Some(dir) = &args.report {
        if let Err(e) = write_reports(dir, &report, args.manifest.is_some()) {
            eprintln!("error: cannot write the report into {}: {e}", dir.display());
            return 2;
        }
        if human_out {
            outln!(
                "reports: {} (also results.json and junit.xml there)",
                dir.join("report.html").display()
            );
        }
    }
    let _ = std::io::stdout().flush();
    if report.ok {
        0
    } else {
        1
    }
}

fn write_reports(dir: &Path, report: &RunReport, with_scores: bool) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("results.json"), report::json::render(report))?;
    std::fs::write(dir.join("junit.xml"), report::junit::render(report))?;
    if with_scores {
        let scores = report::scores::scores(report);
        std::fs::write(dir.join("scores.csv"), report::scores::csv(&scores))?;
    }
    std::fs::write(
        dir.join("report.html"),
        report::html::render(std::slice::from_ref(report), &Catalogue::builtin()),
    )?;
    Ok(())
}

fn report_cmd(args: &ReportArgs) -> i32 {
    let read = |paths: &[PathBuf]| -> Option<Vec<RunReport>> {
        let mut runs = Vec::new();
        for p in paths {
            match RunReport::read(p) {
                Ok(r) => runs.push(r),
                Err(e) => {
                    eprintln!("error: {e}");
                    return None;
                }
            }
        }
        Some(runs)
    };
    if let Some(pair) = &args.compare {
        let Some(runs) = read(pair) else { return 2 };
        out!(
            "{}",
            report::compare::render(
                &runs[0],
                &runs[1],
                &pair[0].display().to_string(),
                &pair[1].display().to_string()
            )
        );
        return 0;
    }
    if let Some(out) = &args.merge {
        return merge_cmd(out, &args.results);
    }
    if let Some(out) = &args.html {
        let Some(runs) = read(&args.results) else {
            return 2;
        };
        let page = report::html::render(&runs, &Catalogue::builtin());
        if let Err(e) = std::fs::write(out, page) {
            eprintln!("error: cannot write {}: {e}", out.display());
            return 2;
        }
        outln!("report: {}", out.display());
    }
    0
}

/// `report --merge OUT SHARES...`: the shares' results as one run's reports in OUT.
fn merge_cmd(out: &Path, results: &[PathBuf]) -> i32 {
    let mut runs = Vec::new();
    for p in results {
        match RunReport::read(p) {
            Ok(r) => runs.push((p.clone(), r)),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        }
    }
    let merged = match report::merge::merge(runs, out) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    for w in &merged.warnings {
        eprintln!("warning: {w}");
    }
    let report = merged.report;
    let manifest = report.command.iter().any(|w| w == "--manifest");
    let style = human::Style {
        color: std::io::stdout().is_terminal(),
    };
    out!("{}", human::summary(&report, style));
    if manifest {
        out!(
            "{}",
            report::scores::table(&report::scores::scores(&report))
        );
    }
    if let Err(e) = write_reports(out, &report, manifest) {
        eprintln!("error: cannot write the report into {}: {e}", out.display());
        return 2;
    }
    outln!(
        "merged {} shares: {} (also results.json and junit.xml there)",
        results.len(),
        out.join("report.html").display()
    );
    if report.ok {
        0
    } else {
        1
    }
}

fn claims(paths: &[PathBuf]) -> i32 {
    let catalogue = Catalogue::builtin();
    let Some(loaded) = load_or_report(paths, &catalogue, &BTreeSet::new()) else {
        return 2;
    };
    let mut covered = 0;
    let checkable = catalogue
        .claims
        .iter()
        .filter(|c| c.status == Status::Checkable)
        .count();
    for claim in &catalogue.claims {
        let scenarios: Vec<&Loaded> = loaded
            .iter()
            .filter(|l| l.scenario.claims.contains(&claim.id))
            .collect();
        let proves = |caught_by: &[conform_impls::registry::Catch]| {
            caught_by
                .iter()
                .any(|c| scenarios.iter().any(|l| l.scenario.id == c.scenario))
        };
        let library = conform_impls::registry::subjects()
            .iter()
            .filter(|s| proves(s.caught_by))
            .map(|s| s.name);
        let programs = conform_impls::registry::program_subjects()
            .iter()
            .filter(|m| proves(m.caught_by))
            .map(|m| m.name);
        let mutants: BTreeSet<&str> = library.chain(programs).collect();
        let state = match claim.status {
            Status::Checkable if scenarios.is_empty() => "NOT COVERED",
            Status::Checkable if mutants.is_empty() => "unproven",
            Status::Checkable => {
                covered += 1;
                "covered"
            }
            Status::Informational => "informational",
            Status::NotObservable => "not observable",
        };
        outln!("{:<24} {:<14} {}", claim.id, state, claim.text);
        for l in &scenarios {
            outln!("    scenario {}", l.scenario.id);
        }
        for m in &mutants {
            outln!("    proven by catching {m}");
        }
        if let Some(why) = &claim.why {
            outln!("    ({why})");
        }
    }
    outln!(
        "\n{covered} of {checkable} checkable claims covered by a scenario that catches a mutant"
    );
    0
}

fn subjects() -> i32 {
    for s in conform_impls::registry::subjects() {
        outln!(
            "{:<36} {:<6} {:?}: {}",
            s.name,
            s.contract.name(),
            s.role,
            s.about
        );
        for c in s.caught_by {
            outln!(
                "    caught by {} ({}, under {})",
                c.scenario,
                c.class,
                c.explorer
            );
        }
    }
    for m in conform_impls::registry::program_subjects() {
        let role = if m.mutant { "Mutant" } else { "Reference" };
        let model = m
            .model
            .map(|m| format!(" ({m} server)"))
            .unwrap_or_default();
        outln!("{:<36} {:<6} {role}{model}: {}", m.name, "program", m.about);
        outln!("    runs `{}`", m.command);
        for c in m.caught_by {
            outln!("    caught by {} ({})", c.scenario, c.class);
        }
    }
    0
}

fn reference_program(r: &RefArgs) -> i32 {
    let mut programs = conform_impls::programs::all();
    if r.list || r.args.is_empty() {
        for p in programs {
            outln!("{:<33} {}", p.name, p.about);
        }
        return if r.list { 0 } else { 2 };
    }
    let (name, args) = r.args.split_first().expect("checked non-empty");
    match programs.find(|p| p.name == name) {
        Some(p) => (p.main)(args),
        None => {
            eprintln!("error: no reference program `{name}` (see `conform ref --list`)");
            2
        }
    }
}
