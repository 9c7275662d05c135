//! The process tree over time: a lane per process of a program trial (children under their
//! parent), coloured by the state /proc showed at each sample (running, sleeping, zombie,
//! ...), with what the observer and the supervisor saw happen: born, adopted, zombie,
//! reaped, gone.

use std::collections::BTreeMap;

use maud::{html, Markup};

use super::svg::{fmt, Scale, WIDTH};
use super::view::{clip, micros};
use crate::evidence::EventKind;
use crate::run::TrialResult;

const LANE: f64 = 24.0;
const TOP: f64 = 22.0;
/// Processes drawn; a fork bomb's are counted, not drawn.
const MAX: usize = 60;

#[derive(Default)]
struct Proc {
    ppid: Option<i32>,
    comm: String,
    first: Option<u64>,
    /// When it was last seen, or when it ended.
    last: u64,
    ended: bool,
    /// (when, state letter) from the samples and the events.
    states: Vec<(u64, char)>,
    /// (when, kind, what happened).
    marks: Vec<(u64, &'static str, String)>,
}

impl Proc {
    fn seen(&mut self, at: u64) {
        self.first = Some(self.first.map_or(at, |f| f.min(at)));
        if !self.ended {
            self.last = self.last.max(at);
        }
    }
}

pub fn render(t: &TrialResult) -> Markup {
    let evidence = &t.verdict.evidence;
    let mut procs: BTreeMap<i32, Proc> = BTreeMap::new();
    for o in evidence.observations.iter().filter(|o| o.what == "tree") {
        for p in o.value.as_array().into_iter().flatten() {
            let Some(pid) = p["pid"].as_i64() else {
                continue;
            };
            let entry = procs.entry(pid as i32).or_default();
            entry.seen(o.at_us);
            if entry.ppid.is_none() {
                entry.ppid = p["ppid"].as_i64().map(|v| v as i32);
            }
            if entry.comm.is_empty() {
                entry.comm = p["comm"].as_str().unwrap_or_default().to_owned();
            }
            if let Some(state) = p["state"].as_str().and_then(|s| s.chars().next()) {
                entry.states.push((o.at_us, state));
            }
        }
    }
    for e in &evidence.events {
        let (pid, kind, what) = match &e.kind {
            EventKind::Process { pid, what, detail } => {
                let kind = match what.as_str() {
                    "born" => "born",
                    "adopted" => "adopted",
                    "zombie" => "zombie",
                    "gone" => "gone",
                    _ => "other",
                };
                let text = if detail.is_empty() {
                    what.clone()
                } else {
                    format!("{what}: {detail}")
                };
                (*pid, kind, text)
            }
            EventKind::Reaped { pid, exit } => (*pid, "reaped", format!("reaped: {exit}")),
            _ => continue,
        };
        let p = procs.entry(pid).or_default();
        p.seen(e.at_us);
        match kind {
            "zombie" => p.states.push((e.at_us, 'Z')),
            "gone" | "reaped" => {
                p.last = if p.ended {
                    p.last.min(e.at_us)
                } else {
                    e.at_us
                };
                p.ended = true;
            }
            _ => {}
        }
        p.marks.push((
            e.at_us,
            kind,
            format!("{} pid {pid} {what}", micros(e.at_us)),
        ));
    }
    if procs.is_empty() {
        return html! {};
    }
    let order = tree_order(&procs);
    let end = procs.values().map(|p| p.last).max().unwrap_or(0);
    let scale = Scale::new(0, end, false);
    let drawn = &order[..order.len().min(MAX)];
    let height = TOP + LANE * drawn.len() as f64 + 6.0;
    html! {
        h4 { "The program's processes over time" }
        svg.processes viewBox={ "0 0 " (WIDTH) " " (fmt(height)) } role="img"
            aria-label="the process tree over time: a lane per process" {
            (scale.ticks(TOP, height - 4.0))
            @for (i, (pid, depth)) in drawn.iter().enumerate() {
                @let p = &procs[pid];
                @let y = TOP + LANE * i as f64;
                g.proc {
                    text.actor x=(fmt(6.0 + 10.0 * (*depth).min(8) as f64)) y=(fmt(y + 16.0)) {
                        (clip(&format!("{pid} {}", p.comm), 22 - 2 * (*depth).min(8)))
                    }
                    @for (from, to, state) in segments(p) {
                        rect class={ "st st-" (state_class(state)) }
                            x=(fmt(scale.x(from))) y=(fmt(y + 6.0)) width=(fmt((scale.x(to) - scale.x(from)).max(2.0))) height="12" {
                            title { (format!("pid {pid} {}: {} from {} to {}", p.comm, state_name(state), micros(from), micros(to))) }
                        }
                    }
                    @for (at, kind, what) in &p.marks {
                        circle class={ "mk mk-" (kind) } cx=(fmt(scale.x(*at))) cy=(fmt(y + 12.0)) r="4" {
                            title { (what) }
                        }
                    }
                }
            }
        }
        @if order.len() > MAX {
            p.none { "… and " (order.len() - MAX) " more processes (in results.json)." }
        }
        p.legend {
            span.key.st-r {} "running "
            span.key.st-s {} "sleeping "
            span.key.st-d {} "waiting on the disk "
            span.key.st-z {} "zombie "
            span.key.st-o {} "other "
            "; dots: " span.dot.mk-born {} "born "
            span.dot.mk-adopted {} "adopted "
            span.dot.mk-zombie {} "became a zombie "
            span.dot.mk-reaped {} "reaped "
            span.dot.mk-gone {} "gone"
        }
    }
}

/// Processes parents first, each followed by its children, with their depth.
fn tree_order(procs: &BTreeMap<i32, Proc>) -> Vec<(i32, usize)> {
    let first = |pid: &i32| procs[pid].first.unwrap_or(0);
    let mut roots: Vec<i32> = procs
        .iter()
        .filter(|(_, p)| p.ppid.is_none_or(|pp| !procs.contains_key(&pp)))
        .map(|(pid, _)| *pid)
        .collect();
    roots.sort_by_key(first);
    let mut out = Vec::new();
    let mut stack: Vec<(i32, usize)> = roots.into_iter().rev().map(|p| (p, 0)).collect();
    while let Some((pid, depth)) = stack.pop() {
        if out.iter().any(|(p, _)| *p == pid) {
            continue;
        }
        out.push((pid, depth));
        let mut children: Vec<i32> = procs
            .iter()
            .filter(|(c, p)| p.ppid == Some(pid) && **c != pid)
            .map(|(c, _)| *c)
            .collect();
        children.sort_by_key(first);
        stack.extend(children.into_iter().rev().map(|c| (c, depth + 1)));
    }
    // A cycle of parents (pids reused) leaves some out: list them at the top level.
    for pid in procs.keys() {
        if !out.iter().any(|(p, _)| p == pid) {
            out.push((*pid, 0));
        }
    }
    out
}

/// The process's life as (from, to, state): each state holds until the next one seen.
fn segments(p: &Proc) -> Vec<(u64, u64, char)> {
    let mut states = p.states.clone();
    states.sort_by_key(|(at, _)| *at);
    let start = p.first.unwrap_or(0);
    let mut out = Vec::new();
    if states.first().is_none_or(|(at, _)| *at > start) {
        states.insert(0, (start, '?'));
    }
    for (i, (at, state)) in states.iter().enumerate() {
        let to = states.get(i + 1).map_or(p.last, |(next, _)| *next);
        if to >= *at {
            out.push((*at, to, *state));
        }
    }
    out
}

fn state_class(state: char) -> &'static str {
    match state {
        'R' => "r",
        'S' | 'I' => "s",
        'D' => "d",
        'Z' | 'X' => "z",
        _ => "o",
    }
}

fn state_name(state: char) -> &'static str {
    match state {
        'R' => "running",
        'S' => "sleeping",
        'I' => "idle",
        'D' => "waiting on the disk",
        'Z' => "zombie",
        'T' | 't' => "stopped",
        'X' => "dead",
        '?' => "not yet sampled",
        _ => "other",
    }
}
