//! Headings and the section tree: `第一部分` > `一、` > `(一)` > `1.` > `(1)`, found on their own
//! line or inline after a sentence ends, and accepted only when they continue their numbering.

use crate::patterns::compile;
use crate::text::{CLAUSE_ENDS, SENTENCE_ENDS, arabic_number, chinese_number, is_han};
use regex::Regex;
use std::sync::LazyLock;

/// A line of source text; Markdown and Word mark some lines as headings themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceLine {
    pub text: String,
    /// Heading level the format declared (`#` count, Word's `Heading N`), if any.
    pub declared_heading: Option<u8>,
}

impl SourceLine {
    pub fn plain(text: impl Into<String>) -> Self {
        SourceLine {
            text: text.into(),
            declared_heading: None,
        }
    }
}

/// The text split into an untitled opening and a tree of sections, each holding text blocks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outline {
    /// Blocks before the first heading (front matter and introduction).
    pub preamble: Vec<String>,
    pub sections: Vec<OutlineSection>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutlineSection {
    /// The number as written (`一`, `(一)`, `1.`), empty for a named part.
    pub number: String,
    pub title: String,
    /// Text blocks in order: one per source line, or runs of text between inline headings.
    pub blocks: Vec<String>,
    pub children: Vec<OutlineSection>,
}

/// The numbering styles of Chinese official texts, outermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `第一部分`, `第一章`, `第一篇`, `第一节`, `第一条`.
    Part,
    /// `一、`
    ChineseNumeral,
    /// `一 标题` on its own line.
    BareNumeral,
    /// `(一)` or `（一）`
    ParenChinese,
    /// `1.`, `1、`, `１．`
    Arabic,
    /// `(1)` or `（1）`
    ParenArabic,
    /// An unnumbered heading (`注释`, a Markdown `##`), at the given rank.
    Named(u8),
}

impl Style {
    /// Nesting rank: a heading nests inside every open heading of a smaller rank.
    fn rank(self) -> u8 {
        match self {
            Style::Part => 0,
            Style::ChineseNumeral | Style::BareNumeral => 1,
            Style::ParenChinese => 2,
            Style::Arabic => 3,
            Style::ParenArabic => 4,
            Style::Named(rank) => rank,
        }
    }
}

/// A heading found in the text, not yet known to fit the numbering.
#[derive(Debug, Clone, PartialEq)]
struct Candidate {
    style: Style,
    value: u32,
    number: String,
    title: String,
    /// The heading stood alone on its line, which makes it trustworthy out of sequence.
    own_line: bool,
    /// The exact source text it was read from, restored if it is refused.
    original: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Text(String),
    Heading(Candidate),
}

/// Heading titles longer than this are cut at their first clause.
const MAX_TITLE_CHARS: usize = 60;
/// A bare-numeral heading (`一 标题`) is a short line.
const MAX_BARE_HEADING_CHARS: usize = 40;

struct Patterns {
    paren_chinese: Regex,
    paren_arabic: Regex,
    chinese_numeral: Regex,
    arabic: Regex,
    part: Regex,
    bare_numeral: Regex,
    named: Regex,
}

/// Built-in patterns; the unit tests compile every one, so this cannot fail at run time.
static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    paren_chinese: compile(r"^[(（]([一二三四五六七八九十]{1,3})[)）][、，,]?"),
    paren_arabic: compile(r"^[(（]([0-9０-９]{1,2})[)）][、，,]?"),
    chinese_numeral: compile(r"^([一二三四五六七八九十]{1,3})、"),
    arabic: compile(r"^([0-9０-９]{1,2})[.．、]"),
    part: compile(r"^第([一二三四五六七八九十百零〇0-9]{1,4})(部分|章|篇|节|条)[、：:\s]*"),
    bare_numeral: compile(r"^([一二三四五六七八九十]{1,3})[ \u{3000}]+(\S.*)$"),
    named: compile(r"^(注释|注解|附录|附件|序言|前言|结束语|结语)[:：]?$"),
});

/// Builds the outline of a text given as lines.
pub fn outline(lines: &[SourceLine]) -> Outline {
    let mut builder = TreeBuilder::default();
    for line in lines {
        for token in tokenize(line) {
            builder.push(token);
        }
        builder.end_line();
    }
    builder.finish()
}

fn tokenize(line: &SourceLine) -> Vec<Token> {
    let text = line.text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    if let Some(level) = line.declared_heading {
        let candidate = heading_at_line_start(text).unwrap_or_else(|| Candidate {
            style: Style::Named(level.saturating_sub(1)),
            value: 0,
            number: String::new(),
            title: text.to_owned(),
            own_line: true,
            original: text.to_owned(),
        });
        return vec![Token::Heading(candidate)];
    }
    if let Some(candidate) = own_line_heading(text) {
        return vec![Token::Heading(candidate)];
    }
    inline_tokens(text)
}

/// Headings that are only headings when they are a whole line: named parts and `一 标题`.
fn own_line_heading(text: &str) -> Option<Candidate> {
    let patterns = &*PATTERNS;
    if let Some(caps) = patterns.named.captures(text) {
        return Some(Candidate {
            style: Style::Named(0),
            value: 0,
            number: String::new(),
            title: caps[1].to_owned(),
            own_line: true,
            original: text.to_owned(),
        });
    }
    let caps = patterns.bare_numeral.captures(text)?;
    let title = caps[2].trim();
    let fits = text.chars().count() <= MAX_BARE_HEADING_CHARS && !title.ends_with(SENTENCE_ENDS);
    if !fits {
        return None;
    }
    Some(Candidate {
        style: Style::BareNumeral,
        value: chinese_number(&caps[1])?,
        number: caps[1].to_owned(),
        title: title.to_owned(),
        own_line: true,
        original: text.to_owned(),
    })
}

/// Splits a line into text and heading candidates: at the line start and after each sentence end.
fn inline_tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut text_start = 0;
    let mut position = 0;
    // True at the line start, and after a sentence end until the next ordinary character.
    let mut at_boundary = true;
    while position < text.len() {
        let Some(c) = text[position..].chars().next() else {
            break;
        };
        if at_boundary
            && may_start_heading(c)
            && let Some((mut candidate, consumed)) = heading_at(&text[position..])
        {
            candidate.own_line = position == 0 && position + consumed == text.len();
            if position > text_start {
                tokens.push(Token::Text(text[text_start..position].to_owned()));
            }
            tokens.push(Token::Heading(candidate));
            position += consumed;
            text_start = position;
            continue;
        }
        at_boundary = if SENTENCE_ENDS.contains(&c) || matches!(c, '：' | ':') {
            true
        } else {
            at_boundary && (c.is_whitespace() || matches!(c, '”' | '’' | '」' | '』'))
        };
        position += c.len_utf8();
    }
    if text_start < text.len() {
        tokens.push(Token::Text(text[text_start..].to_owned()));
    }
    tokens
}

/// The first character of every heading marker: a numeral, a digit, a parenthesis or `第`.
fn may_start_heading(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || matches!(c, '(' | '（' | '第')
        || chinese_number(&c.to_string()).is_some()
}

fn heading_at_line_start(text: &str) -> Option<Candidate> {
    heading_at(text).map(|(mut candidate, _)| {
        candidate.own_line = true;
        candidate
    })
}

/// A numbered heading starting at the beginning of `text`, with the bytes it spans
/// (number, title and the punctuation that ends the title).
fn heading_at(text: &str) -> Option<(Candidate, usize)> {
    let patterns = &*PATTERNS;
    let (style, caps) = [
        (Style::Part, &patterns.part),
        (Style::ParenChinese, &patterns.paren_chinese),
        (Style::ParenArabic, &patterns.paren_arabic),
        (Style::ChineseNumeral, &patterns.chinese_numeral),
        (Style::Arabic, &patterns.arabic),
    ]
    .into_iter()
    .find_map(|(style, pattern)| pattern.captures(text).map(|caps| (style, caps)))?;
    let digits = &caps[1];
    let value = chinese_number(digits).or_else(|| arabic_number(digits))?;
    let marker_end = caps.get(0).map_or(0, |m| m.end());
    let decimal_or_percent = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || c == '%';
    if style == Style::Arabic
        && text[marker_end..]
            .chars()
            .next()
            .is_some_and(decimal_or_percent)
    {
        return None;
    }
    let number = text[..marker_end]
        .trim_end_matches(['、', '，', ',', '：', ':', ' '])
        .to_owned();
    let (title, consumed) = title_after(&text[marker_end..]);
    Some((
        Candidate {
            style,
            value,
            number,
            title,
            own_line: false,
            original: text[..marker_end + consumed].to_owned(),
        },
        marker_end + consumed,
    ))
}

/// The title that follows a heading's number: up to the end of its sentence, its line, or a space
/// where a new phrase starts; the ending punctuation is consumed but not part of the title.
fn title_after(rest: &str) -> (String, usize) {
    let leading = rest.len() - rest.trim_start().len();
    let body = &rest[leading..];
    let mut end = body.len();
    let mut consumed = body.len();
    let mut previous: Option<char> = None;
    for (index, c) in body.char_indices() {
        if SENTENCE_ENDS.contains(&c) {
            end = index;
            consumed = index + c.len_utf8();
            break;
        }
        if c.is_whitespace() && previous.is_some_and(is_han) {
            let after = body[index..].trim_start();
            if starts_a_new_phrase(after) {
                end = index;
                consumed = index + (body[index..].len() - body[index..].trim_start().len());
                break;
            }
        }
        previous = Some(c);
    }
    let title = body[..end].trim_end();
    if title.chars().count() > MAX_TITLE_CHARS
        && let Some((clause_end, c)) = title.char_indices().find(|(_, c)| CLAUSE_ENDS.contains(c))
    {
        return (
            title[..clause_end].to_owned(),
            leading + clause_end + c.len_utf8(),
        );
    }
    (title.to_owned(), leading + consumed)
}

/// After a space that follows a Han character: another Han character, or a number written
/// straight onto its unit (`2014年`), starts a new phrase; a spaced number (`前 8 个月`) does not.
fn starts_a_new_phrase(after: &str) -> bool {
    let mut chars = after.chars();
    match chars.next() {
        Some(c) if is_han(c) => true,
        Some(c) if c.is_ascii_digit() => chars
            .find(|c| !c.is_ascii_digit())
            .is_some_and(|c| !c.is_whitespace() && c != '.'),
        _ => false,
    }
}

/// An open heading on the builder's stack.
struct Open {
    style: Style,
    value: u32,
    /// Index of its section in the builder's arena.
    section: usize,
}

struct ArenaSection {
    number: String,
    title: String,
    blocks: Vec<String>,
    children: Vec<usize>,
}

/// Assembles the section tree from tokens, refusing headings that break their numbering.
#[derive(Default)]
struct TreeBuilder {
    arena: Vec<ArenaSection>,
    roots: Vec<usize>,
    stack: Vec<Open>,
    preamble: Vec<String>,
    /// The current line's text is still being collected into the last block.
    line_open: bool,
}

impl TreeBuilder {
    fn push(&mut self, token: Token) {
        match token {
            Token::Text(text) => self.push_text(&text),
            Token::Heading(candidate) => {
                if !self.accept(&candidate) {
                    self.push_text(&candidate.original);
                }
            }
        }
    }

    fn end_line(&mut self) {
        self.line_open = false;
    }

    /// Appends text to the block of the current line, or opens a new block.
    fn push_text(&mut self, text: &str) {
        let line_open = self.line_open;
        let blocks = match self.stack.last() {
            Some(open) => &mut self.arena[open.section].blocks,
            None => &mut self.preamble,
        };
        match blocks.last_mut() {
            Some(last) if line_open => last.push_str(text),
            _ => {
                let text = text.trim_start();
                if text.is_empty() {
                    return;
                }
                blocks.push(text.to_owned());
            }
        }
        self.line_open = true;
    }

    /// Places a heading in the tree if its number continues its style's sequence (or starts one);
    /// returns false when it does not fit and must stay text.
    fn accept(&mut self, candidate: &Candidate) -> bool {
        let style = candidate.style;
        let sibling = self.stack.iter().rposition(|open| open.style == style);
        let fits = match (style, sibling) {
            (Style::Named(_), _) => true,
            (_, Some(index)) => {
                let previous = self.stack[index].value;
                candidate.value == previous + 1
                    || candidate.value == 1
                    || (candidate.own_line && candidate.value > previous)
            }
            (_, None) => candidate.value == 1 || candidate.own_line,
        };
        if !fits {
            return false;
        }
        match sibling {
            Some(index) if candidate.value != 1 => self.stack.truncate(index),
            _ => {
                let rank = style.rank();
                while self
                    .stack
                    .last()
                    .is_some_and(|open| open.style.rank() >= rank)
                {
                    self.stack.pop();
                }
            }
        }
        let section = self.arena.len();
        self.arena.push(ArenaSection {
            number: candidate.number.clone(),
            title: candidate.title.clone(),
            blocks: Vec::new(),
            children: Vec::new(),
        });
        match self.stack.last() {
            Some(parent) => self.arena[parent.section].children.push(section),
            None => self.roots.push(section),
        }
        self.stack.push(Open {
            style,
            value: candidate.value,
            section,
        });
        self.line_open = false;
        true
    }

    fn finish(mut self) -> Outline {
        fn build(arena: &mut Vec<ArenaSection>, index: usize) -> OutlineSection {
            let children = std::mem::take(&mut arena[index].children);
            let children = children.into_iter().map(|c| build(arena, c)).collect();
            let section = &mut arena[index];
            OutlineSection {
                number: std::mem::take(&mut section.number),
                title: std::mem::take(&mut section.title),
                blocks: std::mem::take(&mut section.blocks),
                children,
            }
        }
        for block in self
            .arena
            .iter_mut()
            .flat_map(|s| s.blocks.iter_mut())
            .chain(&mut self.preamble)
        {
            block.truncate(block.trim_end().len());
        }
        let roots = std::mem::take(&mut self.roots);
        Outline {
            preamble: self.preamble,
            sections: roots
                .into_iter()
                .map(|r| build(&mut self.arena, r))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<SourceLine> {
        text.lines().map(SourceLine::plain).collect()
    }

    fn headings(outline: &Outline) -> Vec<String> {
        fn walk(sections: &[OutlineSection], depth: usize, out: &mut Vec<String>) {
            for s in sections {
                out.push(format!("{}{}|{}", "-".repeat(depth), s.number, s.title));
                walk(&s.children, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(&outline.sections, 0, &mut out);
        out
    }

    #[test]
    fn patterns_compile() {
        LazyLock::force(&PATTERNS);
    }

    #[test]
    fn inline_headings_in_one_run_of_text() {
        let text = "下面,我讲三点看法。一、关于前段全市民政工作状况 今年前 8 个月,成果可喜。(一)兢兢业业保民生,保障了困难群体的基本生活。全市民政系统主动应对。(二)勤勤恳恳保发展,开创了良好局面。今年来,全市开创了局面。";
        let outline = outline(&lines(text));
        assert_eq!(outline.preamble, vec!["下面,我讲三点看法。"]);
        assert_eq!(
            headings(&outline),
            vec![
                "一|关于前段全市民政工作状况",
                "-(一)|兢兢业业保民生,保障了困难群体的基本生活",
                "-(二)|勤勤恳恳保发展,开创了良好局面",
            ]
        );
        assert_eq!(outline.sections[0].blocks, vec!["今年前 8 个月,成果可喜。"]);
        assert_eq!(
            outline.sections[0].children[1].blocks,
            vec!["今年来,全市开创了局面。"]
        );
    }

    #[test]
    fn a_space_ends_an_inline_title_only_before_a_new_phrase() {
        assert_eq!(title_after("工作状况 今年前 8 个月,好。").0, "工作状况");
        assert_eq!(
            title_after("工作总体部署 2014年，形势复杂。").0,
            "工作总体部署"
        );
        assert_eq!(
            title_after("今年前 8 个月工作回顾。").0,
            "今年前 8 个月工作回顾"
        );
    }

    #[test]
    fn full_width_and_half_width_markers_on_their_own_lines() {
        let text = "      一、2013年工作回顾\n过去一年。\n    （一）推动改革。\n改革是首要任务。\n（二）开放\n1．加强领导\n内容。\n（1）细则\n内容。\n 二、2014年工作\n内容。";
        let outline = outline(&lines(text));
        assert_eq!(
            headings(&outline),
            vec![
                "一|2013年工作回顾",
                "-（一）|推动改革",
                "-（二）|开放",
                "--1．|加强领导",
                "---（1）|细则",
                "二|2014年工作",
            ]
        );
    }

    #[test]
    fn bare_numeral_headings_only_on_their_own_line() {
        let text = "一 重工业和轻工业、农业的关系\n重点是重工业。\n二 沿海工业和内地工业的关系\n一 个问题要讲清楚，这句话很长很长很长很长很长很长很长很长很长很长很长。\n注释\n[1]义务交售制。";
        let outline = outline(&lines(text));
        assert_eq!(
            headings(&outline),
            vec![
                "一|重工业和轻工业、农业的关系",
                "二|沿海工业和内地工业的关系",
                "|注释"
            ]
        );
        assert_eq!(outline.sections[2].blocks, vec!["[1]义务交售制。"]);
    }

    #[test]
    fn numbers_out_of_sequence_inline_stay_text() {
        let text = "同志们:我讲三点。三、这不是标题。一、第一点。内容。3.这也不是。";
        let outline = outline(&lines(text));
        assert_eq!(headings(&outline), vec!["一|第一点"]);
        assert_eq!(outline.preamble, vec!["同志们:我讲三点。三、这不是标题。"]);
        assert_eq!(outline.sections[0].blocks, vec!["内容。3.这也不是。"]);
    }

    #[test]
    fn decimals_and_dates_are_not_headings() {
        let text = "增加 1.5 亿元以上。1 至 8 月,收治 923 人。2009 年方案。";
        let outline = outline(&lines(text));
        assert!(outline.sections.is_empty());
        assert_eq!(outline.preamble, vec![text]);
    }

    #[test]
    fn part_headings_contain_numbered_sections() {
        let text = "第一部分 总体要求\n一、指导思想\n内容。\n第二部分 重点任务\n一、稳增长\n内容。";
        let outline = outline(&lines(text));
        assert_eq!(
            headings(&outline),
            vec![
                "第一部分|总体要求",
                "-一|指导思想",
                "第二部分|重点任务",
                "-一|稳增长"
            ]
        );
    }

    #[test]
    fn declared_headings_nest_by_level() {
        let source = vec![
            SourceLine {
                text: "背景".into(),
                declared_heading: Some(2),
            },
            SourceLine::plain("内容。"),
            SourceLine {
                text: "细节".into(),
                declared_heading: Some(3),
            },
            SourceLine::plain("更多内容。"),
        ];
        assert_eq!(headings(&outline(&source)), vec!["|背景", "-|细节"]);
    }
}
