//! The operations library steps perform, on a subject of any contract: built from a step,
//! described for the evidence, applied to the subject. Shared by real threads and the
//! checkers.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use conform_impls::contracts::event::Event;
use conform_impls::contracts::lock::{Lock, ReleaseError};
use conform_impls::contracts::queue::{GetError, PutError, Queue, Wait};
use conform_impls::contracts::thread::{ThreadHandle, Threads};
use conform_impls::reference::avoid::{self, LockSet};
use conform_impls::reference::semaphore::RefSemaphore;
use conform_impls::registry;
use conform_impls::sync::thread;

use super::watch;
use crate::evidence::StepAt;
use crate::load::duration::Dur;
use crate::load::model::{ContractName, Scenario, Step};
use crate::load::vars;

/// A library subject, built for one trial (or one execution under a checker).
#[derive(Clone)]
pub enum Subject {
    Queue(Arc<dyn Queue<String>>),
    Event(Arc<dyn Event>),
    Lock(Arc<dyn Lock>),
    Threads(Arc<dyn Threads>),
    /// Any contract, in another language, through an adapter program.
    Adapter(Arc<super::adapter::Adapter>),
}

/// Builds a subject of one's own for a scenario's `maxsize` (ignored but by queues).
pub type Factory = Arc<dyn Fn(usize) -> Subject + Send + Sync>;

/// Subjects registered in this process by the check API (`crate::check`), by name.
static CUSTOM: std::sync::Mutex<BTreeMap<String, (ContractName, Factory)>> =
    std::sync::Mutex::new(BTreeMap::new());

/// Makes `name` a subject of `contract` that `build` makes with `factory`.
pub fn register(name: &str, contract: ContractName, factory: Factory) {
    CUSTOM
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(name.to_owned(), (contract, factory));
}

/// What a trial's actors act on: one subject per lock or queue the scenario names
/// (`subject.locks`, `subject.queues`), or the one subject, unnamed; the scenario's
/// semaphores (reference ones, named like locks); and a lock set (the waiter that grants
/// `acquire_all`).
#[derive(Clone)]
pub struct Built {
    instances: Arc<Vec<(String, Subject)>>,
    lock_set: Arc<LockSet>,
}

impl Built {
    /// The locks called `names`, in that order, each telling the lock watch what the step
    /// at `at` does with it.
    fn watched<'a>(&'a self, names: &'a [String], at: StepAt) -> Result<Vec<Watched<'a>>, String> {
        names
            .iter()
            .map(|n| match self.get(Some(n))? {
                Subject::Lock(l) => Ok(Watched {
                    lock: &**l,
                    name: n,
                    at,
                }),
                _ => Err(format!("`{n}` is not a lock")),
            })
            .collect()
    }

    /// The instance called `name`; the first (the only one) for `None`.
    fn get(&self, name: Option<&str>) -> Result<&Subject, String> {
        match name {
            None => self.instances.first().map(|(_, s)| s),
            Some(n) => self.instances.iter().find(|(i, _)| i == n).map(|(_, s)| s),
        }
        .ok_or_else(|| format!("no instance called `{}`", name.unwrap_or_default()))
    }
}

impl Subject {
    /// Builds `name` for the scenario's contract, with the scenario's parameters: one
    /// instance for each lock or queue the scenario names.
    pub fn build(scenario: &Scenario, name: &str) -> Result<Built, String> {
        let contract = scenario.subject.contract.unwrap_or(ContractName::Queue);
        let names: Vec<String> = match contract {
            ContractName::Lock => scenario.subject.locks.clone(),
            ContractName::Queue => scenario.subject.queues.clone(),
            _ => Vec::new(),
        };
        let names = if names.is_empty() {
            vec![String::new()]
        } else {
            names
        };
        let mut instances = Vec::new();
        for instance in names {
            instances.push((instance, Subject::build_one(scenario, name, contract)?));
        }
        for (instance, size) in &scenario.subject.semaphores {
            let semaphore = RefSemaphore::new(*size as usize);
            instances.push((instance.clone(), Subject::Lock(Arc::new(semaphore))));
        }
        Ok(Built {
            instances: Arc::new(instances),
            lock_set: Arc::new(LockSet::new()),
        })
    }

    fn build_one(
        scenario: &Scenario,
        name: &str,
        contract: ContractName,
    ) -> Result<Subject, String> {
        let maxsize = scenario.subject.params.maxsize as usize;
        let custom = CUSTOM
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
            .filter(|(c, _)| *c == contract)
            .map(|(_, f)| f.clone());
        if let Some(factory) = custom {
            return Ok(factory(maxsize));
        }
        let built = match contract {
            ContractName::Queue => registry::make_queue(name, maxsize).map(Subject::Queue),
            ContractName::Event => registry::make_event(name).map(Subject::Event),
            ContractName::Lock => registry::make_lock(name).map(Subject::Lock),
            ContractName::Thread => registry::make_threads(name).map(Subject::Threads),
        };
        built.ok_or_else(|| format!("no {} subject called `{name}`", contract.name()))
    }
}

/// The scenario's own shared state: how many actors are in its critical section
/// (`enter` / `leave`), a counter that `bump` updates without synchronisation, and the
/// threads started by name (`start`). The map's lock is never held across a subject call.
#[derive(Default, Clone)]
pub struct Section(
    Arc<AtomicUsize>,
    Arc<AtomicUsize>,
    Arc<std::sync::Mutex<BTreeMap<String, Arc<dyn ThreadHandle>>>>,
);

impl Section {
    fn thread(&self, name: &str) -> Result<Arc<dyn ThreadHandle>, String> {
        let map = self.2.lock().unwrap_or_else(|p| p.into_inner());
        map.get(name)
            .cloned()
            .ok_or_else(|| "no-such-thread".to_owned())
    }
}

/// One operation with its arguments filled in.
pub enum Op {
    Put(String, Wait),
    Get(Wait),
    Qsize,
    Empty,
    Full,
    Close,
    Set,
    Clear,
    IsSet,
    Wait(Option<Duration>),
    SetClear,
    Acquire(Wait),
    Release,
    Locked,
    With(Duration, bool),
    Enter,
    Leave,
    Bump,
    AcquireAll(Vec<String>),
    ReleaseAll(Vec<String>),
    AcquireOrBackOff(Vec<String>, Option<Duration>, Duration),
    Start(String, Option<Duration>),
    IsAlive(String),
    Join(String, Option<Duration>),
    ThreadName(String),
    Ident(String),
}

/// One of the scenario's locks, handed to code that takes several (the lock set, the
/// back-off): it tells the lock watch what the step does with it, as a plain `acquire` and
/// `release` step does.
struct Watched<'a> {
    lock: &'a dyn Lock,
    name: &'a str,
    at: StepAt,
}

impl Watched<'_> {
    fn all<'b>(locks: &'b [Watched<'_>]) -> Vec<&'b dyn Lock> {
        locks.iter().map(|l| l as &dyn Lock).collect()
    }
}

impl Lock for Watched<'_> {
    fn acquire(&self, wait: Wait) -> bool {
        watch::wants(self.name, self.at);
        let taken = self.lock.acquire(wait);
        watch::acquired(self.name, self.at, taken, wait == Wait::Forever);
        taken
    }

    fn release(&self) -> Result<(), ReleaseError> {
        let result = self.lock.release();
        if result.is_ok() {
            watch::released(self.name);
        }
        result
    }

    fn locked(&self) -> bool {
        self.lock.locked()
    }
}

/// An operation, the lock or queue it acts on (`None`: the only one), and the step it is.
pub struct Call {
    pub op: Op,
    pub on: Option<String>,
    pub at: StepAt,
}

impl Call {
    /// The call of `step` (not a `sleep`) for `actor`, at `at` (its index and round).
    pub fn of(step: &Step, vars: &BTreeMap<String, String>, actor: &str, at: StepAt) -> Call {
        Call {
            op: Op::of(step, vars, actor, at.round),
            on: step.instance().map(|(_, name, _)| name.to_owned()),
            at,
        }
    }

    /// The call as Python would write it: `put("a", block=False)`, `A.acquire()`.
    pub fn describe(&self) -> String {
        match &self.on {
            Some(on) => format!("{on}.{}", self.op.describe()),
            None => self.op.describe(),
        }
    }

    /// The item a `put` passes.
    pub fn arg(&self) -> Option<String> {
        self.op.arg()
    }

    /// Applies the operation to its instance: the value it returned (as text), or the
    /// contract error.
    pub fn apply(&self, built: &Built, section: &Section) -> Result<Option<String>, String> {
        watch::step(Some(self.at));
        let result = self.apply_watched(built, section);
        watch::step(None);
        result
    }

    fn apply_watched(&self, built: &Built, section: &Section) -> Result<Option<String>, String> {
        match &self.op {
            Op::AcquireAll(names) => {
                let locks = built.watched(names, self.at)?;
                built.lock_set.acquire_all(&Watched::all(&locks));
                return Ok(None);
            }
            Op::ReleaseAll(names) => {
                let locks = built.watched(names, self.at)?;
                return built
                    .lock_set
                    .release_all(&Watched::all(&locks))
                    .map(|_| None)
                    .map_err(|ReleaseError::NotLocked| "not-locked".to_owned());
            }
            Op::AcquireOrBackOff(names, timeout, pause) => {
                let locks = built.watched(names, self.at)?;
                return match avoid::acquire_or_back_off(&Watched::all(&locks), *timeout, *pause) {
                    Some(_) => Ok(None),
                    None => Err("gave-up".to_owned()),
                };
            }
            _ => {}
        }
        let subject = built.get(self.on.as_deref())?;
        // The scenario's own locks, for the lock watch (a deadlock's explanation, lockdep).
        let name = self.on.as_deref().unwrap_or_default();
        match (&self.op, subject) {
            (Op::Acquire(wait), Subject::Lock(_)) => {
                watch::wants(name, self.at);
                let result = self.op.apply(subject, section);
                let taken = matches!(&result, Ok(Some(v)) if v == "true");
                watch::acquired(name, self.at, taken, *wait == Wait::Forever);
                result
            }
            (Op::With(..), Subject::Lock(_)) => {
                watch::wants(name, self.at);
                let result = self.op.apply(subject, section);
                watch::acquired(name, self.at, false, true);
                result
            }
            (Op::Release, Subject::Lock(_)) => {
                let result = self.op.apply(subject, section);
                if result.is_ok() {
                    watch::released(name);
                }
                result
            }
            _ => self.op.apply(subject, section),
        }
    }
}

fn wait_of(block: bool, timeout: Option<Dur>) -> Wait {
    match (block, timeout) {
        (false, _) => Wait::No,
        (true, None) => Wait::Forever,
        (true, Some(t)) => Wait::For(t.0),
    }
}

impl Op {
    /// The operation of `step` (not a `sleep`) for `actor` in `round`.
    fn of(step: &Step, vars: &BTreeMap<String, String>, actor: &str, round: u32) -> Op {
        // Thread names take variables, `{actor}` and `{i}` like items do.
        let name = |n: &String| vars::fill_step(n, vars, actor, round);
        let simple = [
            (step.qsize.is_some(), Op::Qsize),
            (step.empty.is_some(), Op::Empty),
            (step.full.is_some(), Op::Full),
            (step.close.is_some(), Op::Close),
            (step.set.is_some(), Op::Set),
            (step.set_clear.is_some(), Op::SetClear),
            (step.clear.is_some(), Op::Clear),
            (step.is_set.is_some(), Op::IsSet),
            (step.release.is_some(), Op::Release),
            (step.locked.is_some(), Op::Locked),
            (step.enter.is_some(), Op::Enter),
            (step.leave.is_some(), Op::Leave),
            (step.bump.is_some(), Op::Bump),
        ];
        if let Some(p) = &step.put {
            Op::Put(
                vars::fill_step(&p.item.0, vars, actor, round),
                wait_of(p.block, p.timeout),
            )
        } else if let Some(g) = &step.get {
            Op::Get(wait_of(g.block, g.timeout))
        } else if let Some(w) = &step.wait {
            Op::Wait(w.timeout.map(|t| t.0))
        } else if let Some(a) = &step.acquire {
            Op::Acquire(wait_of(a.block, a.timeout))
        } else if let Some(w) = &step.with {
            Op::With(w.hold.map(|d| d.0).unwrap_or_default(), w.raise)
        } else if let Some(l) = &step.acquire_all {
            Op::AcquireAll(l.clone())
        } else if let Some(l) = &step.release_all {
            Op::ReleaseAll(l.clone())
        } else if let Some(b) = &step.acquire_or_back_off {
            Op::AcquireOrBackOff(
                b.locks.clone(),
                b.timeout.map(|d| d.0),
                b.pause.map(|d| d.0).unwrap_or_default(),
            )
        } else if let Some(t) = &step.start {
            Op::Start(name(&t.thread), t.runs_for.map(|d| d.0))
        } else if let Some(t) = &step.is_alive {
            Op::IsAlive(name(t))
        } else if let Some(j) = &step.join {
            Op::Join(name(&j.thread), j.timeout.map(|d| d.0))
        } else if let Some(t) = &step.thread_name {
            Op::ThreadName(name(t))
        } else if let Some(t) = &step.ident {
            Op::Ident(name(t))
        } else {
            // Loading checked that a step has exactly one operation.
            simple
                .into_iter()
                .find(|(present, _)| *present)
                .map_or(Op::Leave, |(_, op)| op)
        }
    }

    /// The call as Python would write it: `put("a", block=False)`.
    fn describe(&self) -> String {
        let wait = |w: &Wait| match w {
            Wait::Forever => String::new(),
            Wait::No => "block=False".into(),
            Wait::For(t) => format!("timeout={}", t.as_secs_f64()),
        };
        match self {
            Op::Put(item, w) if *w == Wait::Forever => format!("put({item:?})"),
            Op::Put(item, w) => format!("put({item:?}, {})", wait(w)),
            Op::Get(w) => format!("get({})", wait(w)),
            Op::Qsize => "qsize()".into(),
            Op::Empty => "empty()".into(),
            Op::Full => "full()".into(),
            Op::Close => "close()".into(),
            Op::Set => "set()".into(),
            Op::Clear => "clear()".into(),
            Op::IsSet => "is_set()".into(),
            Op::Wait(None) => "wait()".into(),
            Op::Wait(Some(t)) => format!("wait(timeout={})", t.as_secs_f64()),
            Op::Acquire(w) => format!("acquire({})", wait(w)),
            Op::SetClear => "set(); clear()".into(),
            Op::Release => "release()".into(),
            Op::Locked => "locked()".into(),
            Op::With(hold, raise) => format!(
                "with lock: hold {}ms{}",
                hold.as_millis(),
                if *raise { ", then raise" } else { "" }
            ),
            Op::Enter => "enter critical section".into(),
            Op::Leave => "leave critical section".into(),
            Op::Bump => "x = x + 1".into(),
            Op::AcquireAll(l) => format!("acquire_all({})", l.join(", ")),
            Op::ReleaseAll(l) => format!("release_all({})", l.join(", ")),
            Op::AcquireOrBackOff(l, t, _) => match t {
                None => format!("acquire_or_back_off({})", l.join(", ")),
                Some(t) => format!(
                    "acquire_or_back_off({}, timeout={})",
                    l.join(", "),
                    t.as_secs_f64()
                ),
            },
            Op::Start(t, _) => format!("Thread(name={t:?}).start()"),
            Op::IsAlive(t) => format!("{t}.is_alive()"),
            Op::Join(t, None) => format!("{t}.join()"),
            Op::Join(t, Some(d)) => format!("{t}.join(timeout={})", d.as_secs_f64()),
            Op::ThreadName(t) => format!("{t}.name"),
            Op::Ident(t) => format!("{t}.ident"),
        }
    }

    /// The name of an operation without arguments, as an adapter receives it.
    pub fn wire_name(&self) -> &'static str {
        match self {
            Op::Qsize => "qsize",
            Op::Empty => "empty",
            Op::Full => "full",
            Op::Close => "close",
            Op::Set => "set",
            Op::SetClear => "set_clear",
            Op::Clear => "clear",
            Op::IsSet => "is_set",
            Op::Release => "release",
            Op::Locked => "locked",
            _ => "unknown",
        }
    }

    /// The item a `put` passes.
    fn arg(&self) -> Option<String> {
        match self {
            Op::Put(item, _) => Some(item.clone()),
            _ => None,
        }
    }

    /// Applies the operation: the value it returned (as text), or the contract error.
    fn apply(&self, subject: &Subject, section: &Section) -> Result<Option<String>, String> {
        let text = |b: bool| Ok(Some(b.to_string()));
        match (self, subject) {
            (Op::Enter, _) => {
                let inside = section.0.fetch_add(1, Ordering::SeqCst) + 1;
                // Inside the section: a chance for another actor to come in too.
                thread::yield_now();
                Ok(Some(
                    inside.max(section.0.load(Ordering::SeqCst)).to_string(),
                ))
            }
            (Op::Leave, _) => {
                section.0.fetch_sub(1, Ordering::SeqCst);
                Ok(None)
            }
            (Op::Bump, _) => {
                // Read, let another thread run, write back plus one: `x = x + 1` in Python.
                let seen = section.1.load(Ordering::SeqCst);
                thread::yield_now();
                section.1.store(seen + 1, Ordering::SeqCst);
                Ok(Some((seen + 1).to_string()))
            }
            (op, Subject::Adapter(a)) => a.call(op),
            (op, Subject::Queue(q)) => queue_op(op, &**q),
            (Op::Start(name, runs_for), Subject::Threads(t)) => {
                let runs_for = runs_for.unwrap_or_default();
                let handle = t.start(name, Box::new(move || thread::sleep(runs_for)));
                section
                    .2
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(name.clone(), Arc::from(handle));
                Ok(None)
            }
            (Op::IsAlive(name), Subject::Threads(_)) => text(section.thread(name)?.is_alive()),
            (Op::Join(name, timeout), Subject::Threads(_)) => {
                text(section.thread(name)?.join(*timeout))
            }
            (Op::ThreadName(name), Subject::Threads(_)) => Ok(Some(section.thread(name)?.name())),
            (Op::Ident(name), Subject::Threads(_)) => {
                Ok(Some(section.thread(name)?.ident().to_string()))
            }
            (Op::Set, Subject::Event(e)) => {
                e.set();
                Ok(None)
            }
            (Op::SetClear, Subject::Event(e)) => {
                e.set();
                e.clear();
                Ok(None)
            }
            (Op::Clear, Subject::Event(e)) => {
                e.clear();
                Ok(None)
            }
            (Op::IsSet, Subject::Event(e)) => text(e.is_set()),
            (Op::Wait(t), Subject::Event(e)) => text(e.wait(*t)),
            (Op::Acquire(w), Subject::Lock(l)) => text(l.acquire(*w)),
            (Op::Release, Subject::Lock(l)) => l
                .release()
                .map(|_| None)
                .map_err(|ReleaseError::NotLocked| "not-locked".to_owned()),
            (Op::Locked, Subject::Lock(l)) => text(l.locked()),
            (Op::With(hold, raise), Subject::Lock(l)) => with_block(&**l, *hold, *raise),
            (op, _) => Err(format!(
                "`{}` is not an operation of this subject",
                op.describe()
            )),
        }
    }
}

/// What a `with` block raises: a panic the harness expects, kept off stderr.
struct Raised;

/// `with lock:` around a block that holds the lock for `hold`, then raises if asked.
fn with_block(lock: &dyn Lock, hold: Duration, raise: bool) -> Result<Option<String>, String> {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<Raised>() {
                previous(info);
            }
        }));
    });
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        lock.with(&mut || {
            thread::sleep(hold);
            if raise {
                std::panic::panic_any(Raised);
            }
        })
    }));
    match outcome {
        Ok(()) => Ok(None),
        Err(p) if p.is::<Raised>() => Err("raised".to_owned()),
        Err(p) => std::panic::resume_unwind(p),
    }
}

fn queue_op(op: &Op, q: &dyn Queue<String>) -> Result<Option<String>, String> {
    let put_err = |e: PutError| match e {
        PutError::Full => "full".to_owned(),
        PutError::Closed => "closed".to_owned(),
    };
    let get_err = |e: GetError| match e {
        GetError::Empty => "empty".to_owned(),
        GetError::Closed => "closed".to_owned(),
    };
    match op {
        Op::Put(item, w) => q.put(item.clone(), *w).map(|_| None).map_err(put_err),
        Op::Get(w) => q.get(*w).map(Some).map_err(get_err),
        Op::Qsize => Ok(Some(q.qsize().to_string())),
        Op::Empty => Ok(Some(q.empty().to_string())),
        Op::Full => Ok(Some(q.full().to_string())),
        Op::Close => {
            q.close();
            Ok(None)
        }
        other => Err(format!(
            "`{}` is not an operation of a queue",
            other.describe()
        )),
    }
}
