//! The regular expressions built into Rostrum: constants of the modules that use them, which
//! their unit tests compile, so compiling them cannot fail at run time.

use regex::{Regex, RegexSet};

/// A built-in pattern, compiled.
pub(crate) fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|error| panic!("bad built-in pattern {pattern}: {error}"))
}

/// Built-in patterns, compiled to be matched together.
pub(crate) fn compile_set<'a>(patterns: impl IntoIterator<Item = &'a str>) -> RegexSet {
    RegexSet::new(patterns).unwrap_or_else(|error| panic!("bad built-in pattern: {error}"))
}
