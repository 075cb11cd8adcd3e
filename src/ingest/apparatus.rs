//! What a document carries besides its body: a table of contents at the start, notes at the end
//! (after `------` or a `注释` line) with the note marks that point to them, and the line naming
//! the edition it was taken from. They are taken off before the outline is built, so that none
//! of them becomes a section.

use std::sync::LazyLock;

use regex::Regex;

use super::structure::SourceLine;
use crate::model::Note;
use crate::patterns::compile;

/// The body of a document, and its apparatus.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Apparatus {
    pub notes: Vec<Note>,
    /// The edition the text was taken from: `（《毛泽东选集》第五卷，…第267--288页）`.
    pub citation: Option<String>,
}

/// A table of contents is a run of short lines; one longer than this ends it.
const MAX_CONTENTS_ENTRY_CHARS: usize = 40;
/// A table of contents has at least this many entries.
const MIN_CONTENTS_ENTRIES: usize = 2;
/// The source line stands among the last lines of a document.
const CITATION_SEARCH_LINES: usize = 6;

struct Patterns {
    separator: Regex,
    run_on_notes: Regex,
    run_on_mark: Regex,
    run_on_citation: Regex,
    notes_heading: Regex,
    contents_heading: Regex,
    note_start: Regex,
    citation: Regex,
}

/// Built-in patterns; the unit tests compile them, so this cannot fail at run time.
static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    separator: compile(r"^[-—─_=*＊·]{6,}$"),
    run_on_notes: compile(r"(?:[-—─_=*＊·]{6,}\s*)?注 ?释\s*(?:〔1〕|\[1\]|[（(]1[）)]|⑴|①)"),
    run_on_mark: compile(
        r"〔([0-9]{1,3})〕|\[([0-9]{1,3})\]|[（(]([0-9]{1,3})[）)]|([⑴-⒇])|([①-⑳])",
    ),
    run_on_citation: compile(r"[（(]《[^》]{1,40}》[^（）()]{0,80}页[）)]\s*$"),
    notes_heading: compile(r"^(?:注 ?释|注 ?解|注)[:：]?$"),
    contents_heading: compile(r"^目 ?录$"),
    note_start: compile(
        r"^(?:〔([0-9]{1,3})〕|\[([0-9]{1,3})\]|[（(]([0-9０-９]{1,3})[）)]|([⑴-⒇])|([①-⑳])|([0-9]{1,3})[.．、])\s*",
    ),
    citation: compile(r"^[（(]《.+》.*[）)]$"),
});

/// Takes the table of contents, the notes and the source line off `lines`; what is left is the
/// body, for the outline.
pub fn split(lines: Vec<SourceLine>) -> (Vec<SourceLine>, Apparatus) {
    let mut lines = drop_table_of_contents(lines);
    let mut apparatus = Apparatus {
        citation: take_citation(&mut lines),
        ..Apparatus::default()
    };
    if let Some(start) = notes_start(&lines) {
        let region = lines.split_off(start);
        apparatus.notes = parse_notes(&region);
    } else if let Some(last) = lines.last_mut() {
        let (citation, notes) = split_run_on_notes(&mut last.text);
        apparatus.citation = apparatus.citation.or(citation);
        apparatus.notes = notes;
    }
    (lines, apparatus)
}

/// Notes at the end of a run of text whose line breaks were lost (`…注 释 〔1〕…〔2〕…`), and a
/// source line after them: taken off `text`.
fn split_run_on_notes(text: &mut String) -> (Option<String>, Vec<Note>) {
    let patterns = &*PATTERNS;
    let found = patterns
        .run_on_citation
        .find(text)
        .map(|found| (found.start(), found.as_str().trim().to_owned()));
    let citation = found.map(|(start, citation)| {
        text.truncate(start);
        citation
    });
    let Some(start) = patterns.run_on_notes.find(text).map(|found| found.start()) else {
        return (citation, Vec::new());
    };
    let region = text.split_off(start);
    let marks: Vec<(usize, usize, u32)> = patterns
        .run_on_mark
        .captures_iter(&region)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            Some((whole.start(), whole.end(), mark_value(&caps)?))
        })
        .scan(1, |next, (start, end, number)| {
            let in_sequence = number == *next;
            if in_sequence {
                *next += 1;
            }
            Some(in_sequence.then_some((start, end, number)))
        })
        .flatten()
        .collect();
    let notes = marks
        .iter()
        .enumerate()
        .map(|(index, &(start, end, number))| {
            let until = marks.get(index + 1).map_or(region.len(), |next| next.0);
            Note {
                id: number,
                mark: region[start..end].to_owned(),
                text: region[end..until].trim().to_owned(),
            }
        })
        .collect();
    (citation, notes)
}

/// The number of a mark captured by `run_on_mark` or `TEXT_MARK`.
fn mark_value(caps: &regex::Captures) -> Option<u32> {
    (1..caps.len()).find_map(|group| {
        let found = caps.get(group)?.as_str();
        let first = found.chars().next()?;
        match first {
            '⑴'..='⒇' => mark_number(first, '⑴'),
            '①'..='⑳' => mark_number(first, '①'),
            _ => crate::text::arabic_number(found),
        }
    })
}

/// The lines with a leading table of contents (`目录` and the headings it lists) removed.
fn drop_table_of_contents(mut lines: Vec<SourceLine>) -> Vec<SourceLine> {
    let Some(heading) = lines
        .iter()
        .take(12)
        .position(|line| PATTERNS.contents_heading.is_match(line.text.trim()))
    else {
        return lines;
    };
    let entries = lines[heading + 1..]
        .iter()
        .take_while(|line| is_contents_entry(&line.text))
        .count();
    let listed: Vec<String> = lines[heading + 1..heading + 1 + entries]
        .iter()
        .map(|line| comparable(&line.text))
        .collect();
    let body = &lines[heading + 1 + entries..];
    let repeated = listed
        .iter()
        .filter(|entry| body.iter().any(|line| comparable(&line.text) == **entry))
        .count();
    if entries >= MIN_CONTENTS_ENTRIES && repeated * 2 >= entries {
        lines.drain(heading..heading + 1 + entries);
    }
    lines
}

/// A line that a table of contents may list: short, and not a sentence or a salutation.
fn is_contents_entry(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text.chars().count() <= MAX_CONTENTS_ENTRY_CHARS
        && !text.ends_with(['。', '：', ':', '；', '！'])
}

/// A line without its spaces, to compare an entry with the heading it lists.
fn comparable(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The source line among the last lines, if there is one; it is removed from `lines`.
fn take_citation(lines: &mut Vec<SourceLine>) -> Option<String> {
    let from = lines.len().saturating_sub(CITATION_SEARCH_LINES);
    let at = (from..lines.len()).rev().find(|&index| {
        let text = lines[index].text.trim();
        PATTERNS.citation.is_match(text) && (text.contains('页') || text.contains("版"))
    })?;
    Some(lines.remove(at).text.trim().to_owned())
}

/// Where the notes start: a separator line or a notes heading, with notes after it.
fn notes_start(lines: &[SourceLine]) -> Option<usize> {
    let heading = lines
        .iter()
        .rposition(|line| PATTERNS.notes_heading.is_match(line.text.trim()))?;
    let has_notes = lines[heading + 1..]
        .iter()
        .any(|line| PATTERNS.note_start.is_match(line.text.trim()));
    if !has_notes {
        return None;
    }
    let separated = heading
        .checked_sub(1)
        .filter(|&before| PATTERNS.separator.is_match(lines[before].text.trim()));
    Some(separated.unwrap_or(heading))
}

/// The notes of a notes region: each starts with its mark; a line without one continues the
/// note before it.
fn parse_notes(region: &[SourceLine]) -> Vec<Note> {
    let mut notes: Vec<Note> = Vec::new();
    for line in region {
        let text = line.text.trim();
        if PATTERNS.separator.is_match(text) || PATTERNS.notes_heading.is_match(text) {
            continue;
        }
        match note_mark(text) {
            Some((number, mark, rest)) => notes.push(Note {
                id: number,
                mark: mark.to_owned(),
                text: rest.trim().to_owned(),
            }),
            None => match notes.last_mut() {
                Some(note) => {
                    note.text.push_str(text);
                }
                None if !text.is_empty() => notes.push(Note {
                    id: 1,
                    mark: String::new(),
                    text: text.to_owned(),
                }),
                None => {}
            },
        }
    }
    notes
}

/// The number a note mark stands for, the mark as written, and the text after it.
fn note_mark(text: &str) -> Option<(u32, &str, &str)> {
    let caps = PATTERNS.note_start.captures(text)?;
    let whole = caps.get(0)?;
    let number = mark_value(&caps)?;
    Some((number, whole.as_str().trim(), &text[whole.end()..]))
}

/// `⑶` is 3 counting from `⑴`; `③` from `①`.
fn mark_number(mark: char, first: char) -> Option<u32> {
    (mark as u32)
        .checked_sub(first as u32)
        .map(|offset| offset + 1)
}

/// A note mark in running text that points to note `number`: `〔3〕`, `[3]`, `⑶` or `③`, at
/// byte range `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoteMark {
    pub start: usize,
    pub end: usize,
    pub number: u32,
}

static TEXT_MARK: LazyLock<Regex> =
    LazyLock::new(|| compile(r"〔([0-9]{1,3})〕|\[([0-9]{1,3})\]|([⑴-⒇])|([①-⑳])"));

/// The note marks in a paragraph that point to one of `notes` (by number, whatever the style).
pub fn note_marks(text: &str, notes: &[Note]) -> Vec<NoteMark> {
    if notes.is_empty() {
        return Vec::new();
    }
    TEXT_MARK
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let number = mark_value(&caps)?;
            notes
                .iter()
                .any(|note| note.id == number)
                .then_some(NoteMark {
                    start: whole.start(),
                    end: whole.end(),
                    number,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<SourceLine> {
        text.lines().map(SourceLine::plain).collect()
    }

    #[test]
    fn patterns_compile() {
        LazyLock::force(&PATTERNS);
        LazyLock::force(&TEXT_MARK);
    }

    #[test]
    fn notes_after_a_separator_with_their_own_mark_style() {
        let (body, apparatus) = split(lines(
            "正文⑴。\n更多正文⑵。\n------------------\n注 释\n〔1〕中共中央的这个指示，\n是二月发出的。\n〔2〕 十二月会议。",
        ));
        assert_eq!(body.len(), 2);
        assert_eq!(
            apparatus.notes,
            vec![
                Note {
                    id: 1,
                    mark: "〔1〕".into(),
                    text: "中共中央的这个指示，是二月发出的。".into()
                },
                Note {
                    id: 2,
                    mark: "〔2〕".into(),
                    text: "十二月会议。".into()
                },
            ]
        );
        let marks = note_marks(&body[0].text, &apparatus.notes);
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].number, 1);
        assert_eq!(&body[0].text[marks[0].start..marks[0].end], "⑴");
    }

    #[test]
    fn the_source_line_is_the_citation() {
        let (body, apparatus) = split(lines(
            "正文[1]。\n注释\n[1]义务交售制。\n（《毛泽东选集》第五卷，人民出版社1977年4月第1版，第267--288页）",
        ));
        assert_eq!(body.len(), 1);
        assert_eq!(apparatus.notes.len(), 1);
        assert_eq!(
            apparatus.citation.as_deref(),
            Some("（《毛泽东选集》第五卷，人民出版社1977年4月第1版，第267--288页）")
        );
        assert!(note_marks("没有注[3]。", &apparatus.notes).is_empty());
    }

    #[test]
    fn a_table_of_contents_that_repeats_the_headings_is_dropped() {
        let (body, _) = split(lines(
            "报告\n目录\n一、总任务\n二、计划概要\n各位代表：\n正文。\n一、总任务\n正文。\n二、计划概要\n正文。",
        ));
        let texts: Vec<&str> = body.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "报告",
                "各位代表：",
                "正文。",
                "一、总任务",
                "正文。",
                "二、计划概要",
                "正文。"
            ]
        );
    }

    #[test]
    fn notes_at_the_end_of_a_run_on_scrape() {
        let (body, apparatus) = split(lines(
            "正文⑴，还有正文⑵。------------------ 注 释 〔1〕指示，其中（一）划分成分。〔2〕 十二月会议。（《毛泽东选集》第四卷，第1页）",
        ));
        assert_eq!(body[0].text, "正文⑴，还有正文⑵。");
        let texts: Vec<(u32, &str)> = apparatus
            .notes
            .iter()
            .map(|n| (n.id, n.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            vec![(1, "指示，其中（一）划分成分。"), (2, "十二月会议。")]
        );
        assert_eq!(
            apparatus.citation.as_deref(),
            Some("（《毛泽东选集》第四卷，第1页）")
        );
    }

    #[test]
    fn a_word_notes_in_the_text_is_not_a_notes_section() {
        let (body, apparatus) = split(lines("注释\n这一行不是注释。\n还有正文。"));
        assert_eq!(body.len(), 3);
        assert!(apparatus.notes.is_empty());
    }
}
