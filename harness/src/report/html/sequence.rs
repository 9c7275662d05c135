//! The message sequence of a program trial: a lifeline per client (and `stdin`) and one for
//! the program, an arrow per `wire` event in the order they happened, labelled with the
//! bytes (quoted) and how a read ended.

use maud::{html, Markup};

use super::svg::{fits, fmt, WIDTH};
use super::view::{clip, micros};
use crate::evidence::EventKind;
use crate::run::TrialResult;

const ROW: f64 = 28.0;
const TOP: f64 = 34.0;
const TIMES: f64 = 70.0;
/// Messages drawn; the rest are in the event table.
const MAX: usize = 150;

pub fn render(t: &TrialResult) -> Markup {
    let wire: Vec<(u64, &str, bool, &str, Option<&str>)> = t
        .verdict
        .evidence
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Wire { sent, data, ended } => Some((
                e.at_us,
                e.actor.as_str(),
                *sent,
                data.as_str(),
                ended.as_deref(),
            )),
            _ => None,
        })
        .collect();
    if wire.is_empty() {
        return html! {};
    }
    let mut peers: Vec<&str> = Vec::new();
    for (_, actor, ..) in &wire {
        if !peers.contains(actor) {
            peers.push(actor);
        }
    }
    let program_x = WIDTH - 60.0;
    let gap = (program_x - TIMES - 60.0) / peers.len() as f64;
    let x_of = |actor: &str| {
        let i = peers.iter().position(|p| *p == actor).unwrap_or(0);
        TIMES + 40.0 + gap * i as f64
    };
    let shown = &wire[..wire.len().min(MAX)];
    let height = TOP + ROW * shown.len() as f64 + 12.0;
    html! {
        h4 { "Messages between the clients and the program" }
        svg.sequence viewBox={ "0 0 " (WIDTH) " " (fmt(height)) } role="img"
            aria-label="the message sequence between the clients and the program" {
            @for p in &peers {
                text.peer x=(fmt(x_of(p))) y="14" text-anchor="middle" { (clip(p, 20)) }
                line.lifeline x1=(fmt(x_of(p))) x2=(fmt(x_of(p))) y1="20" y2=(fmt(height)) {}
            }
            text.peer x=(fmt(program_x)) y="14" text-anchor="middle" { "program" }
            line.lifeline x1=(fmt(program_x)) x2=(fmt(program_x)) y1="20" y2=(fmt(height)) {}
            @for (i, (at, actor, sent, data, ended)) in shown.iter().enumerate() {
                @let y = TOP + ROW * i as f64 + 12.0;
                @let (from, to) = if *sent { (x_of(actor), program_x) } else { (program_x, x_of(actor)) };
                @let label = match ended { Some(e) => format!("{data} ({e})"), None => (*data).to_owned() };
                @let tip = format!("{} {actor} {} {}", micros(*at), if *sent { "sent" } else { "received" }, clip(&label, 300));
                g.(if *sent { "msg sent" } else { "msg received" }) {
                    title { (tip) }
                    text.at x="4" y=(fmt(y + 4.0)) { (micros(*at)) }
                    line x1=(fmt(from)) x2=(fmt(to)) y1=(fmt(y)) y2=(fmt(y)) marker-end="url(#arrow)" {}
                    text.data x=(fmt(from.min(to) + 6.0)) y=(fmt(y - 4.0)) { (clip(&label, fits((to - from).abs() - 12.0).max(12))) }
                }
            }
        }
        @if wire.len() > MAX {
            p.none { "… and " (wire.len() - MAX) " more messages (in the event table below)." }
        }
    }
}
