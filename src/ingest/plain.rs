//! Plain text: one paragraph per line; or, when the text is hard-wrapped, one per
//! blank-line-separated block, or one per indented first line (text taken from printed pages,
//! whose page numbers and running headers are left out).

use super::pages::without_furniture;
use super::structure::SourceLine;

/// Hard-wrapped lines are no wider than this.
const MAX_WRAPPED_LINE_CHARS: usize = 100;

/// Lines of a plain text, with hard-wrapped paragraphs joined back into one line each.
pub fn lines(text: &str) -> Vec<SourceLine> {
    let untrimmed: Vec<&str> = text.lines().collect();
    let untrimmed = without_furniture(&untrimmed);
    if let Some(width) = indent_led_width(&untrimmed) {
        return indent_led_paragraphs(&untrimmed, width);
    }
    let raw: Vec<&str> = untrimmed.into_iter().map(trim_line).collect();
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

/// A line's printed width: two for a Han character or a full-width form, one for ASCII.
fn printed_width(line: &str) -> usize {
    line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Whether a line starts with a paragraph indent: an ideographic space, a tab or two spaces.
fn is_indented(line: &str) -> bool {
    line.starts_with(['\u{3000}', '\t']) || line.starts_with("  ")
}

/// A line at least this share of the wrapping width (in percent) is full: the paragraph goes on
/// below it.
const FULL_LINE_PERCENT: usize = 75;

/// The wrapping width of text whose paragraphs start with an indent and run on over lines of
/// one width, broken mid-sentence, as text taken from printed pages is; `None` for other text.
fn indent_led_width(lines: &[&str]) -> Option<usize> {
    let text: Vec<&str> = lines
        .iter()
        .filter(|l| !trim_line(l).is_empty())
        .copied()
        .collect();
    let widths: Vec<usize> = text.iter().map(|l| printed_width(trim_line(l))).collect();
    let width = widths.iter().copied().max()?;
    if text.len() < 8 || width > 2 * MAX_WRAPPED_LINE_CHARS {
        return None;
    }
    let full: Vec<&str> = text
        .iter()
        .zip(&widths)
        .filter(|(_, w)| *w * 100 >= width * FULL_LINE_PERCENT)
        .map(|(l, _)| trim_line(l))
        .collect();
    let mid_sentence = full.iter().filter(|l| !ends_sentence(l)).count();
    let indented = text.iter().filter(|l| is_indented(l)).count();
    (full.len() * 100 >= text.len() * 40
        && mid_sentence * 100 >= full.len() * 60
        && indented * 20 >= text.len())
    .then_some(width)
}

/// Paragraphs of indent-led text: a line goes on the paragraph above it when that one's last
/// line is full and this one is not indented. A blank line, an indent or a short line above
/// starts a new one, and so does a heading: a short line with no closing punctuation after a
/// line that ends a sentence.
fn indent_led_paragraphs(lines: &[&str], width: usize) -> Vec<SourceLine> {
    let is_full = |line: &str| printed_width(line) * 100 >= width * FULL_LINE_PERCENT;
    let mut paragraphs: Vec<Vec<&str>> = Vec::new();
    let mut previous: Option<&str> = None;
    for line in lines {
        let trimmed = trim_line(line);
        if trimmed.is_empty() {
            previous = None;
            continue;
        }
        let heading = !is_full(trimmed) && !ends_sentence(trimmed);
        let goes_on = previous.is_some_and(|above| {
            is_full(above) && !is_indented(line) && !(heading && ends_sentence(above))
        });
        match paragraphs.last_mut() {
            Some(paragraph) if goes_on => paragraph.push(trimmed),
            _ => paragraphs.push(vec![trimmed]),
        }
        previous = Some(trimmed);
    }
    paragraphs
        .iter()
        .map(|paragraph| SourceLine::plain(join_wrapped(paragraph)))
        .collect()
}

/// Whether a line ends a sentence (or a clause that ends a line: a colon, a semicolon).
fn ends_sentence(line: &str) -> bool {
    line.ends_with([
        '。', '！', '？', '.', '!', '?', ':', '：', ';', '；', '”', '"',
    ])
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
    let mid_sentence = share(&|l| !ends_sentence(l));
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

    /// The non-blank lines of a sample, trimmed: its paragraphs.
    fn sample_paragraphs(name: &str) -> Vec<String> {
        let path = format!(
            "{}/tests/fixtures/samples/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let original = std::fs::read_to_string(path).unwrap();
        original
            .lines()
            .map(trim_line)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The texts of the lines read from `text`.
    fn texts(text: &str) -> Vec<String> {
        lines(text).into_iter().map(|line| line.text).collect()
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined_back() {
        let paragraphs = sample_paragraphs("201_inaugural-1789-george-washington.txt");
        let wrapped: Vec<String> = paragraphs.iter().map(|p| wrap(p, 72)).collect();
        assert_eq!(texts(&wrapped.join("\n\n")), paragraphs);
    }

    /// `text` as printed pages show it: each paragraph wrapped at `width` characters (never
    /// inside a run of ASCII, where joining would add a space), a long one indented, and after
    /// every `page` lines a page number and the book's running title.
    fn printed(paragraphs: &[&str], width: usize, page: usize) -> String {
        let mut lines: Vec<String> = Vec::new();
        for paragraph in paragraphs {
            let indent = if paragraph.chars().count() > width {
                "\u{3000}\u{3000}"
            } else {
                ""
            };
            let mut line = indent.to_owned();
            let mut chars = paragraph.chars().peekable();
            while let Some(c) = chars.next() {
                line.push(c);
                let inside_ascii = c.is_ascii() && chars.peek().is_some_and(char::is_ascii);
                if trim_line(&line).chars().count() >= width && !inside_ascii {
                    lines.push(std::mem::take(&mut line));
                }
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        let mut pages = String::new();
        for (number, page_lines) in lines.chunks(page).enumerate() {
            pages += &page_lines.join("\n");
            pages += &format!("\n\n— {} —\n\n毛泽东文集　第七卷\n", number + 1);
        }
        pages
    }

    #[test]
    fn printed_pages_give_back_their_paragraphs_and_headings() {
        let paragraphs = sample_paragraphs("105_mao-ten-major-relationships.txt");
        let borrowed: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        assert_eq!(texts(&printed(&borrowed, 32, 38)), paragraphs);
    }

    #[test]
    fn short_lines_without_blank_lines_stay_paragraphs() {
        let text = "讲话\n同志们：\n开头一段文字。\n一、加强领导\n要加强领导，落实推进。\n二、落实责任\n要落实责任。";
        assert_eq!(lines(text).len(), 7);
        let with_title_gap = "讲话\n\n同志们：\n开头一段文字。\n一、加强领导\n要加强领导。\n二、落实责任\n要落实责任。";
        assert_eq!(lines(with_title_gap).len(), 7);
    }
}
