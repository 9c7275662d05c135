//! Variables: `{name}` in any string of a scenario. A scenario's `vars` give defaults,
//! `--var name=value` overrides them; a few names are filled in at run time.

use std::collections::BTreeMap;

/// Names filled in at run time, not by `vars`: the round of a `repeat`, the actor's name, and
/// (program subjects) the port, the working directory, the host, `{ref:NAME}`.
pub const RUNTIME: &[&str] = &["i", "actor", "port", "dir", "host", "cpus"];

/// `{cpus}`: what os.cpu_count() and Pool() count, the CPUs online.
pub fn cpus() -> String {
    nix::unistd::sysconf(nix::unistd::SysconfVar::_NPROCESSORS_ONLN)
        .ok()
        .flatten()
        .map_or_else(|| "1".into(), |n| n.to_string())
}

/// Whether `name` is filled in at run time.
pub fn is_runtime(name: &str) -> bool {
    RUNTIME.contains(&name) || name.starts_with("ref:")
}

/// The `{name}` placeholders of `text`, with their byte offsets; `{{` and `}}` are literal
/// braces and anything that is not a name (`{2,3}` in a regex) is left alone, as is a
/// regex escape's braces (`\p{Han}`, `\x{FF}`, `\u{e9}`, `\b{start}`).
pub fn placeholders(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' && bytes.get(i + 1) == Some(&b'{') {
            i += 2;
            continue;
        }
        let escape = i >= 2 && bytes[i - 2] == b'\\' && bytes[i - 1].is_ascii_alphabetic();
        if bytes[i] == b'{' && !escape {
            if let Some(len) = text[i + 1..].find('}') {
                let name = &text[i + 1..i + 1 + len];
                if is_name(name) {
                    found.push((i, name));
                    i += len + 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    found
}

pub fn is_name(s: &str) -> bool {
    let (head, tail) = match s.split_once(':') {
        Some((h, t)) => (h, Some(t)),
        None => (s, None),
    };
    let ident = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    ident(head)
        && tail.is_none_or(|t| {
            !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        })
}

/// Replaces each placeholder that `lookup` knows and leaves the others as written.
pub fn fill(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, name) in placeholders(text) {
        if let Some(value) = lookup(name) {
            out.push_str(&text[last..at]);
            out.push_str(&value);
            last = at + name.len() + 2;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Resolves variables that refer to other variables; a cycle is an error naming it.
pub fn resolve(
    vars: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, (String, String)> {
    fn expand(
        name: &str,
        vars: &BTreeMap<String, String>,
        path: &mut Vec<String>,
    ) -> Result<String, (String, String)> {
        if let Some(start) = path.iter().position(|p| p == name) {
            let mut cycle = path[start..].to_vec();
            cycle.push(name.to_owned());
            return Err((
                path[start].clone(),
                format!(
                    "variables refer to each other in a cycle: {}",
                    cycle.join(" -> ")
                ),
            ));
        }
        path.push(name.to_owned());
        let text = &vars[name];
        let mut filled = String::with_capacity(text.len());
        let mut last = 0;
        for (at, var) in placeholders(text) {
            if vars.contains_key(var) {
                filled.push_str(&text[last..at]);
                filled.push_str(&expand(var, vars, path)?);
                last = at + var.len() + 2;
            }
        }
        filled.push_str(&text[last..]);
        path.pop();
        Ok(filled)
    }
    vars.keys()
        .map(|k| Ok((k.clone(), expand(k, vars, &mut Vec::new())?)))
        .collect()
}

/// Fills a step's text for one actor and round: variables, `{actor}` and `{i}`; then `{{`
/// and `}}` become literal braces.
pub fn fill_step(text: &str, vars: &BTreeMap<String, String>, actor: &str, round: u32) -> String {
    let with_vars = fill(text, &|name| vars.get(name).cloned());
    fill(&with_vars, &|name| match name {
        "actor" => Some(actor.to_owned()),
        "i" => Some(round.to_string()),
        _ => None,
    })
    .replace("{{", "{")
    .replace("}}", "}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("reply {reply} to {ref:select-server}", vec!["reply", "ref:select-server"])]
    #[case(r"\d{2,3} {{literal}}", vec![])]
    #[case("{i}-{actor}", vec!["i", "actor"])]
    #[case("{ bad }", vec![])]
    fn finds_placeholders(#[case] text: &str, #[case] want: Vec<&str>) {
        let got: Vec<&str> = placeholders(text).into_iter().map(|(_, n)| n).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn fills_steps_and_unescapes_braces() {
        let vars = BTreeMap::from([("r".to_owned(), "OK".to_owned())]);
        assert_eq!(
            fill_step("{r} {actor}-{i} {{x}}", &vars, "p1", 3),
            "OK p1-3 {x}"
        );
    }

    #[test]
    fn fills_what_it_knows_and_leaves_the_rest() {
        let filled = fill("{a}-{i}", &|n| (n == "a").then(|| "x".to_owned()));
        assert_eq!(filled, "x-{i}");
    }

    #[test]
    fn resolves_chains_and_reports_cycles() {
        let vars: BTreeMap<_, _> = [("a", "{b}!"), ("b", "ok")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(resolve(&vars).unwrap()["a"], "ok!");
        let cyclic: BTreeMap<_, _> = [("a", "{b}"), ("b", "{a}")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert!(resolve(&cyclic).unwrap_err().1.contains("a -> b -> a"));
    }
}
