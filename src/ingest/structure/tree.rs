//! Assembling the section tree from text and heading candidates, in order: a numbered heading
//! must continue its style's sequence (or start one), and a sequence that starts again while
//! its style is still open is a list inside a section, not a new set of sections.

use super::candidates::{Candidate, Style, Token};
use super::{Outline, OutlineSection};

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
    dateline: Option<String>,
    blocks: Vec<String>,
    children: Vec<usize>,
}

/// Items of a running list may be missed (one not after a sentence end, say): an item this many
/// numbers ahead still continues the list.
const LIST_GAP: u32 = 2;

/// A numbered list running inside a section: its items are text.
struct ListRun {
    style: Style,
    next_value: u32,
}

/// Assembles the section tree from tokens, refusing headings that break their numbering.
#[derive(Default)]
pub struct TreeBuilder {
    arena: Vec<ArenaSection>,
    roots: Vec<usize>,
    stack: Vec<Open>,
    preamble: Vec<String>,
    list: Option<ListRun>,
    /// The current line's text is still being collected into the last block.
    line_open: bool,
}

impl TreeBuilder {
    pub fn push(&mut self, token: Token) {
        match token {
            Token::Text(text) => self.push_text(&text),
            Token::Heading(candidate) => {
                if !self.accept(&candidate) {
                    self.push_text(&candidate.original);
                }
            }
        }
    }

    pub fn end_line(&mut self) {
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

    /// Whether a numbered candidate continues a list running inside the current section, or
    /// starts one: its style is open further up and its numbering starts again at 1.
    fn is_list_item(&mut self, candidate: &Candidate) -> bool {
        if let Some(list) = &mut self.list
            && list.style == candidate.style.family()
            && (list.next_value..=list.next_value + LIST_GAP).contains(&candidate.value)
        {
            list.next_value = candidate.value + 1;
            return true;
        }
        let restarts_open_style = candidate.value == 1
            && self
                .stack
                .iter()
                .any(|open| open.style.family() == candidate.style.family());
        if restarts_open_style {
            self.list = Some(ListRun {
                style: candidate.style.family(),
                next_value: 2,
            });
        }
        restarts_open_style
    }

    /// Places a heading in the tree if its number continues its style's sequence (or starts one);
    /// returns false when it does not fit and must stay text.
    fn accept(&mut self, candidate: &Candidate) -> bool {
        let style = candidate.style;
        if style.is_numbered() {
            let in_list = self.is_list_item(candidate);
            if in_list || candidate.reads_as_list_item() {
                return false;
            }
        }
        let sibling = self
            .stack
            .iter()
            .rposition(|open| open.style.family() == style.family());
        let fits = match (style.is_numbered(), sibling) {
            (false, _) => true,
            (true, Some(index)) => {
                let previous = self.stack[index].value;
                candidate.value == previous + 1
                    || (candidate.own_line && candidate.value > previous)
            }
            (true, None) => candidate.value == 1 || candidate.own_line,
        };
        if !fits {
            return false;
        }
        match sibling {
            Some(index) if style.is_numbered() => self.stack.truncate(index),
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
        self.list = None;
        let section = self.arena.len();
        self.arena.push(ArenaSection {
            number: candidate.number.clone(),
            title: candidate.title.clone(),
            dateline: candidate.dateline.clone(),
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

    pub fn finish(mut self) -> Outline {
        fn build(arena: &mut Vec<ArenaSection>, index: usize) -> OutlineSection {
            let children = std::mem::take(&mut arena[index].children);
            let children = children.into_iter().map(|c| build(arena, c)).collect();
            let section = &mut arena[index];
            OutlineSection {
                number: std::mem::take(&mut section.number),
                title: std::mem::take(&mut section.title),
                dateline: section.dateline.take(),
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
