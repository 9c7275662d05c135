//! The few flags reference programs take: `--port N`, `--reply TEXT`, and numbers such as
//! `--status N` or `--workers N`.

/// The value after `--name`, if given.
pub fn value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.windows(2)
        .find(|w| w[0] == name)
        .map(|w| w[1].as_str())
}

/// `--port`, else `$PORT`, else the course's 8888.
pub fn port(args: &[String]) -> u16 {
    value(args, "--port")
        .map(str::to_owned)
        .or_else(|| std::env::var("PORT").ok())
        .and_then(|p| p.parse().ok())
        .unwrap_or(8888)
}

/// `--name N` parsed as a number, `default` when absent; a value that does not parse is an
/// error naming the flag (the program then exits with status 2).
pub fn number<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    match value(args, name) {
        None => Ok(default),
        Some(v) => v
            .parse()
            .map_err(|_| format!("{name} wants a number, got `{v}`")),
    }
}
