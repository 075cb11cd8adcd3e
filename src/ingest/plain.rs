//! Plain text: one paragraph per line, or per blank-line-separated block when the text is hard-wrapped.

use super::structure::SourceLine;

/// Hard-wrapped lines are no wider than this.
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
    let only_single_spaces =
        !line.contains("  ") && !line.contains(|c: char| c.is_whitespace() && c != ' ');
    if only_single_spaces {
        return line.to_owned();
    }
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

/// Hard-wrapped text: paragraphs separated by blank lines, whose inner lines are of nearly the
/// same width and mostly break mid-sentence. One paragraph per line is the usual case.
fn is_hard_wrapped(blocks: &[&[&str]]) -> bool {
    let inner_lines: Vec<&str> = blocks
        .iter()
        .filter(|b| b.len() > 1)
        .flat_map(|b| b[..b.len() - 1].iter().copied())
        .collect();
    let width = |line: &str| line.chars().count();
    let widest = inner_lines.iter().map(|l| width(l)).max().unwrap_or(0);
    if blocks.len() < 2 || inner_lines.len() < 4 || widest > MAX_WRAPPED_LINE_CHARS {
        return false;
    }
    let share = |predicate: &dyn Fn(&str) -> bool| {
        inner_lines.iter().filter(|l| predicate(l)).count() * 100 / inner_lines.len()
    };
    let full_width = share(&|l| width(l) * 100 >= widest * 75);
    let mid_sentence = share(&|l| {
        !l.ends_with([
            '。', '！', '？', '.', '!', '?', ':', '：', ';', '；', '”', '"',
        ])
    });
    full_width >= 60 && mid_sentence >= 60
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

    fn wrap(text: &str, width: usize) -> String {
        let mut out = String::new();
        let mut line = String::new();
        for word in text.split(' ') {
            if !line.is_empty() && line.len() + word.len() + 1 > width {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out + &line
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined_back() {
        let path = format!(
            "{}/tests/fixtures/samples/201_inaugural-1789-george-washington.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let original = std::fs::read_to_string(path).unwrap();
        let paragraphs: Vec<&str> = original
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let wrapped: Vec<String> = paragraphs.iter().map(|p| wrap(p, 72)).collect();
        let lines = lines(&wrapped.join("\n\n"));
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, paragraphs);
    }

    #[test]
    fn short_lines_without_blank_lines_stay_paragraphs() {
        let text = "讲话\n同志们：\n开头一段文字。\n一、加强领导\n要加强领导，落实推进。\n二、落实责任\n要落实责任。";
        assert_eq!(lines(text).len(), 7);
        let with_title_gap = "讲话\n\n同志们：\n开头一段文字。\n一、加强领导\n要加强领导。\n二、落实责任\n要落实责任。";
        assert_eq!(lines(with_title_gap).len(), 7);
    }
}
