//! The matrix, as Autobahn's: a row per scenario (grouped by family), a column per subject,
//! and in each cell every trial of that pair (one per explorer) as its status word and
//! failure class, coloured, linking to the trial's section.

use maud::{html, Markup};

use super::view::{clip, status_class, statuses, Entry, Page, Row};

pub fn render(page: &Page) -> Markup {
    let width = page.columns.len() + 1;
    html! {
        section #matrix {
            h2 { "Matrix" }
            p.hint {
                "A cell is a scenario run against a subject; one mark per explorer. "
                "Green: as it must (a reference passed, a mutant was caught). Red: not. "
                "Click a mark for the trial's checks and evidence."
            }
            div.matrix-wrap {
                table.matrix {
                    thead {
                        tr {
                            th.corner { "scenario" }
                            @for c in &page.columns {
                                th title=(c.about) { (c.label) }
                            }
                        }
                    }
                    @for (family, rows) in page.families() {
                        tbody.family data-family=(family) {
                            tr.family-row { th colspan=(width) { (family) } }
                            @for row in rows {
                                (one_row(page, row))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn one_row(page: &Page, row: &Row) -> Markup {
    let entries: Vec<&Entry> = page.of_scenario(&row.id).collect();
    let title = row.info.map(|i| i.title.as_str()).unwrap_or_default();
    let mut search = format!("{} {} {}", row.family, row.id, title);
    for e in &entries {
        search.push(' ');
        search.push_str(&e.trial.name);
        if let Some(c) = e.trial.verdict.class {
            search.push(' ');
            search.push_str(c.name());
        }
    }
    if let Some(info) = row.info {
        for c in &info.claims {
            search.push(' ');
            search.push_str(c);
        }
    }
    html! {
        tr.row data-search=(search) data-statuses=(statuses(entries.iter().copied())) {
            th.scenario {
                a href={ "#s-" (row.id) } { (row.id) }
                @if !title.is_empty() { div.title { (title) } }
            }
            @for (c, column) in page.columns.iter().enumerate() {
                td {
                    @for e in entries.iter().filter(|e| e.column == c) {
                        (mark(e, column.grouped, entries.iter().filter(|o| o.column == c && o.trial.subject == e.trial.subject).count() > 1))
                    }
                }
            }
        }
    }
}

/// One trial in a cell. In a column of several subjects a mark names its subject (but the
/// library reference, `ref`); a subject with several trials in the cell names each one's
/// explorer.
fn mark(e: &Entry, grouped: bool, several: bool) -> Markup {
    let t = e.trial;
    let word = e.word();
    let tip = format!("{}: {}", t.name, clip(&t.verdict.summary, 300));
    html! {
        a.mark.(status_class(&word)) href={ "#" (e.anchor()) } title=(tip) {
            @if grouped && t.subject != "ref" {
                span.who { (t.subject.trim_start_matches("mutant:")) }
            }
            span.word { (word) }
            @if let Some(c) = t.verdict.class { span.class { (c.name()) } }
            @if several || t.explorer != "threads" { span.explorer { (t.explorer) } }
        }
    }
}
