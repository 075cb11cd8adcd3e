//! Markdown: `#` headings declare their level, blank lines separate paragraphs, markup is dropped.

use super::plain::{join_wrapped, trim_line};
use super::structure::SourceLine;

/// A Markdown document: its title (a leading `# ` heading or a `title:` front-matter field) and lines.
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
    for line in raw {
        let trimmed = trim_line(line);
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with([' ', '\u{3000}']) {
            flush(&mut paragraph, &mut lines);
            let text = strip_inline_markup(trimmed[hashes..].trim());
            if hashes == 1 && title.is_none() && lines.is_empty() {
                title = Some(text);
            } else {
                lines.push(SourceLine {
                    text,
                    declared_heading: Some(hashes as u8),
                });
            }
        } else if trimmed.is_empty() || is_rule(trimmed) {
            flush(&mut paragraph, &mut lines);
        } else {
            paragraph.push(trimmed.trim_start_matches(['>', ' ']));
        }
    }
    flush(&mut paragraph, &mut lines);
    MarkdownText { title, lines }
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
}
