//! Plain text: one paragraph per line, or per blank-line-separated block when the text is hard-wrapped.

use super::structure::SourceLine;

/// Hard-wrapped text has most of its lines in multi-line blocks, and those lines are short.
const MAX_WRAPPED_LINE_CHARS: usize = 100;

/// Lines of a plain text, with hard-wrapped paragraphs joined back into one line each.
pub fn lines(text: &str) -> Vec<SourceLine> {
    let raw: Vec<&str> = text.lines().map(trim_line).collect();
    let blocks: Vec<&[&str]> = raw
        .split(|line| line.is_empty())
        .filter(|block| !block.is_empty())
        .collect();
    if is_hard_wrapped(&blocks) {
        blocks
            .iter()
            .map(|block| SourceLine::plain(join_wrapped(block)))
            .collect()
    } else {
        raw.into_iter()
            .filter(|line| !line.is_empty())
            .map(SourceLine::plain)
            .collect()
    }
}

/// Trims a line, ideographic spaces, no-break spaces and stray BOMs included.
pub fn trim_line(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

/// Folds every run of whitespace (ideographic spaces included) into one ASCII space.
pub fn fold_spaces(line: &str) -> String {
    let mut folded = String::with_capacity(line.len());
    let mut in_space = false;
    for c in line.chars() {
        if c.is_whitespace() {
            if !in_space {
                folded.push(' ');
            }
            in_space = true;
        } else {
            folded.push(c);
            in_space = false;
        }
    }
    folded
}

fn is_hard_wrapped(blocks: &[&[&str]]) -> bool {
    let lines: usize = blocks.iter().map(|b| b.len()).sum();
    let in_multi_line_blocks: usize = blocks.iter().filter(|b| b.len() > 2).map(|b| b.len()).sum();
    let longest = blocks
        .iter()
        .flat_map(|b| b.iter())
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    lines >= 6 && in_multi_line_blocks * 2 >= lines && longest <= MAX_WRAPPED_LINE_CHARS
}

/// Joins the lines of one wrapped paragraph: a space between Latin words, nothing between Han.
pub fn join_wrapped(block: &[&str]) -> String {
    let mut joined = String::new();
    for line in block {
        let needs_space = joined
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c.is_ascii_punctuation())
            && line.chars().next().is_some_and(|c| c.is_ascii());
        if needs_space {
            joined.push(' ');
        }
        joined.push_str(line);
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_paragraph_per_line() {
        let text = "　　一、2021年工作回顾\r\n \r\n　　过去一年。\r\n";
        let lines = lines(text);
        assert_eq!(
            lines,
            vec![
                SourceLine::plain("一、2021年工作回顾"),
                SourceLine::plain("过去一年。")
            ]
        );
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let text = "We the people\nof the United States\nin order to form\n\nA more perfect\nunion, establish\njustice.\n";
        let lines = lines(text);
        assert_eq!(
            lines[0].text,
            "We the people of the United States in order to form"
        );
        assert_eq!(lines[1].text, "A more perfect union, establish justice.");
    }
}
