//! The actors' timeline: a lane per actor of a library trial, a bar per call from the call
//! to its return (in real time on threads, in logical steps under a checker). A call that
//! never returned runs to the end of the picture; a step whose check broke is outlined.

use maud::{html, Markup};

use super::svg::{fits, fmt, Scale, CHAR, LABELS, WIDTH};
use super::view::{clip, micros};
use crate::evidence::{EventKind, StepAt};
use crate::run::TrialResult;

const LANE: f64 = 46.0;
const TOP: f64 = 22.0;
/// Calls drawn; a soak's thousands more are in results.json.
const MAX: usize = 2000;

#[derive(Clone, Copy, PartialEq)]
enum End {
    Returned,
    Failed,
    Panicked,
    /// Given up on at its deadline.
    Abandoned,
    /// Nothing came back before the evidence ends.
    Open,
}

struct Span<'a> {
    actor: &'a str,
    at: StepAt,
    start: u64,
    end: Option<u64>,
    call: &'a str,
    result: String,
    how: End,
}

pub fn render(t: &TrialResult) -> Markup {
    let events = &t.verdict.evidence.events;
    let mut spans: Vec<Span> = Vec::new();
    for e in events {
        let close = |how: End, result: String, spans: &mut Vec<Span>| {
            let at = e.kind.step();
            if let Some(s) = spans
                .iter_mut()
                .rev()
                .find(|s| s.actor == e.actor && Some(s.at) == at && s.how == End::Open)
            {
                s.end = Some(e.at_us);
                s.how = how;
                s.result = result;
            }
        };
        match &e.kind {
            EventKind::Call { at, call, .. } => spans.push(Span {
                actor: &e.actor,
                at: *at,
                start: e.at_us,
                end: None,
                call,
                result: String::new(),
                how: End::Open,
            }),
            EventKind::Returned { value, .. } => close(
                End::Returned,
                value.as_ref().map(|v| format!("{v:?}")).unwrap_or_default(),
                &mut spans,
            ),
            EventKind::Failed { error, .. } => close(End::Failed, error.clone(), &mut spans),
            EventKind::Panicked { message, .. } => {
                close(End::Panicked, format!("panicked: {message}"), &mut spans)
            }
            EventKind::Abandoned { waited_us, .. } => close(
                End::Abandoned,
                format!("given up on after {}", micros(*waited_us)),
                &mut spans,
            ),
            _ => {}
        }
    }
    if spans.is_empty() {
        return html! {};
    }
    let total = spans.len();
    spans.truncate(MAX);
    let logical = events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Explored { .. }));
    let last = events
        .iter()
        .filter(|e| e.actor != "harness" || matches!(e.kind, EventKind::Finished))
        .map(|e| e.at_us)
        .max()
        .unwrap_or(0);
    let first = if logical {
        spans.iter().map(|s| s.start).min().unwrap_or(0)
    } else {
        0
    };
    // Under a checker the last step still needs room for its bar.
    let scale = Scale::new(first, if logical { last + 1 } else { last }, logical);
    let mut actors: Vec<&str> = Vec::new();
    for s in &spans {
        if !actors.contains(&s.actor) {
            actors.push(s.actor);
        }
    }
    let broken = broken_steps(t);
    let height = TOP + LANE * actors.len() as f64 + 6.0;
    html! {
        h4 {
            "What each actor did, "
            @if logical { "in the failing execution's logical steps" } @else { "in time" }
        }
        svg.timeline viewBox={ "0 0 " (WIDTH) " " (fmt(height)) } role="img"
            aria-label="a timeline per actor: each call from its start to its return" {
            (scale.ticks(TOP, height - 4.0))
            @for (i, actor) in actors.iter().enumerate() {
                @let y = TOP + LANE * i as f64;
                g.lane {
                    line.lane-line x1=(fmt(LABELS)) x2=(WIDTH) y1=(fmt(y + 23.0)) y2=(fmt(y + 23.0)) {}
                    text.actor x="6" y=(fmt(y + 27.0)) { (clip(actor, 22)) }
                    (lane(&scale, &spans, actor, y, &broken))
                }
            }
        }
        @if total > MAX {
            p.none { "The first " (MAX) " of " (total) " calls; all of them are in results.json." }
        }
        p.legend {
            span.key.k-returned {} "returned "
            span.key.k-failed {} "failed with a contract error "
            span.key.k-open {} "never returned, or given up on "
            span.key.k-broken {} "a step whose check broke"
        }
    }
}

/// A call as drawn: its bar, its tooltip, and its label with where it goes, if anywhere.
struct Bar {
    x0: f64,
    x1: f64,
    class: String,
    tip: String,
    label: Option<(String, f64)>,
}

/// One actor's calls; a label takes the row above the bar, or the row below when the one
/// above is taken, or else only the tooltip.
fn lane(scale: &Scale, spans: &[Span], actor: &str, y: f64, broken: &[(String, usize)]) -> Markup {
    let mut free = [0.0f64; 2];
    let mut bars = Vec::new();
    for s in spans.iter().filter(|s| s.actor == actor) {
        let x0 = scale.x(s.start);
        let x1 = scale.x(s.end.unwrap_or(scale.to)).max(x0 + 3.0);
        let mut class = match s.how {
            End::Returned => "k-returned",
            End::Failed => "k-failed",
            End::Panicked | End::Abandoned | End::Open => "k-open",
        }
        .to_owned();
        if broken
            .iter()
            .any(|(a, step)| a == actor && *step == s.at.step)
        {
            class.push_str(" broken");
        }
        let text = if s.result.is_empty() {
            s.call.to_owned()
        } else {
            format!("{} → {}", s.call, s.result)
        };
        let round = if s.at.round > 0 {
            format!(" (round {})", s.at.round + 1)
        } else {
            String::new()
        };
        let tip = format!(
            "{actor} step {}{round}: {}; from {} to {}",
            s.at.step + 1,
            clip(&text, 300),
            scale.label(s.start),
            s.end
                .map_or_else(|| "the end".to_owned(), |e| scale.label(e)),
        );
        let label = free.iter().position(|f| *f <= x0).map(|row| {
            let shown = clip(&text, fits(WIDTH - x0).min(48));
            free[row] = x0 + shown.chars().count() as f64 * CHAR + 8.0;
            (shown, if row == 0 { y + 12.0 } else { y + 42.0 })
        });
        bars.push(Bar {
            x0,
            x1,
            class,
            tip,
            label,
        });
    }
    html! {
        @for b in &bars {
            rect class=(b.class) x=(fmt(b.x0)) y=(fmt(y + 16.0)) width=(fmt(b.x1 - b.x0)) height="14" rx="2" {
                title { (b.tip) }
            }
            @if let Some((text, ty)) = &b.label {
                text.call x=(fmt(b.x0)) y=(fmt(*ty)) { (text) }
            }
        }
    }
}

/// The (actor, step index) of every broken check named `ACTOR step N ...` (under a checker
/// `EXPLORER: ACTOR step N ...`).
fn broken_steps(t: &TrialResult) -> Vec<(String, usize)> {
    t.verdict
        .checks
        .iter()
        .filter(|c| !c.passed)
        .filter_map(|c| {
            let name = c
                .name
                .split_once(": ")
                .map_or(c.name.as_str(), |(head, rest)| {
                    if ["loom", "shuttle"].contains(&head) {
                        rest
                    } else {
                        c.name.as_str()
                    }
                });
            let (actor, rest) = name.split_once(" step ")?;
            let n: usize = rest.split(' ').next()?.parse().ok()?;
            Some((actor.to_owned(), n.checked_sub(1)?))
        })
        .collect()
}
