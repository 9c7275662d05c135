//! The HTML report: one self-contained page (inline CSS and plain JS, nothing fetched) for
//! one run, or for several runs side by side. This file lays the page out; each part is
//! rendered by its own module. maud escapes every text it is given, so nothing a subject
//! printed can become markup.

mod claims;
mod matrix;
mod processes;
mod sequence;
mod summary;
mod svg;
mod timeline;
mod trial;
mod view;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::RunReport;
use crate::catalogue::Catalogue;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// The outcomes the filter offers, as `(value, label)`.
const OUTCOMES: &[(&str, &str)] = &[
    ("", "every outcome"),
    ("unmet", "not as they must"),
    ("fail", "FAIL"),
    ("error", "ERROR"),
    ("missed", "MISSED"),
    ("caught", "CAUGHT"),
    ("pass", "PASS"),
    ("non-strict", "NON-STRICT"),
    ("info", "INFO"),
    ("skip", "SKIP"),
];

/// The page for `runs` (at least one), with the claims of `catalogue`.
pub fn render(runs: &[RunReport], catalogue: &Catalogue) -> String {
    let page = view::Page::new(runs);
    let title = match runs {
        [one] => format!(
            "conform report: {} trials, {}",
            one.trials.len(),
            one.started_at
        ),
        _ => format!("conform report: {} runs", runs.len()),
    };
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                // The arrowhead every message sequence uses, defined once: an id per
                // picture would repeat.
                svg.defs width="0" height="0" aria-hidden="true" {
                    defs {
                        marker #arrow viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" {
                            path d="M 0 0 L 10 5 L 0 10 z" {}
                        }
                    }
                }
                (toolbar())
                main {
                    (summary::render(&page))
                    (matrix::render(&page))
                    (claims::render(&page, catalogue))
                    (trial::render_all(&page, catalogue))
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    view::spell_out_forbidden(markup.into_string())
}

fn toolbar() -> Markup {
    html! {
        header.toolbar {
            strong { "conform" }
            nav {
                a href="#summary" { "Summary" }
                a href="#matrix" { "Matrix" }
                a href="#claims" { "Claims" }
                a href="#trials" { "Trials" }
            }
            label.filter {
                "Filter "
                input #q type="search" placeholder="scenario, subject, class, text…" autocomplete="off";
            }
            label.filter {
                "Outcome "
                select #outcome {
                    @for (value, label) in OUTCOMES {
                        option value=(value) { (label) }
                    }
                }
            }
            span #shown {}
        }
    }
}

#[cfg(test)]
mod tests;
