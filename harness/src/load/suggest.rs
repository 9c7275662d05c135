//! "Did you mean ...?": the nearest valid name to a wrong one.

/// The candidate closest to `found`, if it is close enough to be a likely typo.
pub fn nearest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (found.chars().count() / 3).max(2);
    // A name that differs only in case is the likeliest (`b` for `B`).
    candidates
        .into_iter()
        .map(|c| {
            let d = strsim::damerau_levenshtein(found, c);
            (d, !c.eq_ignore_ascii_case(found), c)
        })
        .filter(|(d, other_case, _)| *d <= limit || !*other_case)
        .min_by_key(|(d, other_case, _)| (*other_case, *d))
        .map(|(_, _, c)| c)
}

/// A help line: the nearest name if there is one, then every valid name.
pub fn help(found: &str, expected: &[String]) -> String {
    let list = expected
        .iter()
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let near = nearest(found, expected.iter().map(String::as_str));
    match (near, expected.is_empty()) {
        (Some(n), _) => format!("did you mean `{n}`? expected one of {list}"),
        (None, false) => format!("expected one of {list}"),
        (None, true) => "no keys are allowed here".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("acotrs", Some("actors"))]
    #[case("gett", Some("get"))]
    #[case("xyzzy", None)]
    #[case("notbefore", Some("not_before"))]
    #[case("GET", Some("get"))]
    fn finds_the_nearest(#[case] found: &str, #[case] want: Option<&str>) {
        let names = ["actors", "get", "put", "not_before", "assert"];
        assert_eq!(nearest(found, names), want);
    }
}
