//! `cargo test` runs the suite: every (scenario × subject × explorer) trial of scenarios/, the
//! malformed-scenario corpus, and the harness's own containment trials, as one libtest-mimic
//! trial each, so `cargo test -- queue`, `--list`, `--exact` and `--ignored` work as usual.
//!
//! Two tiers: slow trials are ignored by plain `cargo test` and run by
//! `cargo test -- --include-ignored`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use conform::catalogue::Catalogue;
use conform::judge::class::{FailureClass, Outcome};
use conform::load::{self, Loaded};
use conform::plan::{self, Expectation, Subjects, Trial as PlannedTrial};
use conform::run::{self, Context, TrialResult};
use conform_impls::registry::{self, Role};
use libtest_mimic::{Arguments, Failed, Trial};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn context() -> Context {
    let mut ctx = Context::new(
        PathBuf::from(env!("CARGO_BIN_EXE_conform")),
        Default::default(),
    );
    ctx.cwd = root();
    ctx
}

fn main() {
    let mut args = Arguments::from_args();
    // Trials mostly wait: as many at once as `conform run` (four per core), unless told.
    args.test_threads.get_or_insert_with(run::default_jobs);
    let mut trials = Vec::new();
    match load::load(
        &[root().join("scenarios")],
        &Catalogue::builtin(),
        &BTreeSet::new(),
    ) {
        Ok(loaded) => {
            let loaded: Vec<Arc<Loaded>> = loaded.into_iter().map(Arc::new).collect();
            trials.push(registry_is_consistent(&loaded));
            trials.push(every_scenario_catches_a_mutant(&loaded));
            trials.extend(scenario_trials(&loaded));
            trials.extend(adapter_trials(&loaded));
        }
        Err(errors) => {
            let text: Vec<String> = errors.iter().map(|e| e.headline()).collect();
            trials.push(Trial::test("scenarios/load", move || {
                Err(text.join("\n").into())
            }));
        }
    }
    trials.push(every_example_is_run());
    trials.extend(malformed_trials());
    trials.extend(containment_trials());
    libtest_mimic::run(&args, trials).exit();
}

/// One trial per planned (scenario × subject × explorer).
fn scenario_trials(loaded: &[Arc<Loaded>]) -> Vec<Trial> {
    let planned = match plan::plan(loaded, &Subjects::Suite, &Default::default()) {
        Ok(p) => p,
        Err(e) => return vec![Trial::test("scenarios/plan", move || Err(e.into()))],
    };
    planned.into_iter().map(judged).collect()
}

/// Python's own primitives through the example adapter pass (or skip) every library scenario
/// on threads; the broken queue behind the same adapter is caught.
fn adapter_trials(loaded: &[Arc<Loaded>]) -> Vec<Trial> {
    let planned = |cmd: &str| {
        plan::plan(loaded, &Subjects::Adapter(cmd.into()), &Default::default()).unwrap_or_default()
    };
    let good = planned("python3 examples/adapters/stdlib.py");
    let broken = planned("python3 examples/adapters/broken_queue.py")
        .into_iter()
        .filter(|t| t.scenario.scenario.id == "queue.get-blocks-until-put")
        .map(|mut t| {
            t.name = t.name.replace("::adapter::", "::adapter-broken-queue::");
            t.expect = conform::plan::Expectation::Caught(FailureClass::NeverReturned);
            t
        });
    good.into_iter()
        .map(|t| {
            let mut t = t;
            t.name = t.name.replace("::adapter::", "::adapter-python-stdlib::");
            t
        })
        .chain(broken)
        .map(judged)
        .collect()
}

/// A libtest trial that runs `t` and passes when it showed what it must.
fn judged(t: PlannedTrial) -> Trial {
    let slow = t.slow;
    Trial::test(t.name.clone(), move || {
        let result = run::run_trial(&t, &context());
        if result.met {
            Ok(())
        } else {
            Err(explain(&result).into())
        }
    })
    .with_ignored_flag(slow)
}

/// Why a trial did not show what it must: outcome, summary and failed checks.
fn explain(r: &TrialResult) -> String {
    let mut s = format!(
        "{} must {}, but was {}{}\n  {}",
        r.subject,
        r.expect,
        r.verdict.outcome,
        r.verdict
            .class
            .map(|c| format!(" ({c})"))
            .unwrap_or_default(),
        r.verdict.summary
    );
    for c in r.verdict.checks.iter().filter(|c| !c.passed) {
        s += &format!(
            "\n  - {} [{}] {:?}: expected {}, observed {}",
            c.name, c.level, c.class, c.expected, c.observed
        );
    }
    s
}

/// Every mutant names scenarios that exist and classes that exist, so none is silently
/// never run.
fn registry_is_consistent(loaded: &[Arc<Loaded>]) -> Trial {
    let ids: BTreeSet<String> = loaded.iter().map(|l| l.scenario.id.clone()).collect();
    let ids_explorers: std::collections::BTreeMap<String, Vec<String>> = loaded
        .iter()
        .map(|l| {
            (
                l.scenario.id.clone(),
                l.scenario.explore.iter().map(|e| e.to_string()).collect(),
            )
        })
        .collect();
    Trial::test(
        "registry/every-mutant-is-caught-by-a-real-scenario",
        move || {
            let mut problems = Vec::new();
            for s in registry::subjects()
                .iter()
                .filter(|s| s.role == Role::Mutant)
            {
                if s.caught_by.is_empty() {
                    problems.push(format!("{} names no scenario that catches it", s.name));
                }
                for c in s.caught_by {
                    if !ids.contains(c.scenario) {
                        problems.push(format!("{} names unknown scenario {}", s.name, c.scenario));
                    }
                    let listed = ids_explorers
                        .get(c.scenario)
                        .is_some_and(|ex| ex.iter().any(|e| e == c.explorer));
                    if ids.contains(c.scenario) && !listed {
                        problems.push(format!(
                            "{} must be caught by {} under {}, which the scenario does not explore",
                            s.name, c.scenario, c.explorer
                        ));
                    }
                    if FailureClass::from_str(c.class).is_err() {
                        problems.push(format!("{} names unknown class {}", s.name, c.class));
                    }
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("\n").into())
            }
        },
    )
}

/// A test that cannot fail is a defect: every scenario is shown to catch something (a
/// mutant, or a reference of a model it does not hold for), unless it is informational or
/// demonstrates a hazard on the reference itself. And every program subject's catches name
/// real scenarios and classes.
fn every_scenario_catches_a_mutant(loaded: &[Arc<Loaded>]) -> Trial {
    let scenarios: Vec<(String, bool)> = loaded
        .iter()
        .map(|l| {
            let s = &l.scenario;
            let exempt = s.demonstrates.is_some()
                || s.level
                    .as_ref()
                    .is_some_and(|l| l.0.eq_ignore_ascii_case("INFO"));
            (s.id.clone(), exempt)
        })
        .collect();
    Trial::test("registry/every-scenario-catches-a-mutant", move || {
        let library = registry::subjects().iter().flat_map(|s| s.caught_by);
        let programs = registry::program_subjects()
            .iter()
            .flat_map(|p| p.caught_by);
        let catches: Vec<_> = library.chain(programs).collect();
        let mut problems: Vec<String> = scenarios
            .iter()
            .filter(|(id, exempt)| !exempt && !catches.iter().any(|c| c.scenario == id.as_str()))
            .map(|(id, _)| format!("{id} is shown to catch nothing"))
            .collect();
        let mut names = BTreeSet::new();
        let all_names = registry::subjects()
            .iter()
            .filter(|s| s.role != Role::Reference)
            .map(|s| s.name)
            .chain(registry::program_subjects().iter().map(|p| p.name));
        for name in all_names {
            if !names.insert(name) {
                problems.push(format!("two subjects are called {name}"));
            }
        }
        for p in registry::program_subjects() {
            for c in p.caught_by {
                if !scenarios.iter().any(|(id, _)| id == c.scenario) {
                    problems.push(format!("{} names unknown scenario {}", p.name, c.scenario));
                }
                if FailureClass::from_str(c.class).is_err() {
                    problems.push(format!("{} names unknown class {}", p.name, c.class));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n").into())
        }
    })
}

/// Every example program under `examples/` is run by the suite (a scenario's program, a
/// registered reference, twin or mutant, an adapter or the class manifest), so the guides
/// that show them never go stale.
fn every_example_is_run() -> Trial {
    Trial::test("examples/every-example-is-run", || {
        fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "py") && !p.is_symlink() {
                    out.push(p);
                }
            }
        }
        let root = root();
        let mut files = Vec::new();
        walk(&root.join("examples"), &mut files);
        let mut uses: Vec<String> = registry::program_subjects()
            .iter()
            .map(|p| p.command.to_owned())
            .collect();
        let mut texts = Vec::new();
        walk_text(&root.join("scenarios"), &mut texts);
        walk_text(&root.join("harness/tests"), &mut texts);
        uses.extend(texts);
        // The class's submissions are links to examples.
        let mut links = Vec::new();
        for e in std::fs::read_dir(root.join("examples/class"))
            .into_iter()
            .flatten()
            .flatten()
        {
            for f in std::fs::read_dir(e.path()).into_iter().flatten().flatten() {
                if let Ok(target) = std::fs::canonicalize(f.path()) {
                    links.push(target);
                }
            }
        }
        let unused: Vec<String> = files
            .iter()
            .filter(|f| {
                let rel = f.strip_prefix(&root).unwrap_or(f).display().to_string();
                let canonical = std::fs::canonicalize(f).unwrap_or_else(|_| (*f).clone());
                !uses.iter().any(|u| u.contains(&rel)) && !links.contains(&canonical)
            })
            .map(|f| f.display().to_string())
            .collect();
        if unused.is_empty() {
            Ok(())
        } else {
            Err(format!("run by nothing: {}", unused.join(", ")).into())
        }
    })
}

/// The text of every file under `dir`.
fn walk_text(dir: &std::path::Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk_text(&p, out);
        } else if let Ok(t) = std::fs::read_to_string(&p) {
            out.push(t);
        }
    }
}

/// Each malformed file gives a located error: its first line says `# expect: L:C: TEXT`.
fn malformed_trials() -> Vec<Trial> {
    let dir = root().join("harness/tests/data/malformed");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let mut trials: Vec<Trial> = files
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "yaml"))
        .map(|file| {
            let name = format!(
                "malformed/{}",
                file.file_stem().unwrap_or_default().to_string_lossy()
            );
            Trial::test(name, move || {
                expect_located_error(std::slice::from_ref(&file), &file)
            })
        })
        .collect();
    let dups = root().join("harness/tests/data/duplicate-ids");
    trials.push(Trial::test(
        "malformed/duplicate-ids-across-files",
        move || expect_located_error(std::slice::from_ref(&dups), &dups.join("b.yaml")),
    ));
    trials
}

fn expect_located_error(paths: &[PathBuf], file: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let expect = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# expect: "))
        .ok_or("the first line must be `# expect: LINE:COL: TEXT`")?;
    let (position, message) = expect.split_once(": ").ok_or("expected `LINE:COL: TEXT`")?;
    let outcome =
        std::panic::catch_unwind(|| load::load(paths, &Catalogue::builtin(), &BTreeSet::new()));
    let errors = match outcome {
        Err(_) => return Err("loading panicked".into()),
        Ok(Ok(_)) => return Err("loaded without an error".into()),
        Ok(Err(errors)) => errors,
    };
    let first = errors
        .iter()
        .find(|e| e.file == file)
        .ok_or("no error names this file")?;
    let headline = first.headline();
    let want = format!("{}:{position}: ", file.display());
    if !headline.starts_with(&want) || !headline.contains(message) {
        return Err(format!("expected `{want}...{message}...`\n     got `{headline}`").into());
    }
    Ok(())
}

/// A subject that hangs or panics gives `error` (hung / panicked), is killed, and leaves
/// no process behind.
fn containment_trials() -> Vec<Trial> {
    let case = |name: &'static str, subject: &'static str, class: FailureClass| {
        Trial::test(format!("harness/{name}"), move || {
            let file = root().join("harness/tests/data/harness/queue-hang.yaml");
            let loaded = load::load(&[file], &Catalogue::builtin(), &BTreeSet::new())
                .map_err(|e| e[0].headline())?;
            let loaded: Vec<Arc<Loaded>> = loaded.into_iter().map(Arc::new).collect();
            let trials = plan::plan(
                &loaded,
                &Subjects::Named(subject.into()),
                &Default::default(),
            )?;
            let r = run::run_trial(&trials[0], &context());
            if r.verdict.outcome != Outcome::Error || r.verdict.class != Some(class) {
                return Err(format!(
                    "expected error ({class}), got {:?} {:?}: {}",
                    r.verdict.outcome, r.verdict.class, r.verdict.summary
                )
                .into());
            }
            if r.expect != Expectation::Pass || r.met {
                return Err("an errored trial must not count as met".into());
            }
            Ok(())
        })
    };
    vec![
        case(
            "hanging-subject-is-killed-and-reported-as-error",
            "fixture:queue-hangs",
            FailureClass::Hung,
        ),
        case(
            "panicking-subject-is-reported-as-error",
            "fixture:queue-panics",
            FailureClass::Panicked,
        ),
    ]
}
