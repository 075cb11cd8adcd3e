//! The outline of a text: headings found line by line (`candidates`), judged against the whole
//! document, and assembled into a section tree by their numbering (`tree`).
//!
//! Two shapes of text are read differently. Where the text has its own line breaks, a heading
//! is a line (or starts one): a number inside a paragraph is an enumeration in that paragraph.
//! A run-on scrape has lost its line breaks, so headings are also found after a sentence ends,
//! and must then have text of their own.

mod candidates;
mod tree;

use candidates::{
    Candidate, Style, Token, ends_paragraph, inline_tokens, is_dateline, may_be_unnumbered_heading,
    own_line_heading, starts_mid_sentence,
};
use tree::TreeBuilder;

use crate::text::{CLAUSE_ENDS, SENTENCE_ENDS};

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
    /// The date line of one of several speeches in a file.
    pub dateline: Option<String>,
    /// Text blocks in order: one per source line, or runs of text between inline headings.
    pub blocks: Vec<String>,
    pub children: Vec<OutlineSection>,
}

/// How the text reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Lines as the author broke them: one paragraph or heading a line.
    Lines,
    /// A scrape whose line breaks were lost: headings run on inside the text.
    RunOn,
}

/// In run-on text, a heading has at least this much text of its own before the next one of
/// its style; less, and it is an item of a list.
const MIN_OWN_TEXT_CHARS: usize = 8;

/// Builds the outline of a text given as lines.
pub fn outline(lines: &[SourceLine], shape: Shape) -> Outline {
    let tokens = match shape {
        Shape::Lines => line_tokens(lines),
        Shape::RunOn => run_on_tokens(lines),
    };
    let mut builder = TreeBuilder::default();
    for line in tokens {
        for token in line {
            builder.push(token);
        }
        builder.end_line();
    }
    builder.finish()
}

/// What a line reads as, before the document decides.
enum LineKind {
    Heading(Candidate),
    /// A short line that reads like a heading without a number.
    MaybeHeading,
    Dateline,
    Text,
}

/// Tokens of text with its own line breaks: each line is one heading or one text block (a
/// numbered heading may run in at its start); an unnumbered line is a heading where the
/// paragraphs around it say so.
fn line_tokens(lines: &[SourceLine]) -> Vec<Vec<Token>> {
    let texts: Vec<&str> = lines.iter().map(|line| line.text.trim()).collect();
    // Paragraphs broken into pieces (at their links, say) leave lines that end mid-sentence:
    // there, a line without a full stop is no sign of a headline.
    let broken = texts
        .iter()
        .filter(|text| starts_mid_sentence(text))
        .count();
    let headlines = broken < MIN_BROKEN_LINES;
    // A document that marks its headings (Word's heading styles, Markdown's `#`) has no others.
    let declares_headings = lines.iter().any(|line| line.declared_heading.is_some());
    let kinds: Vec<LineKind> = lines
        .iter()
        .zip(&texts)
        .map(|(line, text)| match line.declared_heading {
            None if declares_headings => LineKind::Text,
            _ => classify(line, text, headlines),
        })
        .collect();
    let mut headings: Vec<Option<Candidate>> = kinds
        .iter()
        .enumerate()
        .map(|(index, kind)| match kind {
            LineKind::Heading(candidate) => Some(candidate.clone()),
            LineKind::MaybeHeading if stands_as_heading(&kinds, &texts, index) => Some(
                Candidate::unnumbered(Style::Unnumbered(1), texts[index], texts[index]),
            ),
            _ => None,
        })
        .collect();
    let datelines = attach_datelines(&mut headings, &kinds, &texts);
    rank_unnumbered(&mut headings);
    texts
        .iter()
        .zip(headings)
        .enumerate()
        .filter(|(index, (text, _))| !text.is_empty() && !datelines.contains(index))
        .map(|(_, (text, heading))| match heading {
            Some(candidate) if candidate.own_line || candidate.original.len() >= text.len() => {
                vec![Token::Heading(candidate)]
            }
            Some(candidate) => {
                let rest = text[candidate.original.len()..].to_owned();
                vec![Token::Heading(candidate), Token::Text(rest)]
            }
            None => vec![Token::Text((*text).to_owned())],
        })
        .collect()
}

/// A text with this many lines that start mid-sentence has its paragraphs broken into pieces.
const MIN_BROKEN_LINES: usize = 3;

fn classify(line: &SourceLine, text: &str, headlines: bool) -> LineKind {
    if text.is_empty() {
        return LineKind::Text;
    }
    if let Some(level) = line.declared_heading {
        // The format says what level it is: its number, if any, is only split off the title.
        let style = Style::Named(level.saturating_sub(1));
        let candidate = own_line_heading(text)
            .filter(|c| c.style.is_numbered())
            .map(|c| Candidate { style, ..c })
            .unwrap_or_else(|| Candidate::unnumbered(style, text, text));
        return LineKind::Heading(Candidate {
            own_line: true,
            ..candidate
        });
    }
    if let Some(candidate) = own_line_heading(text) {
        return LineKind::Heading(candidate);
    }
    if is_dateline(text) {
        LineKind::Dateline
    } else if may_be_unnumbered_heading(text, headlines) {
        LineKind::MaybeHeading
    } else {
        LineKind::Text
    }
}

/// The nearest non-empty line before or after `index`.
fn neighbour(texts: &[&str], index: usize, forward: bool) -> Option<usize> {
    let mut at = index;
    loop {
        at = if forward { at + 1 } else { at.checked_sub(1)? };
        match texts.get(at) {
            None => return None,
            Some(&"") => continue,
            Some(_) => return Some(at),
        }
    }
}

/// An unnumbered line is a heading when a paragraph (or a heading) ends before it and the
/// next line opens a paragraph, a numbered heading, or its date line; a line that merely
/// breaks a sentence, a title above the front matter, or a signature is not.
fn stands_as_heading(kinds: &[LineKind], texts: &[&str], index: usize) -> bool {
    let Some(before) = neighbour(texts, index, false) else {
        return false;
    };
    let Some(after) = neighbour(texts, index, true) else {
        return false;
    };
    let closed_before = match &kinds[before] {
        LineKind::Heading(_) => true,
        LineKind::Text => ends_paragraph(texts[before]),
        LineKind::Dateline | LineKind::MaybeHeading => false,
    };
    let opens_after = match &kinds[after] {
        LineKind::Heading(candidate) => candidate.style.is_numbered(),
        LineKind::Text => !starts_mid_sentence(texts[after]),
        LineKind::Dateline => neighbour(texts, after, true).is_some(),
        LineKind::MaybeHeading => false,
    };
    closed_before && opens_after
}

/// A heading followed by a date line and then text is one of several speeches in the file:
/// a piece, holding its date. Returns the date lines taken.
fn attach_datelines(
    headings: &mut [Option<Candidate>],
    kinds: &[LineKind],
    texts: &[&str],
) -> Vec<usize> {
    let mut taken = Vec::new();
    for (index, heading) in headings.iter_mut().enumerate() {
        let Some(candidate) = heading else {
            continue;
        };
        let Some(after) = neighbour(texts, index, true) else {
            continue;
        };
        let followed_by_text = neighbour(texts, after, true).is_some();
        if matches!(kinds[after], LineKind::Dateline) && followed_by_text {
            if !candidate.style.is_numbered() {
                candidate.style = Style::Piece;
            }
            candidate.dateline = Some(texts[after].to_owned());
            taken.push(after);
        }
    }
    taken
}

/// Gives the unnumbered headings their rank from the whole document. One that is followed
/// by the first of a numbered sequence (`（一）`) contains that sequence; another sits inside
/// the numbered section before it, or at the top. Headings of one kind share a rank, the
/// highest any of them shows: names of parts (no punctuation inside), and headline sentences
/// (`…，…`), which are a level below names where a text has both. The parts a text names
/// (`引言`, `结束语`) stand at the top level.
fn rank_unnumbered(headings: &mut [Option<Candidate>]) {
    let present: Vec<usize> = (0..headings.len())
        .filter(|&at| headings[at].is_some())
        .collect();
    let heading = |at: usize| headings[at].as_ref();
    let has_clause =
        |c: &Candidate| c.title.contains(CLAUSE_ENDS) || c.title.contains(SENTENCE_ENDS);
    let mut group_rank = [u8::MAX; 2];
    for (order, &at) in present.iter().enumerate() {
        let Some(candidate) = heading(at).filter(|c| matches!(c.style, Style::Unnumbered(_)))
        else {
            continue;
        };
        let next = present.get(order + 1).and_then(|&n| heading(n));
        let previous_numbered = present[..order]
            .iter()
            .rev()
            .filter_map(|&p| heading(p))
            .find(|c| c.style.is_numbered());
        let rank = match (next, previous_numbered) {
            (Some(next), _) if next.style.is_numbered() && next.value == 1 => {
                next.style.rank().saturating_sub(1)
            }
            (_, Some(previous)) => previous.style.rank() + 1,
            (_, None) => 1,
        };
        let group = usize::from(has_clause(candidate));
        group_rank[group] = group_rank[group].min(rank);
    }
    if group_rank[0] == group_rank[1] {
        group_rank[1] = group_rank[1].saturating_add(1);
    }
    let top = group_rank[0].min(Style::ChineseNumeral.rank());
    for candidate in headings.iter_mut().flatten() {
        match candidate.style {
            Style::Unnumbered(_) => {
                candidate.style = Style::Unnumbered(group_rank[usize::from(has_clause(candidate))]);
            }
            Style::NamedPart(_) => candidate.style = Style::NamedPart(top),
            _ => {}
        }
    }
}

/// Tokens of run-on text: headings at line starts and after sentence ends; then the entries
/// of a table of contents, and headings without text of their own before the next heading of
/// their style, marked as list items.
fn run_on_tokens(lines: &[SourceLine]) -> Vec<Vec<Token>> {
    let mut tokens: Vec<Vec<Token>> = lines
        .iter()
        .map(|line| {
            let text = line.text.trim();
            if text.is_empty() {
                return Vec::new();
            }
            if line.declared_heading.is_some() {
                return line_tokens(std::slice::from_ref(line)).concat();
            }
            match own_line_heading(text) {
                Some(candidate) if candidate.own_line => vec![Token::Heading(candidate)],
                _ => inline_tokens(text),
            }
        })
        .collect();
    let positions: Vec<(usize, usize)> = tokens
        .iter()
        .enumerate()
        .flat_map(|(line, tokens)| (0..tokens.len()).map(move |index| (line, index)))
        .collect();
    let flat: Vec<&Token> = positions.iter().map(|&(l, i)| &tokens[l][i]).collect();
    let mut demote = table_of_contents(&flat);
    demote.extend(list_items(&flat));
    for at in demote {
        let (line, index) = positions[at];
        if let Token::Heading(candidate) = &mut tokens[line][index] {
            candidate.list_item = true;
        }
    }
    tokens
}

/// Visible characters of a text token; none for a heading.
fn text_chars(token: &Token) -> usize {
    match token {
        Token::Text(text) => text.chars().filter(|c| !c.is_whitespace()).count(),
        Token::Heading(_) => 0,
    }
}

/// The headings listed after a `目录`, up to the first text of some length.
fn table_of_contents(tokens: &[&Token]) -> Vec<usize> {
    let Some(start) = tokens.iter().position(|token| {
        matches!(token, Token::Text(text) if text.trim_end().ends_with("目录") || text.trim_end().ends_with("目 录"))
    }) else {
        return Vec::new();
    };
    tokens[start + 1..]
        .iter()
        .enumerate()
        .take_while(|(_, token)| text_chars(token) < MIN_OWN_TEXT_CHARS)
        .filter(|(_, token)| matches!(token, Token::Heading(_)))
        .map(|(offset, _)| start + 1 + offset)
        .collect()
}

/// Inline headings that are items of a list: with less than `MIN_OWN_TEXT_CHARS` of text
/// before the next heading of their style, or the first of a sequence whose second reads as a
/// list item or runs on as a sentence (`（1）…。…（2）…，…`).
fn list_items(tokens: &[&Token]) -> Vec<usize> {
    let mut items = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        let Token::Heading(candidate) = token else {
            continue;
        };
        if candidate.own_line {
            continue;
        }
        let mut own_text = 0;
        for next in &tokens[at + 1..] {
            if let Token::Heading(next) = next
                && next.style == candidate.style
            {
                let sibling_is_item = candidate.value == 1
                    && next.value == 2
                    && (next.reads_as_list_item() || next.cut_at_clause);
                if own_text < MIN_OWN_TEXT_CHARS || sibling_is_item {
                    items.push(at);
                }
                break;
            }
            own_text += text_chars(next);
        }
    }
    items
}

#[cfg(test)]
mod tests;
