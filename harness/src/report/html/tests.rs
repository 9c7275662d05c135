//! The page from hand-made results: valid HTML whatever the subject printed, and every part
//! where a reader looks for it. (harness/tests/browser.rs opens a real run's page in
//! Chromium.)

use scraper::{Html, Selector};

use super::render;
use crate::catalogue::Catalogue;
use crate::report::RunReport;

/// A run with a passing library trial, a caught mutant under shuttle, and a failing
/// program trial whose output, messages and notes try to inject markup.
fn report() -> RunReport {
    let hostile = "</pre><script>alert(1)</script><img src=x onerror=alert(2)> \u{1b}[31mred\u{0}";
    let library = serde_json::json!({
        "name": "sync/queue.fifo::ref::threads", "scenario": "queue.fifo", "family": "sync",
        "subject": "ref", "explorer": "threads", "expect": { "must": "pass" }, "met": true,
        "duration_ms": 7,
        "verdict": { "outcome": "pass", "summary": "1 checks held",
            "checks": [ { "name": "main step 1 get: result", "level": "MUST", "passed": true,
                          "expected": "value \"a\"", "observed": "value \"a\"" } ],
            "evidence": { "events": [
                { "at_us": 0, "actor": "harness", "kind": "started", "subject": "ref" },
                { "at_us": 10, "actor": "main", "kind": "call", "at": { "step": 0, "round": 0 }, "call": "get()" },
                { "at_us": 200, "actor": "main", "kind": "returned", "at": { "step": 0, "round": 0 }, "value": "a" },
                { "at_us": 300, "actor": "harness", "kind": "finished" }
            ] } }
    });
    let checker_events = serde_json::json!([
        { "at_us": 1, "actor": "p", "kind": "call", "at": { "step": 0, "round": 0 }, "call": "put(\"a\")", "arg": "a" },
        { "at_us": 2, "actor": "c", "kind": "call", "at": { "step": 0, "round": 0 }, "call": "get()" },
        { "at_us": 3, "actor": "p", "kind": "returned", "at": { "step": 0, "round": 0 }, "value": null },
        { "at_us": 4, "actor": "c", "kind": "failed", "at": { "step": 0, "round": 0 }, "error": "empty" },
        { "at_us": 0, "actor": "harness", "kind": "explored", "explorer": "shuttle",
          "checks": [], "schedule": "91a2" }
    ]);
    let checker = serde_json::json!({
        "name": "sync/queue.fifo::mutant:queue-racy-put::shuttle", "scenario": "queue.fifo",
        "family": "sync", "subject": "mutant:queue-racy-put", "explorer": "shuttle",
        "expect": { "must": "caught", "class": "lost-item" }, "met": true, "duration_ms": 70,
        "verdict": { "outcome": "fail", "class": "lost-item",
            "summary": "shuttle: c step 1 get: result: expected value \"a\", observed error empty (replay: conform run scenarios/sync/queue-fifo.yaml --subject mutant:queue-racy-put --filter '::shuttle' --schedule 91a2)",
            "checks": [ { "name": "shuttle: c step 1 get: result", "level": "MUST", "passed": false,
                          "class": "lost-item", "expected": "value \"a\"", "observed": "error empty" } ],
            "evidence": { "events": checker_events } }
    });
    let program_events = serde_json::json!([
        { "at_us": 0, "actor": "harness", "kind": "started", "subject": "python3 x.py" },
        { "at_us": 5, "actor": "harness", "kind": "note", "text": hostile },
        { "at_us": 10, "actor": "observer", "kind": "process", "pid": 41, "what": "born", "detail": "python3 (parent 1)" },
        { "at_us": 20, "actor": "a", "kind": "wire", "sent": true, "data": "\"<hi>\\n\"" },
        { "at_us": 30, "actor": "a", "kind": "wire", "sent": false, "data": hostile, "ended": "then nothing more" },
        { "at_us": 40, "actor": "program", "kind": "output", "stream": "stdout", "text": hostile },
        { "at_us": 50, "actor": "observer", "kind": "process", "pid": 42, "what": "zombie", "detail": "python3: exited" },
        { "at_us": 60, "actor": "harness", "kind": "reaped", "pid": 42, "exit": "exit status 0" }
    ]);
    let tree = serde_json::json!([
        { "pid": 41, "ppid": 1, "state": "S", "threads": 1, "cpu_ticks": 0, "comm": "python3", "fds": 4 },
        { "pid": 42, "ppid": 41, "state": "R", "threads": 1, "cpu_ticks": 0, "comm": "<x>", "fds": 4 }
    ]);
    let program = serde_json::json!({
        "name": "servers/servers.echo::target", "scenario": "servers.echo", "family": "servers",
        "subject": "target", "explorer": "threads", "expect": { "must": "pass" }, "met": false,
        "duration_ms": 900,
        "verdict": { "outcome": "fail", "class": "wrong-reply", "summary": hostile,
            "checks": [ { "name": "step 2 recv on a", "level": "MUST", "passed": false, "class": "wrong-reply",
                          "expected": "\"<hi>\"", "observed": hostile } ],
            "evidence": {
                "events": program_events,
                "observations": [ { "at_us": 15, "what": "tree", "value": tree } ]
            },
            "stderr_tail": hostile }
    });
    let scenarios = serde_json::json!([
        { "id": "queue.fifo", "family": "sync", "file": "scenarios/sync/queue-fifo.yaml",
          "title": "FIFO order", "claims": ["queue.fifo"] },
        { "id": "servers.echo", "family": "servers", "file": "s.yaml",
          "title": "echo <everything>", "claims": ["bits.ops"] }
    ]);
    serde_json::from_value(serde_json::json!({
        "format_version": 1,
        "conform_version": "0.1.0",
        "started_at": "2026-11-27T10:18:11Z",
        "duration_ms": 1234,
        "machine": { "hostname": "vm<b>", "cores": 2, "os": "Linux" },
        "command": ["conform", "run", "--target", "python3 'x.py'"],
        "vars": { "reply": "<OK>" },
        "counts": { "pass": 1, "fail": 2 },
        "references": { "met": 1, "total": 2 },
        "mutants": { "met": 1, "total": 1 },
        "ok": false,
        "scenarios": scenarios,
        "trials": [library, checker, program]
    }))
    .expect("the hand-made report reads")
}

fn page() -> (String, Html) {
    let text = render(&[report()], &Catalogue::builtin());
    let doc = Html::parse_document(&text);
    (text, doc)
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn the_page_parses_without_errors() {
    let (_, doc) = page();
    assert!(doc.errors.is_empty(), "parse errors: {:?}", doc.errors);
}

#[test]
fn what_a_subject_printed_stays_text() {
    let (text, doc) = page();
    assert!(!text.contains("<script>alert"), "a script got through");
    assert!(!text.contains("<img"), "an element got through");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{0}'));
    assert_eq!(
        select(&doc, "script").len(),
        1,
        "only the report's own script"
    );
    assert!(select(&doc, "img").is_empty());
    assert!(
        text.contains("\\u{1b}[31mred"),
        "control characters are spelled out"
    );
}

#[test]
fn the_matrix_has_a_row_per_scenario_and_a_mark_per_trial() {
    let (_, doc) = page();
    assert_eq!(select(&doc, "table.matrix tr.row").len(), 2);
    let marks = select(&doc, "table.matrix a.mark");
    assert_eq!(marks.len(), 3);
    // Each mark leads to its trial's section, which exists.
    for m in marks {
        let href = m.value().attr("href").unwrap();
        assert_eq!(
            select(&doc, &format!("details.trial[id='{}']", &href[1..])).len(),
            1,
            "{href}"
        );
    }
    let heads: Vec<String> = select(&doc, "table.matrix thead th")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(heads, ["scenario", "references", "mutants"]);
    assert_eq!(select(&doc, "tbody.family").len(), 2, "sync and servers");
}

#[test]
fn a_failing_trial_is_open_with_its_evidence() {
    let (_, doc) = page();
    let open = select(&doc, "details.trial[open]");
    assert_eq!(
        open.len(),
        1,
        "only the trial that did not show what it must"
    );
    let failing = open[0];
    let within = |css: &str| failing.select(&Selector::parse(css).unwrap()).count();
    assert_eq!(within("table.checks tr.broke"), 1);
    assert_eq!(within("svg.sequence .msg"), 2, "one arrow per message");
    assert_eq!(
        within("svg.processes g.proc"),
        2,
        "a lane per process: parent and child"
    );
    assert!(within("pre.tail") >= 2, "stdout and the worker's stderr");
}

#[test]
fn a_checker_failure_shows_its_interleaving_schedule_and_replay() {
    let (_, doc) = page();
    let trial = select(&doc, "details.trial.s-caught")[0];
    let text: String = trial.text().collect();
    assert!(text.contains("conform run scenarios/sync/queue-fifo.yaml --subject mutant:queue-racy-put --filter '::shuttle' --schedule 91a2"));
    assert!(text.contains("91a2"));
    let within = |css: &str| trial.select(&Selector::parse(css).unwrap()).count();
    assert_eq!(within("table.interleaving tbody tr"), 4);
    assert_eq!(within("svg.timeline rect"), 2, "a bar per call");
    assert_eq!(within("svg.timeline rect.broken"), 1, "c's get broke");
}

#[test]
fn every_claim_is_listed_with_its_course_words_and_errata() {
    let (_, doc) = page();
    let catalogue = Catalogue::builtin();
    assert_eq!(select(&doc, "div.claim").len(), catalogue.claims.len());
    let fifo = select(&doc, "div.claim[id='c-queue.fifo']")[0];
    let text: String = fifo.text().collect();
    assert!(text.contains(&catalogue.get("queue.fifo").unwrap().course));
    assert!(
        text.contains("mutant:queue-lifo"),
        "the registry's mutants that prove it: {text}"
    );
    assert_eq!(
        select(&doc, "table.errata tr").len(),
        catalogue.errata.len() + 1
    );
    assert!(!select(&doc, "div.claim[id='c-bits.ops'] p.erratum").is_empty());
}

#[test]
fn the_summary_gives_counts_score_and_where_it_ran() {
    let (_, doc) = page();
    let summary: String = select(&doc, "#summary")[0].text().collect();
    for want in [
        "1 of 3 trials did not show what they must",
        "mutation score",
        "vm<b>",
        "2 cores",
        "python3 'x.py'",
        "reply=<OK>",
    ] {
        assert!(summary.contains(want), "{want} in {summary}");
    }
}
