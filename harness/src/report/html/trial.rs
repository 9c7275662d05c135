//! A section per scenario (its claims in the course's words and in English) holding a
//! section per trial: the verdict, expected versus observed for every check, and the
//! evidence: the actors' timeline, the failing interleaving and its replay command, the
//! messages on the wire, the process tree over time, the program's output, the worker's
//! stderr, and every event.

use maud::{html, Markup};

use super::view::{clip, long, micros, replay_command, status_class, Entry, Page, Row};
use super::{processes, sequence, timeline};
use crate::catalogue::Catalogue;
use crate::evidence::EventKind;

/// Lines of each output stream shown (the last ones).
const OUTPUT_TAIL: usize = 40;
/// Events listed in a trial's table of every event.
const EVENT_ROWS: usize = 400;

pub fn render_all(page: &Page, catalogue: &Catalogue) -> Markup {
    html! {
        section #trials {
            h2 { "Trials" }
            p.hint { "Trials that did not show what they must are open; click any other to open it." }
            @for row in &page.rows {
                (scenario(page, catalogue, row))
            }
        }
    }
}

fn scenario(page: &Page, catalogue: &Catalogue, row: &Row) -> Markup {
    html! {
        section.scenario id={ "s-" (row.id) } {
            h3 { span.family { (row.family) "/" } (row.id) }
            @if let Some(info) = row.info {
                p.title { (info.title) " " span.file { (info.file) } }
                @if let Some(d) = &info.description { p.description { (d) } }
                @for id in &info.claims {
                    @if let Some(claim) = catalogue.get(id) {
                        div.claim-line {
                            a href={ "#c-" (id) } { code { (id) } }
                            " "
                            span.course lang="zh" { (claim.course) }
                            br;
                            span.english { (claim.text) }
                        }
                    }
                }
            }
            @for e in page.of_scenario(&row.id) {
                (one(e, row))
            }
        }
    }
}

fn one(e: &Entry, row: &Row) -> Markup {
    let t = e.trial;
    let v = &t.verdict;
    let word = e.word();
    let title = row.info.map(|i| i.title.as_str()).unwrap_or_default();
    let class = v.class.map(|c| c.name()).unwrap_or_default();
    let search = format!(
        "{} {} {} {class} {}",
        t.name,
        t.family,
        title,
        clip(&v.summary, 300)
    );
    html! {
        details.trial.(status_class(&word)) id=(e.anchor()) open[!t.met]
            data-search=(search) data-statuses=(e.statuses()) {
            summary {
                span.mark.(status_class(&word)) { span.word { (word) } }
                " " span.name { (t.name) }
                @if !class.is_empty() { " " span.class { (class) } }
                " " span.duration { (t.duration_ms) "ms" }
            }
            div.trial-body {
                p.verdict {
                    "Must " strong { (t.expect) } "; was " strong { (v.outcome) } ". " (e.summary())
                }
                @if let Some(cmd) = replay_command(&v.summary) {
                    p.replay { "Replay the failing execution: " code.command { (cmd) } }
                }
                (checks(e))
                (timeline::render(t))
                (interleaving(e))
                (sequence::render(t))
                (processes::render(t))
                (output(e))
                (notes(e))
                @if !v.stderr_tail.trim().is_empty() {
                    h4 { "The worker's stderr (its end)" }
                    pre.tail { (v.stderr_tail) }
                }
                (events(e))
            }
        }
    }
}

fn checks(e: &Entry) -> Markup {
    let checks = &e.trial.verdict.checks;
    if checks.is_empty() {
        return html! { p.none { "No checks: the harness could not judge this trial (see the evidence)." } };
    }
    html! {
        h4 { "Checks: expected and observed" }
        table.checks {
            thead { tr { th { "check" } th { "level" } th { "" } th { "class" } th { "expected" } th { "observed" } } }
            tbody {
                @for c in checks {
                    tr.(if c.passed { "held" } else { "broke" }) {
                        td { (c.name) }
                        td { (c.level) }
                        td.verdict-cell { @if c.passed { "held" } @else { "BROKE" } }
                        td { @if let Some(class) = c.class { (class.name()) } }
                        td.value { (long(&c.expected)) }
                        td.value { (long(&c.observed)) }
                    }
                }
            }
        }
    }
}

/// Under a checker, the failing execution's calls in the order they happened, with the
/// shuttle schedule that replays it.
fn interleaving(e: &Entry) -> Markup {
    let events = &e.trial.verdict.evidence.events;
    let Some((explorer, schedule)) = events.iter().find_map(|ev| match &ev.kind {
        EventKind::Explored {
            explorer, schedule, ..
        } => Some((explorer, schedule)),
        _ => None,
    }) else {
        return html! {};
    };
    let steps: Vec<(u64, &str, String)> = events
        .iter()
        .filter_map(|ev| {
            let what = match &ev.kind {
                EventKind::Call { call, .. } => format!("calls {call}"),
                EventKind::Returned { value: Some(v), .. } => format!("returns {v:?}"),
                EventKind::Returned { value: None, .. } => "returns".to_owned(),
                EventKind::Failed { error, .. } => format!("fails: {error}"),
                _ => return None,
            };
            Some((ev.at_us, ev.actor.as_str(), what))
        })
        .collect();
    if steps.is_empty() && schedule.is_none() {
        return html! {};
    }
    html! {
        h4 { "The interleaving " (explorer) " found, step by step" }
        @if !steps.is_empty() {
            table.interleaving {
                thead { tr { th { "step" } th { "actor" } th { "" } } }
                tbody {
                    @for (at, actor, what) in &steps {
                        tr { td.num { (at) } td { (actor) } td.value { (clip(what, 300)) } }
                    }
                }
            }
        }
        @if let Some(s) = schedule {
            p { "shuttle schedule: " code.schedule { (s) } }
        }
    }
}

/// The last lines the program printed on each stream.
fn output(e: &Entry) -> Markup {
    let events = &e.trial.verdict.evidence.events;
    let stream = |name: &str| -> (usize, Vec<(u64, &str)>) {
        let lines: Vec<(u64, &str)> = events
            .iter()
            .filter_map(|ev| match &ev.kind {
                EventKind::Output { stream, text } if stream == name => {
                    Some((ev.at_us, text.as_str()))
                }
                _ => None,
            })
            .collect();
        let total = lines.len();
        let tail = lines[total.saturating_sub(OUTPUT_TAIL)..].to_vec();
        (total, tail)
    };
    html! {
        @for name in ["stdout", "stderr"] {
            @let (total, tail) = stream(name);
            @if total > 0 {
                h4 {
                    "The program's " (name)
                    @if total > tail.len() { " (its last " (tail.len()) " of " (total) " lines)" }
                }
                pre.tail {
                    @for (at, line) in &tail {
                        span.at { (format!("{:>9}", micros(*at))) } " " (long(line)) "\n"
                    }
                }
            }
        }
    }
}

fn notes(e: &Entry) -> Markup {
    let notes: Vec<&str> = e
        .trial
        .verdict
        .evidence
        .events
        .iter()
        .filter_map(|ev| match &ev.kind {
            EventKind::Note { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    html! {
        @if !notes.is_empty() {
            h4 { "Notes from the harness" }
            ul.notes { @for n in notes { li { (long(n)) } } }
        }
    }
}

/// Every event, folded: the raw evidence the pictures are drawn from.
fn events(e: &Entry) -> Markup {
    let events = &e.trial.verdict.evidence.events;
    if events.is_empty() {
        return html! {};
    }
    let logical = events
        .iter()
        .any(|ev| matches!(ev.kind, EventKind::Explored { .. }));
    html! {
        details.events {
            summary { "Every event (" (events.len()) ")" }
            table.event-list {
                thead { tr { th { @if logical { "step" } @else { "at" } } th { "actor" } th { "event" } } }
                tbody {
                    @for ev in events.iter().take(EVENT_ROWS) {
                        tr {
                            td.num { @if logical { (ev.at_us) } @else { (micros(ev.at_us)) } }
                            td { (ev.actor) }
                            td.value { (clip(&describe(&ev.kind), 300)) }
                        }
                    }
                }
            }
            @if events.len() > EVENT_ROWS {
                p.none { "… and " (events.len() - EVENT_ROWS) " more (all of them in results.json)." }
            }
        }
    }
}

/// One event in words.
fn describe(kind: &EventKind) -> String {
    match kind {
        EventKind::Call { at, call, .. } => format!("step {} calls {call}", at.step + 1),
        EventKind::Returned { value: Some(v), .. } => format!("returns {v:?}"),
        EventKind::Returned { value: None, .. } => "returns".into(),
        EventKind::Failed { error, .. } => format!("fails: {error}"),
        EventKind::Panicked { message, .. } => format!("panics: {message}"),
        EventKind::Abandoned { waited_us, .. } => {
            format!("given up on after {}", micros(*waited_us))
        }
        EventKind::Started { subject } => format!("started {subject}"),
        EventKind::Finished => "finished".into(),
        EventKind::Explored {
            explorer, checks, ..
        } => {
            let broke = checks.iter().filter(|c| !c.passed).count();
            format!("{explorer} explored: {broke} checks broke")
        }
        EventKind::Note { text } => format!("note: {text}"),
        EventKind::Holding { held, wants } => format!(
            "holds {} lock(s){}",
            held.len(),
            if wants.is_some() {
                ", waits for another"
            } else {
                ""
            }
        ),
        EventKind::LockOrder {
            locks,
            edges,
            cycles,
        } => format!(
            "lock order: {locks} locks, {edges} edges, {} cycles",
            cycles.len()
        ),
        EventKind::Captured { name, value } => format!("captured {{{name}}} = {value:?}"),
        EventKind::Output { stream, text } => format!("{stream}: {text}"),
        EventKind::Wire { sent, data, ended } => format!(
            "{} {data}{}",
            if *sent { "sent" } else { "received" },
            ended
                .as_deref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        ),
        EventKind::Reaped { pid, exit } => format!("pid {pid} reaped: {exit}"),
        EventKind::Process { pid, what, detail } if detail.is_empty() => {
            format!("pid {pid} {what}")
        }
        EventKind::Process { pid, what, detail } => format!("pid {pid} {what}: {detail}"),
        EventKind::StepDone {
            step,
            what,
            ok,
            expected,
            observed,
            ..
        } => format!(
            "step {step} {what} {}: expected {expected}, observed {observed}",
            if *ok { "held" } else { "broke" }
        ),
    }
}
