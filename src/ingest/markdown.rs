//! Markdown: `#` and underlined headings declare their level, blank lines separate paragraphs,
//! list items and table rows are paragraphs of their own, markup and comments are dropped.

use super::plain::{join_wrapped, trim_line};
use super::structure::SourceLine;

/// A Markdown document: its title (a leading level-1 heading or a `title:` front-matter field) and lines.
pub struct MarkdownText {
    pub title: Option<String>,
    pub lines: Vec<SourceLine>,
}

pub fn read(text: &str) -> MarkdownText {
    let mut title = None;
    let mut lines = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut raw = text.lines().peekable();
    if raw.peek().is_some_and(|l| l.trim() == "---") {
        raw.next();
        for line in raw.by_ref() {
            if line.trim() == "---" {
                break;
            }
            if let Some(value) = line.strip_prefix("title:") {
                title = Some(value.trim().trim_matches(['"', '\'']).to_owned());
            }
        }
    }
    let flush = |paragraph: &mut Vec<&str>, lines: &mut Vec<SourceLine>| {
        if !paragraph.is_empty() {
            lines.push(SourceLine::plain(strip_inline_markup(&join_wrapped(
                paragraph,
            ))));
            paragraph.clear();
        }
    };
    let mut heading = |level: u8, text: String, lines: &mut Vec<SourceLine>| {
        if level == 1 && title.is_none() && lines.is_empty() {
            title = Some(text);
        } else {
            lines.push(SourceLine {
                text,
                declared_heading: Some(level),
            });
        }
    };
    let mut in_comment = false;
    for line in raw {
        let trimmed = trim_line(line);
        if in_comment || trimmed.starts_with("<!--") {
            in_comment = !trimmed.contains("-->");
            flush(&mut paragraph, &mut lines);
            continue;
        }
        match kind(trimmed) {
            Line::Heading(level, text) => {
                flush(&mut paragraph, &mut lines);
                heading(level, strip_inline_markup(text), &mut lines);
            }
            // Setext: the paragraph above the underline is a heading.
            Line::Underline(level) if !paragraph.is_empty() => {
                let text = strip_inline_markup(&join_wrapped(&paragraph));
                paragraph.clear();
                heading(level, text, &mut lines);
            }
            Line::Underline(_) | Line::Break | Line::TableRule => {
                flush(&mut paragraph, &mut lines);
            }
            Line::Item(text) => {
                flush(&mut paragraph, &mut lines);
                paragraph.push(text);
            }
            Line::TableRow(row) => {
                flush(&mut paragraph, &mut lines);
                let cells: Vec<&str> = row.split('|').map(str::trim).collect();
                lines.push(SourceLine::plain(strip_inline_markup(
                    &cells.join("\u{3000}"),
                )));
            }
            Line::Text(text) => paragraph.push(text),
        }
    }
    flush(&mut paragraph, &mut lines);
    MarkdownText { title, lines }
}

/// What a line of Markdown is, trimmed.
enum Line<'a> {
    /// `#` to `######` and the heading's text.
    Heading(u8, &'a str),
    /// A line of `=` (level 1) or `-` (level 2): a setext underline, or with nothing above it,
    /// a break.
    Underline(u8),
    /// A blank line or a thematic break (`***`, `- - -`).
    Break,
    /// A list item, its bullet dropped (an ordered item keeps its number): a paragraph of
    /// its own.
    Item(&'a str),
    /// A table row's cells, between its outer pipes.
    TableRow(&'a str),
    /// The row under a table's head (`| --- | :-: |`).
    TableRule,
    Text(&'a str),
}

/// What `line`, trimmed, is.
fn kind(line: &str) -> Line<'_> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with([' ', '\u{3000}']) {
        return Line::Heading(hashes as u8, line[hashes..].trim());
    }
    if line.len() >= 3 && line.chars().all(|c| c == '=') {
        return Line::Underline(1);
    }
    if line.len() >= 3 && line.chars().all(|c| c == '-') {
        return Line::Underline(2);
    }
    if line.is_empty() || is_rule(line) {
        return Line::Break;
    }
    if let Some(row) = line.strip_prefix('|') {
        let row = row.strip_suffix('|').unwrap_or(row);
        return if row.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
            Line::TableRule
        } else {
            Line::TableRow(row)
        };
    }
    if let Some(item) = ["- ", "* ", "+ "].iter().find_map(|b| line.strip_prefix(b)) {
        return Line::Item(item.trim_start());
    }
    if is_ordered_item(line) {
        return Line::Item(line);
    }
    Line::Text(line.trim_start_matches(['>', ' ']))
}

/// `1. ` or `1) `: an ordered list item.
fn is_ordered_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

fn is_rule(line: &str) -> bool {
    line.len() >= 3 && line.chars().all(|c| matches!(c, '-' | '*' | '_' | ' '))
}

/// Drops emphasis marks and keeps link text: `**重点**` → `重点`, `[文](url)` → `文`.
fn strip_inline_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '['
            && let Some(close) = rest.find("](")
            && let Some(end) = rest[close..].find(')')
        {
            out.push_str(&rest[1..close]);
            rest = &rest[close + end + 1..];
            continue;
        }
        let markup = matches!(c, '*' | '`') || (c == '_' && rest.starts_with("__"));
        if !markup {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out.replace("__", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_and_title() {
        let md = "# 在全县工作会议上的讲话\n\n同志们：\n\n## 一、**抓好**落实\n\n要抓好\n落实，见[通知](http://x)。\n\n---\n";
        let doc = read(md);
        assert_eq!(doc.title.as_deref(), Some("在全县工作会议上的讲话"));
        assert_eq!(doc.lines[0], SourceLine::plain("同志们："));
        assert_eq!(doc.lines[1].text, "一、抓好落实");
        assert_eq!(doc.lines[1].declared_heading, Some(2));
        assert_eq!(doc.lines[2].text, "要抓好落实，见通知。");
    }

    #[test]
    fn setext_headings_lists_tables_and_comments() {
        let md = "在全区教育工作会议上的讲话\n==========================\n\n<!-- 内部资料\n不公开 -->\n\n同志们：\n\n一、认清形势\n------------\n\n取得新进展：\n\n- 新建学校 5 所；\n- 新增学位\n  3000 个；\n1. 教师队伍不断壮大。\n\n| 指标 | 数值 |\n| --- | :-: |\n| 学校 | 120 |\n\n***\n\n> 教育是国之大计。\n";
        let doc = read(md);
        assert_eq!(doc.title.as_deref(), Some("在全区教育工作会议上的讲话"));
        let lines: Vec<(&str, Option<u8>)> = doc
            .lines
            .iter()
            .map(|l| (l.text.as_str(), l.declared_heading))
            .collect();
        assert_eq!(
            lines,
            [
                ("同志们：", None),
                ("一、认清形势", Some(2)),
                ("取得新进展：", None),
                ("新建学校 5 所；", None),
                ("新增学位3000 个；", None),
                ("1. 教师队伍不断壮大。", None),
                ("指标\u{3000}数值", None),
                ("学校\u{3000}120", None),
                ("教育是国之大计。", None),
            ]
        );
    }
}
