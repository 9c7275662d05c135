//! The claims page: every claim of the catalogue, by section, in the course's words and in
//! English, with the scenarios of this report that check it, their results, the mutants
//! that prove those scenarios can fail (from the registry), or why the claim is
//! informational or not observable; then the course's errata with their corrections.

use std::collections::BTreeSet;

use maud::{html, Markup};

use super::view::{status_class, statuses, Entry, Page, Row};
use crate::catalogue::{Catalogue, Claim, Status};

pub fn render(page: &Page, catalogue: &Catalogue) -> Markup {
    html! {
        section #claims {
            h2 { "Claims" }
            p.hint {
                "Every claim of the course. A checkable claim is covered when a scenario of this "
                "report checks it, and proven when a mutant of the registry must fail that scenario."
            }
            @for section in &catalogue.sections {
                div.claim-section {
                    h3 { (section.title) }
                    @for claim in catalogue.claims.iter().filter(|c| c.section == section.id) {
                        (one_claim(page, catalogue, claim))
                    }
                }
            }
            h3 #errata { "Errata: where the course text is wrong" }
            table.errata {
                tr { th { "claim" } th { "the course says" } th { "correct" } }
                @for e in &catalogue.errata {
                    tr {
                        td { a href={ "#c-" (e.claim) } { (e.claim) } }
                        td lang="zh" { (e.course) }
                        td { (e.correction) }
                    }
                }
            }
        }
    }
}

fn one_claim(page: &Page, catalogue: &Catalogue, claim: &Claim) -> Markup {
    let rows: Vec<&Row> = page
        .rows
        .iter()
        .filter(|r| r.info.is_some_and(|i| i.claims.contains(&claim.id)))
        .collect();
    let entries: Vec<&Entry> = rows.iter().flat_map(|r| page.of_scenario(&r.id)).collect();
    let provers = provers(&rows);
    let (state, class) = match claim.status {
        Status::Checkable if rows.is_empty() => ("no scenario in this report", "s-skip"),
        Status::Checkable if provers.is_empty() => ("covered, unproven", "s-non-strict"),
        Status::Checkable => ("covered and proven", "s-pass"),
        Status::Informational => ("informational", "s-info"),
        Status::NotObservable => ("not observable", "s-skip"),
    };
    let errata: Vec<_> = catalogue
        .errata
        .iter()
        .filter(|e| e.claim == claim.id)
        .collect();
    let search = format!(
        "{} {} {} {}",
        claim.id,
        claim.text,
        claim.course,
        rows.iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    );
    html! {
        div.claim id={ "c-" (claim.id) } data-search=(search) data-statuses=(statuses(entries.iter().copied())) {
            div.claim-head {
                code { (claim.id) }
                span.badge.(class) { (state) }
            }
            p.course lang="zh" { (claim.course) }
            p.english { (claim.text) }
            @if let Some(why) = &claim.why { p.why { (why) } }
            @for e in &errata {
                p.erratum {
                    strong { "Erratum: " } "the course says " q lang="zh" { (e.course) } "; "
                    (e.correction)
                }
            }
            @if !rows.is_empty() {
                ul.claim-scenarios {
                    @for row in &rows {
                        li {
                            a href={ "#s-" (row.id) } { (row.id) }
                            @if let Some(i) = row.info { " " span.title { (i.title) } }
                            " "
                            @for e in page.of_scenario(&row.id) {
                                a.mark.(status_class(&e.word())) href={ "#" (e.anchor()) } title=(e.trial.name) {
                                    span.who { (e.trial.subject) }
                                    span.word { (e.word()) }
                                    @if e.trial.explorer != "threads" { span.explorer { (e.trial.explorer) } }
                                }
                            }
                        }
                    }
                }
            }
            @if !provers.is_empty() {
                p.provers {
                    "Proven by catching: "
                    @for (i, p) in provers.iter().enumerate() {
                        @if i > 0 { ", " }
                        code { (p) }
                    }
                }
            }
        }
    }
}

/// The subjects that the registry says one of `rows` must catch (as `conform claims` lists
/// them): mutants, and server references of a model the scenario does not promise.
fn provers(rows: &[&Row]) -> BTreeSet<&'static str> {
    use conform_impls::registry::{program_subjects, subjects};
    let catches = |scenario: &str| rows.iter().any(|r| r.id == scenario);
    let library = subjects()
        .iter()
        .filter(|s| s.caught_by.iter().any(|c| catches(c.scenario)))
        .map(|s| s.name);
    let programs = program_subjects()
        .iter()
        .filter(|p| p.caught_by.iter().any(|c| catches(c.scenario)))
        .map(|p| p.name);
    library.chain(programs).collect()
}
