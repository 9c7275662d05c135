//! The few flags reference programs take: `--port N`, `--reply TEXT`.

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
