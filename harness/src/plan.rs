//! Plan: which (scenario × subject × explorer) trials to run, in a deterministic order, and
//! what each must show: a reference must pass, a mutant must be caught with its class.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use conform_impls::registry::{self, Role};
use serde::{Deserialize, Serialize};

use crate::judge::class::{FailureClass, Level, Outcome};
use crate::judge::Verdict;
use crate::load::model::{Explorer, Model, Scenario};
use crate::load::profile::Profile;
use crate::load::Loaded;

/// One trial: a scenario run against one subject under one explorer.
#[derive(Debug, Clone)]
pub struct Trial {
    /// `family/scenario-id::subject::explorer`, the libtest name.
    pub name: String,
    pub scenario: Arc<Loaded>,
    pub subject: String,
    pub explorer: Explorer,
    pub expect: Expectation,
    /// Slow trials run only in the full tier.
    pub slow: bool,
    /// Program scenarios: the command line to run instead of the scenario's own.
    pub program: Option<String>,
    /// Variables of this trial alone (a manifest's per-program `vars`), over the
    /// scenario's and under `--var`.
    pub vars: BTreeMap<String, String>,
    /// Absolute paths mapped onto folders of the working directory, besides the
    /// scenario's own `subject.mounts` (a course profile's).
    pub mounts: BTreeMap<String, String>,
}

/// What a trial must show to count as good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "must", content = "class")]
pub enum Expectation {
    /// A reference: pass (or non-strict, informational, skipped).
    Pass,
    /// A mutant: fail with this class among its failures.
    Caught(FailureClass),
}

impl fmt::Display for Expectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expectation::Pass => f.write_str("pass"),
            Expectation::Caught(c) => write!(f, "be caught ({c})"),
        }
    }
}

impl Expectation {
    /// Whether `verdict` shows what was expected.
    pub fn met_by(self, verdict: &Verdict) -> bool {
        match self {
            Expectation::Pass => verdict.outcome.is_ok(),
            // A SHOULD scenario flags what it catches as non-strict.
            Expectation::Caught(class) => {
                matches!(verdict.outcome, Outcome::Fail | Outcome::NonStrict)
                    && verdict.classes().contains(&class)
            }
        }
    }
}

/// Which subjects to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subjects {
    /// The references, and every mutant against the scenarios that must catch it.
    Suite,
    /// One named library subject, judged plainly against every scenario of its contract.
    Named(String),
    /// A program (`--target CMD`), judged against every program scenario that holds for
    /// its server model (`--model`), or for every model when it names none.
    Target(String, Option<Model>, ProgramRole),
    /// A library subject in another language, through an adapter program (`--adapter CMD`),
    /// judged against every library scenario on real threads.
    Adapter(String),
}

/// Plans the trials for `scenarios`, in file order, then subject order. `vars` are the
/// `--var` values: levels they set are checked here.
pub fn plan(
    scenarios: &[Arc<Loaded>],
    subjects: &Subjects,
    vars: &BTreeMap<String, String>,
) -> Result<Vec<Trial>, String> {
    for loaded in scenarios {
        check_levels(&loaded.scenario, vars).map_err(|e| {
            format!(
                "{}: scenario `{}`: {e}",
                loaded.file.display(),
                loaded.scenario.id
            )
        })?;
    }
    let mut trials = Vec::new();
    if let Subjects::Named(name) = subjects {
        let known = registry::find(name).is_some()
            || registry::program_subjects().iter().any(|p| p.name == name);
        if !known {
            let library = registry::subjects().iter().map(|s| s.name);
            let programs = registry::program_subjects().iter().map(|p| p.name);
            let names: BTreeSet<&str> = library.chain(programs).collect();
            return Err(format!(
                "no subject called `{name}` (see `conform subjects`); known: {}",
                names.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    for loaded in scenarios {
        if loaded.scenario.subject.is_program() {
            plan_program(loaded, subjects, vars, &mut trials)?;
        } else {
            plan_library(loaded, subjects, &mut trials)?;
        }
    }
    Ok(trials)
}

fn class_of(subject: &str, class: &str) -> Result<FailureClass, String> {
    FailureClass::from_str(class).map_err(|e| format!("registry: mutant {subject}: {e}"))
}

fn explorer_of(subject: &str, name: &str) -> Result<Explorer, String> {
    match name {
        "threads" => Ok(Explorer::Threads),
        "loom" => Ok(Explorer::Loom),
        "shuttle" => Ok(Explorer::Shuttle),
        _ => Err(format!(
            "registry: mutant {subject}: unknown explorer `{name}`"
        )),
    }
}

fn plan_library(
    loaded: &Arc<Loaded>,
    subjects: &Subjects,
    trials: &mut Vec<Trial>,
) -> Result<(), String> {
    let s = &loaded.scenario;
    let mut add = |subject: &str, explorer: Explorer, expect: Expectation| {
        trials.push(Trial {
            name: format!("{}/{}::{subject}::{explorer}", loaded.family, s.id),
            scenario: loaded.clone(),
            subject: subject.to_owned(),
            explorer,
            expect,
            slow: s.slow,
            program: None,
            vars: BTreeMap::new(),
            mounts: BTreeMap::new(),
        });
    };
    let contract = s
        .subject
        .contract
        .and_then(|c| registry::Contract::from_name(c.name()));
    match subjects {
        Subjects::Target(..) => {}
        Subjects::Adapter(cmd) => {
            // The adapter protocol builds one object: scenarios of several locks, queues or
            // semaphores are not for it (yet).
            let one_object = s.subject.locks.is_empty()
                && s.subject.queues.is_empty()
                && s.subject.semaphores.is_empty();
            if s.explore.contains(&Explorer::Threads) && s.demonstrates.is_none() && one_object {
                trials.push(Trial {
                    name: format!("{}/{}::adapter::threads", loaded.family, s.id),
                    scenario: loaded.clone(),
                    subject: "adapter".into(),
                    explorer: Explorer::Threads,
                    expect: Expectation::Pass,
                    slow: s.slow,
                    program: Some(cmd.clone()),
                    vars: BTreeMap::new(),
                    mounts: BTreeMap::new(),
                });
            }
        }
        // A named subject runs the scenarios of the contract it implements.
        Subjects::Named(name) => {
            if contract.is_some_and(|c| registry::find_for(name, c).is_some()) {
                let expect = s
                    .demonstrates
                    .map_or(Expectation::Pass, Expectation::Caught);
                s.explore.iter().for_each(|&e| add(name, e, expect));
            }
        }
        Subjects::Suite => {
            for subject in registry::subjects()
                .iter()
                .filter(|sub| Some(sub.contract) == contract)
            {
                match subject.role {
                    // A scenario that demonstrates a hazard expects the reference to show it.
                    Role::Reference => {
                        let expect = s
                            .demonstrates
                            .map_or(Expectation::Pass, Expectation::Caught);
                        s.explore.iter().for_each(|&e| add(subject.name, e, expect));
                    }
                    // A mutant runs under the explorer that must catch it, if the scenario
                    // lists that explorer.
                    Role::Mutant => {
                        for c in subject.caught_by.iter().filter(|c| c.scenario == s.id) {
                            let explorer = explorer_of(subject.name, c.explorer)?;
                            if s.explore.contains(&explorer) {
                                add(
                                    subject.name,
                                    explorer,
                                    Expectation::Caught(class_of(subject.name, c.class)?),
                                );
                            }
                        }
                    }
                    Role::Fixture => {}
                }
            }
        }
    }
    Ok(())
}

/// A program scenario runs its own program and its twins (which must pass), the reference
/// servers of the models it names (which must pass), and the programs whose `caught_by`
/// names it (mutants, and references of other models that must fail it); or, with
/// `--target`, the target only, and with `--subject NAME` that one program subject.
fn plan_program(
    loaded: &Arc<Loaded>,
    subjects: &Subjects,
    globals: &BTreeMap<String, String>,
    trials: &mut Vec<Trial>,
) -> Result<(), String> {
    let s = &loaded.scenario;
    let mut add_with =
        |subject: &str, program: Option<String>, expect: Expectation, profile: Option<&Profile>| {
            let vars = profile.map(Profile::vars).unwrap_or_default();
            // A subject's profile can rule a scenario out (`only_if: { version: "2" }`): no
            // trial, rather than a skipped one, for what its version does not speak.
            if profile.is_some() && !applies(s, &vars, globals) {
                return;
            }
            trials.push(Trial {
                name: format!("{}/{}::{subject}", loaded.family, s.id),
                scenario: loaded.clone(),
                subject: subject.to_owned(),
                explorer: Explorer::Threads,
                expect,
                slow: s.slow,
                program,
                vars,
                mounts: profile.map(|p| p.mounts.clone()).unwrap_or_default(),
            });
        };
    let mut add = |subject: &str, program: Option<String>, expect: Expectation| {
        add_with(subject, program, expect, None)
    };
    let models = &s.subject.models;
    match subjects {
        Subjects::Target(cmd, model, role) => {
            let fits = applies_to_any_server(models) || model.is_some_and(|m| models.contains(&m));
            if fits && ProgramRole::of(s) == *role {
                add("target", Some(cmd.clone()), Expectation::Pass);
            }
        }
        Subjects::Adapter(_) => {}
        Subjects::Suite | Subjects::Named(_) => {
            let named = match subjects {
                Subjects::Named(n) => Some(n.as_str()),
                _ => None,
            };
            if s.subject.program.is_some() && named.is_none() {
                add("program", None, Expectation::Pass);
            }
            for p in registry::program_subjects()
                .iter()
                .filter(|p| named.is_none_or(|n| n == p.name))
            {
                let catches: Vec<_> = p.caught_by.iter().filter(|c| c.scenario == s.id).collect();
                let twin_of_this = p
                    .twin_of
                    .is_some_and(|of| s.subject.program.as_ref().is_some_and(|prog| prog.0 == of));
                let in_model = p
                    .model
                    .and_then(Model::from_name)
                    .is_some_and(|m| models.contains(&m));
                let profile = p
                    .profile
                    .map(|f| Profile::read(f).map_err(|e| format!("registry: {}: {e}", p.name)))
                    .transpose()?;
                let command = Some(p.command.to_owned());
                if let Some(c) = catches.first() {
                    let class = class_of(p.name, c.class)?;
                    add_with(
                        p.name,
                        command,
                        Expectation::Caught(class),
                        profile.as_ref(),
                    );
                } else if !p.mutant && (in_model || twin_of_this) {
                    add_with(p.name, command, Expectation::Pass, profile.as_ref());
                }
            }
        }
    }
    Ok(())
}

/// What a program scenario takes its program to be: a server (conform connects to it), or
/// a client (conform plays its server: `subject.serve`). A `--target` runs the scenarios of
/// its role only, so a chat server is not run as a chat client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProgramRole {
    #[default]
    Server,
    Client,
}

impl ProgramRole {
    pub fn of(s: &Scenario) -> ProgramRole {
        if s.subject.serve.is_empty() {
            ProgramRole::Server
        } else {
            ProgramRole::Client
        }
    }
}

/// Whether a scenario's `only_if` holds with these variables (over its own, under `globals`).
pub fn applies(
    s: &Scenario,
    vars: &BTreeMap<String, String>,
    globals: &BTreeMap<String, String>,
) -> bool {
    let mut all = s.vars.clone();
    all.extend(vars.clone());
    all.extend(globals.clone());
    let Ok(all) = crate::load::vars::resolve(&all) else {
        return true;
    };
    let fill = |t: &str| crate::load::vars::fill(t, &|n| all.get(n).cloned());
    s.only_if
        .iter()
        .all(|(name, want)| fill(&format!("{{{name}}}")) == fill(&want.0))
}

/// A scenario that names no model, or every model, holds for a target whatever its model.
pub fn applies_to_any_server(models: &[Model]) -> bool {
    Model::ALL.iter().all(|m| models.contains(m)) || models.is_empty()
}

/// Every level of a scenario, with its variables and `vars` filled in, is a level.
fn check_levels(s: &Scenario, vars: &BTreeMap<String, String>) -> Result<(), String> {
    let mut all = s.vars.clone();
    all.extend(vars.clone());
    let all = crate::load::vars::resolve(&all).map_err(|(_, e)| e)?;
    let steps = s
        .actors
        .values()
        .flatten()
        .filter_map(|st| st.expect.as_ref()?.level.as_ref());
    let program_steps = s.steps.iter().filter_map(|st| st.level.as_ref());
    let asserts = s.asserts.iter().filter_map(|a| a.level.as_ref());
    for text in s
        .level
        .iter()
        .chain(steps)
        .chain(program_steps)
        .chain(asserts)
    {
        let filled = crate::load::vars::fill(&text.0, &|n| all.get(n).cloned());
        Level::from_str(&filled).map_err(|e| format!("level `{}`: {e}", text.0))?;
    }
    Ok(())
}
