//! Heading candidates: what could be a heading, read from one line or one run of text. Whether
//! a candidate is a heading is decided with the whole document (`mod.rs`) and the numbering
//! (`tree.rs`).

use std::sync::LazyLock;

use regex::Regex;

use crate::patterns::compile;
use crate::text::{
    CLAUSE_ENDS, CLOSERS, SENTENCE_ENDS, arabic_number, chinese_number, ends_clause, is_han,
};

/// The numbering styles of Chinese official texts, outermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `第一部分`, `第一章`, `第一篇`, `第一节`, `第一条`.
    Part,
    /// One of several speeches in a file (`开幕词`, `结论`), with its own date line.
    Piece,
    /// `一、`
    ChineseNumeral,
    /// `一 标题` or `一` alone on its line.
    BareNumeral,
    /// `(一)` or `（一）`
    ParenChinese,
    /// `1.`, `1、`, `１．`
    Arabic,
    /// `(1)` or `（1）`
    ParenArabic,
    /// A heading the format declared (a Markdown `##`), or a part the text names (`引言`,
    /// `注释`), at its level (`一、` is level 1).
    Named(u8),
    /// A short line between paragraphs that reads as a heading, at the rank the document
    /// gives it.
    Unnumbered(u8),
    /// A part the text names (`引言`, `结　　论`), at the level of the text's top sections.
    NamedPart(u8),
}

impl Style {
    /// Nesting rank: a heading nests inside every open heading of a smaller rank. Numbered
    /// styles and declared levels take even ranks; an unnumbered heading may take the odd rank
    /// between two of them (a headline over `(一)` sections inside an `一、` section).
    pub fn rank(self) -> u8 {
        match self {
            Style::Part | Style::Piece => 0,
            Style::ChineseNumeral | Style::BareNumeral => 2,
            Style::ParenChinese => 4,
            Style::Arabic => 6,
            Style::ParenArabic => 8,
            Style::Named(level) => level.saturating_mul(2),
            Style::Unnumbered(rank) | Style::NamedPart(rank) => rank,
        }
    }

    /// The numbering a style counts in: `一、` and a bare `一` are one sequence.
    pub fn family(self) -> Style {
        match self {
            Style::BareNumeral => Style::ChineseNumeral,
            style => style,
        }
    }

    /// Whether headings of this style are numbered, so that their sequence can be checked.
    pub fn is_numbered(self) -> bool {
        !matches!(
            self,
            Style::Piece | Style::Named(_) | Style::Unnumbered(_) | Style::NamedPart(_)
        )
    }
}

/// A heading found in the text, not yet known to fit the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub style: Style,
    pub value: u32,
    pub number: String,
    pub title: String,
    /// The heading stood alone on its line, which makes it trustworthy out of sequence.
    pub own_line: bool,
    /// The exact source text it was read from, restored if it is refused.
    pub original: String,
    /// The date line of a piece.
    pub dateline: Option<String>,
    /// The title ran past `MAX_TITLE_CHARS` before its sentence ended and was cut at its
    /// first clause: a run-on sentence more than a heading.
    pub cut_at_clause: bool,
    /// The document showed it to be an item of a list (or of a table of contents): never a
    /// heading, but it still counts in the list's numbering.
    pub list_item: bool,
}

impl Candidate {
    /// A heading without a number, of style `Named` or `Unnumbered`.
    pub fn unnumbered(style: Style, title: &str, original: &str) -> Candidate {
        Candidate {
            style,
            value: 0,
            number: String::new(),
            title: title.to_owned(),
            own_line: true,
            original: original.to_owned(),
            dateline: None,
            cut_at_clause: false,
            list_item: false,
        }
    }

    /// A list item rather than a heading: it ends a clause, not a heading (`一、…；`), or,
    /// running on in a sentence, it opens with `是` (`一、是…`).
    pub fn reads_as_list_item(&self) -> bool {
        let title = self.title.trim_end();
        self.list_item
            || title.ends_with(['；', ';', '，', ',', '、'])
            || self.original.trim_end().ends_with(['；', ';'])
            || (!self.own_line && title.starts_with('是'))
    }
}

/// Heading titles longer than this are cut at their first clause.
const MAX_TITLE_CHARS: usize = 60;
/// A bare-numeral heading (`一 标题`) is a short line.
const MAX_BARE_HEADING_CHARS: usize = 40;
/// An unnumbered heading is a short line, but more than a word or two …
const MIN_UNNUMBERED_HEADING_CHARS: usize = 4;
const MAX_UNNUMBERED_HEADING_CHARS: usize = 50;
/// … or a headline of a few sentences with no full stop at its end, as summaries in the
/// press have; Chinese only.
const MAX_HEADLINE_CHARS: usize = 80;
const MIN_HEADLINE_HAN: usize = 10;
/// … and, in English, a few words.
const MAX_UNNUMBERED_HEADING_WORDS: usize = 12;

struct Patterns {
    paren_chinese: Regex,
    paren_arabic: Regex,
    chinese_numeral: Regex,
    arabic: Regex,
    part: Regex,
    bare_numeral: Regex,
    lone_numeral: Regex,
    named: Regex,
    dateline: Regex,
}

/// Built-in patterns; the unit tests compile every one, so this cannot fail at run time.
static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| Patterns {
    paren_chinese: compile(r"^[(（]([一二三四五六七八九十]{1,3})[)）][、，,]?"),
    paren_arabic: compile(r"^[(（]([0-9０-９]{1,2})[)）][、，,]?"),
    chinese_numeral: compile(r"^([一二三四五六七八九十]{1,3})、"),
    arabic: compile(r"^([0-9０-９]{1,2})[.．、]"),
    part: compile(r"^第([一二三四五六七八九十百零〇0-9]{1,4})(部分|章|篇|编|节|条)[、：:\s]*"),
    bare_numeral: compile(r"^([一二三四五六七八九十]{1,3})[ \u{3000}]+(\S.*)$"),
    lone_numeral: compile(r"^([一二三四五六七八九十]{1,3})$"),
    // The parts a speech or report names rather than numbers, letter-spaced or not.
    named: compile(
        r"^(引 ?言|导 ?言|前 ?言|序 ?言|绪 ?论|结 ?论|结 ?语|结 ?束 ?语|后 ?记|附 ?录|附 ?件|开 ?幕 ?词|闭 ?幕 ?词|注 ?释|注 ?解)[:：]?$",
    ),
    dateline: compile(
        r"^(?:[(（][^()（）]{0,30}[〇零一二三四五六七八九十0-9０-９]\s*[年月日][^()（）]{0,30}[)）]|[—－]{2}.{0,60}[0-9０-９〇零一二三四五六七八九十]\s*年.*)$",
    ),
});

/// A date line: `（一九五六年九月十五日）`, `——2022年3月5日在…会议上`.
pub fn is_dateline(text: &str) -> bool {
    PATTERNS.dateline.is_match(text)
}

/// A heading that is one whole line: a part the text names (`引言`, `结　　论`), a bare numeral
/// alone or with a short title (`一`, `十 这件事能否办好?`), or a numbered heading.
pub fn own_line_heading(text: &str) -> Option<Candidate> {
    let patterns = &*PATTERNS;
    if let Some(caps) = patterns.named.captures(text) {
        let title: String = caps[1].chars().filter(|c| !c.is_whitespace()).collect();
        return Some(Candidate::unnumbered(
            Style::NamedPart(Style::ChineseNumeral.rank()),
            &title,
            text,
        ));
    }
    if let Some(caps) = patterns.lone_numeral.captures(text) {
        return Some(Candidate {
            style: Style::BareNumeral,
            value: chinese_number(&caps[1])?,
            number: caps[1].to_owned(),
            title: String::new(),
            own_line: true,
            original: text.to_owned(),
            dateline: None,
            cut_at_clause: false,
            list_item: false,
        });
    }
    if let Some(caps) = patterns.bare_numeral.captures(text) {
        let title = caps[2].trim();
        let question = title.ends_with(['？', '?']);
        let fits = text.chars().count() <= MAX_BARE_HEADING_CHARS
            && (question || !title.ends_with(SENTENCE_ENDS));
        if fits {
            return Some(Candidate {
                style: Style::BareNumeral,
                value: chinese_number(&caps[1])?,
                number: caps[1].to_owned(),
                title: title.to_owned(),
                own_line: true,
                original: text.to_owned(),
                dateline: None,
                cut_at_clause: false,
                list_item: false,
            });
        }
    }
    let (mut candidate, consumed) = heading_at(text)?;
    candidate.own_line = consumed == text.len();
    Some(candidate)
}

/// A line that reads like a heading without a number: short with no sentence in it, or (where
/// `headlines` are allowed) a headline; nothing open or dangling (a bracket, a quote, a
/// trailing comma or full stop); not a date line; words in it. Its place in the document
/// decides whether it is one.
pub fn may_be_unnumbered_heading(text: &str, headlines: bool) -> bool {
    let count = text.chars().count();
    let Some(first) = text.chars().next() else {
        return false;
    };
    let last = text.chars().last().unwrap_or(first);
    let han = text.chars().filter(|c| is_han(*c)).count();
    let english = han == 0
        && first.is_ascii_uppercase()
        && text.split_whitespace().count() <= MAX_UNNUMBERED_HEADING_WORDS
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " ,'-&".contains(c));
    let balanced = |open: char, close: char| {
        text.chars().filter(|c| *c == open).count() == text.chars().filter(|c| *c == close).count()
    };
    let headline = headlines && han >= MIN_HEADLINE_HAN && count <= MAX_HEADLINE_CHARS;
    let short = (MIN_UNNUMBERED_HEADING_CHARS..=MAX_UNNUMBERED_HEADING_CHARS).contains(&count)
        && !text.contains(SENTENCE_ENDS);
    (short || headline)
        && (han >= 2 || english)
        && (is_han(first) || first.is_ascii_alphanumeric() || first == '“')
        && !ends_clause(last)
        && !matches!(last, '、' | '—' | '-' | '“' | '《')
        && balanced('《', '》')
        && balanced('“', '”')
        && balanced('（', '）')
        && balanced('(', ')')
        && !is_dateline(text)
}

/// Whether a line starts in the middle of a sentence: with punctuation that closes or
/// continues one (`》`, `，`, `、`), as the pieces of a paragraph broken at its links do.
pub fn starts_mid_sentence(text: &str) -> bool {
    text.starts_with([
        '》', '，', '。', '、', '；', '：', '）', ')', '”', '’', ',', '.',
    ])
}

/// Whether a line ends a paragraph: a sentence end, perhaps followed by closing quotes.
pub fn ends_paragraph(text: &str) -> bool {
    let trimmed = text.trim_end_matches(CLOSERS);
    trimmed.ends_with(SENTENCE_ENDS) || trimmed.ends_with(['：', ':', '.'])
}

/// Splits a line of run-on text into text and heading candidates: at the line start, after
/// each sentence end and after a colon (not after `；`, which separates list items).
pub fn inline_tokens(text: &str) -> Vec<Token> {
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
        at_boundary = if matches!(c, '。' | '！' | '？' | '!' | '?' | '…' | '：' | ':') {
            true
        } else {
            at_boundary && (c.is_whitespace() || CLOSERS.contains(&c))
        };
        position += c.len_utf8();
    }
    if text_start < text.len() {
        tokens.push(Token::Text(text[text_start..].to_owned()));
    }
    tokens
}

/// A piece of a line: text, or a heading candidate.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Text(String),
    Heading(Candidate),
}

/// The first character of every heading marker: a numeral, a digit, a parenthesis or `第`.
fn may_start_heading(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || matches!(c, '(' | '（' | '第')
        || chinese_number(&c.to_string()).is_some()
}

/// A numbered heading starting at the beginning of `text`, with the bytes it spans
/// (number, title and the punctuation that ends the title).
pub fn heading_at(text: &str) -> Option<(Candidate, usize)> {
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
    let (title, consumed, cut_at_clause) = title_after(&text[marker_end..]);
    Some((
        Candidate {
            style,
            value,
            number,
            title,
            own_line: false,
            original: text[..marker_end + consumed].to_owned(),
            dateline: None,
            cut_at_clause,
            list_item: false,
        },
        marker_end + consumed,
    ))
}

/// The title that follows a heading's number: up to the end of its sentence, its line, or a space
/// where a new phrase starts; the ending punctuation is consumed but not part of the title.
/// Also whether the title was too long and was cut at its first clause.
pub fn title_after(rest: &str) -> (String, usize, bool) {
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
            true,
        );
    }
    (title.to_owned(), leading + consumed, false)
}

/// After a space that follows a Han character: another Han character, a bracket (`（一）`), or
/// a number written straight onto its unit (`2014年`), starts a new phrase; a spaced number
/// (`前 8 个月`) does not.
fn starts_a_new_phrase(after: &str) -> bool {
    let mut chars = after.chars();
    match chars.next() {
        Some(c) if is_han(c) || matches!(c, '（' | '(') => true,
        Some(c) if c.is_ascii_digit() => chars
            .find(|c| !c.is_ascii_digit())
            .is_some_and(|c| !c.is_whitespace() && c != '.'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile() {
        LazyLock::force(&PATTERNS);
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
    fn own_line_shapes() {
        let lone = own_line_heading("一").unwrap();
        assert_eq!(
            (lone.style, lone.value, lone.title.as_str()),
            (Style::BareNumeral, 1, "")
        );
        let question = own_line_heading("十 这件事能否办好?").unwrap();
        assert_eq!(
            (question.value, question.title.as_str()),
            (10, "这件事能否办好?")
        );
        let spaced = own_line_heading("结 论").unwrap();
        assert_eq!(
            (spaced.style, spaced.title.as_str()),
            (Style::NamedPart(2), "结论")
        );
        assert!(
            own_line_heading("一 个问题要讲清楚，这句话很长很长很长很长很长很长很长很长很长。")
                .is_none()
        );
    }

    #[test]
    fn unnumbered_headings_are_short_whole_phrases() {
        for heading in [
            "过去五年的回顾",
            "今后五年的主要任务",
            "Review of our work in 2016",
            "这几年取得的巨大成就，是坚决执行自力更生方针的结果",
        ] {
            assert!(may_be_unnumbered_heading(heading, true), "{heading}");
        }
        for text in [
            "中华人民共和国万岁！",
            "各位代表：",
            "、",
            "》和《",
            "本作品是中华人民共和国的《",
            "（一九五六年四月二十五日）",
            "——2022年3月5日在第十三届全国人民代表大会第五次会议上",
            "一",
            "It rose.",
        ] {
            assert!(!may_be_unnumbered_heading(text, true), "{text}");
        }
        assert!(is_dateline("（一九五六年九月十五日）"));
        assert!(is_dateline("(一九五七年一月)"));
        assert!(!is_dateline("（一）关于经济建设"));
    }
}
