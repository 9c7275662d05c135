//! A library subject in any language, through an adapter program (docs/adapter.md): one JSON
//! object a line on its stdin and stdout. The harness says which contract to build, then sends
//! each operation with the actor that calls it; the adapter runs every actor's operations on a
//! thread of its own (a blocking `get` holds up only its actor) and answers each with its id.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use super::ops::Op;
use crate::load::model::ContractName;

/// A running adapter program.
pub struct Adapter {
    child: Mutex<Child>,
    stdin: Mutex<ChildStdin>,
    waiting: Arc<Mutex<BTreeMap<u64, Sender<Value>>>>,
    next: AtomicU64,
}

impl Adapter {
    /// Starts `command` (split like a shell would, run from the current directory) and asks it
    /// for a fresh `contract` subject.
    pub fn start(command: &str, contract: ContractName, maxsize: usize) -> Result<Adapter, String> {
        let argv = shlex::split(command)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| format!("cannot split the adapter command `{command}`"))?;
        let mut child = Command::new(&argv[0])
            .args(&argv[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the adapter `{command}`: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin for the adapter")?;
        let stdout = child.stdout.take().ok_or("no stdout for the adapter")?;
        let waiting: Arc<Mutex<BTreeMap<u64, Sender<Value>>>> = Arc::default();
        {
            let waiting = waiting.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    let Ok(reply) = serde_json::from_str::<Value>(&line) else {
                        continue; // not a reply: the adapter's own chatter
                    };
                    let id = reply.get("id").and_then(Value::as_u64).unwrap_or(u64::MAX);
                    let to = waiting
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .remove(&id);
                    if let Some(to) = to {
                        let _ = to.send(reply);
                    }
                }
                // The adapter is gone: every caller still waiting learns it.
                let gone = std::mem::take(&mut *waiting.lock().unwrap_or_else(|p| p.into_inner()));
                for (_, to) in gone {
                    let _ = to.send(json!({ "error": "the adapter exited" }));
                }
            });
        }
        let adapter = Adapter {
            child: Mutex::new(child),
            stdin: Mutex::new(stdin),
            waiting,
            next: AtomicU64::new(1),
        };
        let hello = json!({ "new": contract.name(), "maxsize": maxsize });
        match adapter.request("harness", hello) {
            Ok(_) => Ok(adapter),
            Err(e) => Err(format!(
                "the adapter did not build its {}: {e}",
                contract.name()
            )),
        }
    }

    /// Runs `op` for the calling actor (the name of the harness thread that calls it): the
    /// value it returned as text, or its error.
    pub fn call(&self, op: &Op) -> Result<Option<String>, String> {
        let actor = std::thread::current().name().unwrap_or("main").to_owned();
        let reply = self.request(&actor, op_json(op))?;
        Ok(match reply.get("value") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        })
    }

    fn request(&self, actor: &str, mut body: Value) -> Result<Value, String> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        body["id"] = json!(id);
        body["actor"] = json!(actor);
        let (to, from) = channel();
        self.waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, to);
        {
            let mut stdin = self.stdin.lock().unwrap_or_else(|p| p.into_inner());
            writeln!(stdin, "{body}")
                .and_then(|_| stdin.flush())
                .map_err(|e| format!("cannot write to the adapter: {e}"))?;
        }
        let reply = from.recv().map_err(|_| "the adapter exited".to_owned())?;
        match reply.get("error").and_then(Value::as_str) {
            Some(e) => Err(e.to_owned()),
            None => Ok(reply),
        }
    }
}

impl Drop for Adapter {
    fn drop(&mut self) {
        let mut child = self.child.lock().unwrap_or_else(|p| p.into_inner());
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// The wire form of an operation: `{"op": "put", "item": "a", "block": true, "timeout": 0.2}`.
fn op_json(op: &Op) -> Value {
    use conform_impls::contracts::wait::Wait;
    let wait = |w: &Wait| match w {
        Wait::No => json!({ "block": false, "timeout": null }),
        Wait::Forever => json!({ "block": true, "timeout": null }),
        Wait::For(t) => json!({ "block": true, "timeout": t.as_secs_f64() }),
    };
    let with = |mut v: Value, name: &str| {
        v["op"] = json!(name);
        v
    };
    let secs = |d: &Option<std::time::Duration>| d.map(|d| d.as_secs_f64());
    match op {
        Op::Put(item, w) => {
            let mut v = with(wait(w), "put");
            v["item"] = json!(item);
            v
        }
        Op::Get(w) => with(wait(w), "get"),
        Op::Acquire(w) => with(wait(w), "acquire"),
        Op::Wait(t) => json!({ "op": "wait", "timeout": secs(t) }),
        Op::With(hold, raise) => {
            json!({ "op": "with", "hold": hold.as_secs_f64(), "raise": raise })
        }
        Op::Start(name, runs_for) => {
            json!({ "op": "start", "thread": name, "runs_for": secs(runs_for) })
        }
        Op::Join(name, t) => json!({ "op": "join", "thread": name, "timeout": secs(t) }),
        Op::IsAlive(name) => json!({ "op": "is_alive", "thread": name }),
        Op::ThreadName(name) => json!({ "op": "name", "thread": name }),
        Op::Ident(name) => json!({ "op": "ident", "thread": name }),
        other => json!({ "op": other.wire_name() }),
    }
}
