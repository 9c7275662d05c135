//! The summary: whether each run showed what it must, its counts by outcome, the mutation
//! score, where and how it ran, and a link to every trial that did not show what it must.

use maud::{html, Markup};

use super::super::{RunReport, Tally};
use super::view::{run_label, status_class, Page};

pub fn render(page: &Page) -> Markup {
    html! {
        section #summary {
            h1 { "Conformance report" }
            @for (r, run) in page.runs.iter().enumerate() {
                (one_run(page, r, run))
            }
        }
    }
}

fn one_run(page: &Page, r: usize, run: &RunReport) -> Markup {
    let unmet: Vec<_> = page
        .entries
        .iter()
        .filter(|e| e.run == r && !e.trial.met)
        .collect();
    let command = shlex::try_join(run.command.iter().map(String::as_str))
        .unwrap_or_else(|_| run.command.join(" "));
    html! {
        div.run {
            @if page.runs.len() > 1 {
                h2 { (run_label(run, r)) }
            }
            @if run.ok {
                p.banner.ok { "Every trial showed what it must (" (run.trials.len()) " trials)." }
            } @else {
                p.banner.bad {
                    (unmet.len()) " of " (run.trials.len())
                    " trials did not show what they must."
                }
            }
            div.cards {
                @for (outcome, n) in &run.counts {
                    // By outcome only: a caught mutant's `fail` is good, so these cards
                    // are not red or green, only marked with the outcome's colour.
                    div.card.outcome.(status_class(card_word(outcome))) {
                        span.n { (n) } span.what { (outcome) }
                    }
                }
                (tally("references and programs as they must", &run.references))
                (tally("mutation score: mutants caught", &run.mutants))
            }
            table.meta {
                tr { th { "started" } td { (run.started_at) } }
                tr { th { "took" } td { (format!("{:.1}s", run.duration_ms as f64 / 1e3)) } }
                tr { th { "conform" } td { (run.conform_version) " (results format " (run.format_version) ")" } }
                tr { th { "machine" } td { (run.machine.hostname) ", " (run.machine.cores) " cores, " (run.machine.os) } }
                tr { th { "command" } td { code { (command) } } }
                @if !run.vars.is_empty() {
                    tr { th { "variables" } td {
                        @for (k, v) in &run.vars { code { (k) "=" (v) } " " }
                    } }
                }
            }
            @if !unmet.is_empty() {
                h3 { "What went wrong" }
                ul.digest {
                    @for e in &unmet {
                        li {
                            a.chip.(status_class(&e.word())) href={ "#" (e.anchor()) } { (e.word()) }
                            " "
                            a href={ "#" (e.anchor()) } { (e.trial.name) }
                            " "
                            span.summary-line { (e.summary()) }
                        }
                    }
                }
            }
        }
    }
}

/// The card colour of an outcome name as `counts` has it.
fn card_word(outcome: &str) -> &str {
    match outcome {
        "informational" => "info",
        "skipped" => "skip",
        other => other,
    }
}

fn tally(what: &str, t: &Tally) -> Markup {
    if t.total == 0 {
        return html! {};
    }
    let good = t.met == t.total;
    html! {
        div.card.(if good { "s-pass" } else { "s-fail" }) {
            span.n { (t.met) " / " (t.total) }
            span.what { (what) " (" (format!("{:.0}%", 100.0 * t.met as f64 / t.total as f64)) ")" }
        }
    }
}
