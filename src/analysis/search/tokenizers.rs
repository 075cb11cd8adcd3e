//! The tokenizers of the fields: every character token of a text (with punctuation gaps), and
//! every dictionary word of it that is a term, both streamed into one reused token; and the
//! words of a whole speech, each once, taken from what the words tokenizer found in its
//! paragraphs and headings rather than segmented a second time.

use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::analysis::segment::{CharTokenWalker, Segmenter, is_term, join_ideographs};
use crate::text::lowercase;

pub const CHARS_TOKENIZER: &str = "rostrum_chars";
pub const WORDS_TOKENIZER: &str = "rostrum_words";
pub const SPEECH_WORDS_TOKENIZER: &str = "rostrum_speech_words";

thread_local! {
    /// The words `WordTokenizer` streamed on this thread since `SpeechWordsTokenizer` last
    /// took them. One indexing thread indexes a speech's documents in order, its speech-level
    /// document last (`build::add_documents`), so these are then the words of that speech.
    static WORDS_SEEN: RefCell<FxHashSet<String>> = RefCell::new(FxHashSet::default());
}

/// Character tokens streamed into one reused tantivy token.
pub struct CharTokenStream<'a> {
    walker: CharTokenWalker<'a>,
    token: Token,
}

impl TokenStream for CharTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self.walker.next_into(&mut self.token.text) {
            Some(span) => {
                self.token.offset_from = span.start;
                self.token.offset_to = span.end;
                self.token.position = span.position as usize;
                true
            }
            None => false,
        }
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[derive(Clone)]
pub struct CharTokenizer;

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = CharTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> CharTokenStream<'a> {
        CharTokenStream {
            walker: CharTokenWalker::new(text),
            token: Token::default(),
        }
    }
}

/// Every dictionary word of a text that is a term (as the statistics count them: two characters
/// or more, not a stop word), overlapping words included, streamed into one reused tantivy
/// token, lowercased. Single characters and stop words are left to the character field.
pub struct WordTokenStream<'a> {
    /// The text with whitespace between ideographs removed; offsets are into it.
    text: Cow<'a, str>,
    words: std::vec::IntoIter<Range<usize>>,
    token: Token,
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let text = &self.text;
        let Some(word) = self.words.find(|word| is_term(&text[word.clone()])) else {
            return false;
        };
        self.token.text.clear();
        self.token
            .text
            .push_str(&lowercase(&self.text[word.clone()]));
        self.token.offset_from = word.start;
        self.token.offset_to = word.end;
        self.token.position = self.token.position.wrapping_add(1);
        WORDS_SEEN.with_borrow_mut(|seen| {
            if !seen.contains(&self.token.text) {
                seen.insert(self.token.text.clone());
            }
        });
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[derive(Clone)]
pub struct WordTokenizer(pub Segmenter);

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        let text = join_ideographs(text);
        WordTokenStream {
            words: self.0.all_dictionary_words(&text).into_iter(),
            text,
            token: Token::default(),
        }
    }
}

/// The words `WordTokenizer` found on this thread since this tokenizer last ran, each once,
/// whatever the text it is given: the speech-level document's words are those of the
/// speech's documents indexed just before it, so jieba's full mode runs once over the text.
#[derive(Clone)]
pub struct SpeechWordsTokenizer;

/// The words of one speech, each once.
pub struct SpeechWordsStream {
    words: std::collections::hash_set::IntoIter<String>,
    token: Token,
}

impl TokenStream for SpeechWordsStream {
    fn advance(&mut self) -> bool {
        let Some(word) = self.words.next() else {
            return false;
        };
        self.token.text = word;
        self.token.position = self.token.position.wrapping_add(1);
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for SpeechWordsTokenizer {
    type TokenStream<'a> = SpeechWordsStream;
    fn token_stream<'a>(&'a mut self, _text: &'a str) -> SpeechWordsStream {
        SpeechWordsStream {
            words: WORDS_SEEN.with_borrow_mut(std::mem::take).into_iter(),
            token: Token::default(),
        }
    }
}
