//! Word segmentation: one jieba-rs dictionary per process, extended by the collection's
//! `userdict.txt`, and the character tokens that make Chinese search exact.

use crate::model::Speech;
use crate::text::{fold_width, is_han};
use jieba_rs::Jieba;
use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, LazyLock};

/// jieba's own dictionary, loaded once per process and shared by every segmenter that adds no
/// words of its own.
static JIEBA_DICTIONARY: LazyLock<Arc<Jieba>> = LazyLock::new(|| Arc::new(Jieba::new()));

/// Starts loading jieba's dictionary on another thread, so that it is ready by the time the
/// collection has been parsed.
pub fn preload_dictionary() {
    std::thread::spawn(|| LazyLock::force(&JIEBA_DICTIONARY));
}

/// The segmenter shared by search and statistics.
#[derive(Clone)]
pub struct Segmenter {
    jieba: Arc<Jieba>,
}

/// A line of `userdict.txt`: `word [frequency] [tag]`.
struct UserWord<'a> {
    word: &'a str,
    frequency: Option<usize>,
    tag: Option<&'a str>,
}

impl Segmenter {
    /// jieba's dictionary with the user dictionary's words added. Returns the segmenter and a
    /// warning for each user-dictionary line that was not a word.
    pub fn new(user_dictionary: Option<&str>) -> (Segmenter, Vec<String>) {
        let mut words = Vec::new();
        let mut warnings = Vec::new();
        for (number, line) in user_dictionary.unwrap_or_default().lines().enumerate() {
            let mut fields = line.split_whitespace();
            let Some(word) = fields.next() else { continue };
            if word.starts_with('#') {
                continue;
            }
            let frequency = match fields.next().map(str::parse::<usize>) {
                Some(Ok(frequency)) => Some(frequency),
                Some(Err(_)) => {
                    warnings.push(format!(
                        "userdict.txt line {}: the frequency is not a number",
                        number + 1
                    ));
                    continue;
                }
                None => None,
            };
            let tag = fields.next();
            words.push(UserWord {
                word,
                frequency,
                tag,
            });
        }
        let jieba = if words.is_empty() {
            Arc::clone(&JIEBA_DICTIONARY)
        } else {
            let mut jieba = Jieba::clone(&JIEBA_DICTIONARY);
            for UserWord {
                word,
                frequency,
                tag,
            } in words
            {
                jieba.add_word(word, frequency, tag);
            }
            Arc::new(jieba)
        };
        (Segmenter { jieba }, warnings)
    }

    /// The dictionary itself, for jieba's own keyword extraction.
    pub fn jieba(&self) -> &Jieba {
        &self.jieba
    }

    /// The words of `text` in order, whitespace and punctuation left out.
    pub fn words<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.jieba
            .cut(text, true)
            .into_iter()
            .map(|token| token.word)
            .filter(|word| word.chars().any(|c| is_han(c) || c.is_alphanumeric()))
            .collect()
    }

    /// The byte ranges of every dictionary word that occurs in `text`, overlapping ones
    /// included (jieba's full mode, which only looks words up and cuts nothing): a word is
    /// found wherever it occurs.
    pub fn all_dictionary_words(&self, text: &str) -> Vec<Range<usize>> {
        self.jieba
            .cut_all(text)
            .into_iter()
            .map(|token| token.byte_start..token.byte_end)
            .collect()
    }

    /// Whether the dictionary (jieba's, with the user dictionary) holds `word`.
    pub fn is_dictionary_word(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }
}

/// A speech's words, segmented once for all the statistics.
pub struct SegmentedSpeech<'a> {
    /// Words of each paragraph, in `Speech::paragraphs()` order.
    pub paragraphs: Vec<Vec<&'a str>>,
    /// Words of each section's title, in `Speech::sections_flat()` order.
    pub headings: Vec<Vec<&'a str>>,
}

impl Segmenter {
    /// A speech's words, given its paragraphs' words (segmented by the caller, which wants
    /// them in another form too): the headings are segmented here.
    pub fn segment_with<'a>(
        &self,
        speech: &'a Speech,
        paragraphs: Vec<Vec<&'a str>>,
    ) -> SegmentedSpeech<'a> {
        SegmentedSpeech {
            paragraphs,
            headings: speech
                .sections_flat()
                .iter()
                .map(|s| self.words(&s.title))
                .collect(),
        }
    }
}

/// A search token at character level: one Han character, one run of Latin letters or digits
/// (lowercased, full-width folded), or `%`. Whitespace separates tokens; punctuation separates
/// them too and leaves a gap in their positions, so that a term never matches across it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharToken {
    pub text: String,
    pub span: TokenSpan,
}

/// Where a token is: its byte range in the text it came from, and its position, counted with
/// gaps at punctuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenSpan {
    pub start: usize,
    pub end: usize,
    pub position: u32,
}

/// `text` without the whitespace between two ideographs (`低 保`, a line wrapped in a scrape),
/// which search reads through; allocates only when there is some.
pub fn join_ideographs(text: &str) -> Cow<'_, str> {
    let mut joined = String::new();
    let mut copied = 0;
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_whitespace() && previous.is_some_and(is_han) {
            let gap_end = loop {
                match chars.peek() {
                    Some(&(_, next)) if next.is_whitespace() => {
                        chars.next();
                    }
                    Some(&(end, next)) => break is_han(next).then_some(end),
                    None => break None,
                }
            };
            if let Some(end) = gap_end {
                joined.push_str(&text[copied..at]);
                copied = end;
            }
        }
        previous = Some(c);
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    joined.push_str(&text[copied..]);
    Cow::Owned(joined)
}

/// Walks the character tokens of a text, writing each token's text into a caller's buffer, so
/// that indexing a long text allocates nothing per token.
pub struct CharTokenWalker<'a> {
    text: &'a str,
    offset: usize,
    /// The next token's position, and whether punctuation came since the last token.
    position: u32,
    after_punctuation: bool,
}

impl<'a> CharTokenWalker<'a> {
    pub fn new(text: &'a str) -> Self {
        CharTokenWalker {
            text,
            offset: 0,
            position: 0,
            after_punctuation: false,
        }
    }

    /// The next token's span; its text replaces the contents of `buffer`.
    pub fn next_into(&mut self, buffer: &mut String) -> Option<TokenSpan> {
        buffer.clear();
        let mut run_start = None;
        for (relative, original) in self.text[self.offset..].char_indices() {
            let start = self.offset + relative;
            let end = start + original.len_utf8();
            let c = fold_width(original);
            let in_run = !is_han(c) && c.is_alphanumeric();
            match run_start {
                Some(_) if in_run => buffer.extend(c.to_lowercase()),
                Some(run) => {
                    self.offset = start;
                    return Some(self.emit(run, start));
                }
                None if is_han(c) || c == '%' => {
                    buffer.push(c);
                    self.offset = end;
                    return Some(self.emit(start, end));
                }
                None if in_run => {
                    run_start = Some(start);
                    buffer.extend(c.to_lowercase());
                }
                None => self.after_punctuation |= !c.is_whitespace(),
            }
        }
        self.offset = self.text.len();
        run_start.map(|run| self.emit(run, self.text.len()))
    }

    fn emit(&mut self, start: usize, end: usize) -> TokenSpan {
        if self.after_punctuation && self.position > 0 {
            self.position += 1;
        }
        self.after_punctuation = false;
        let span = TokenSpan {
            start,
            end,
            position: self.position,
        };
        self.position += 1;
        span
    }
}

pub fn char_tokens(text: &str) -> Vec<CharToken> {
    let mut walker = CharTokenWalker::new(text);
    let mut buffer = String::new();
    let mut tokens = Vec::new();
    while let Some(span) = walker.next_into(&mut buffer) {
        tokens.push(CharToken {
            text: buffer.clone(),
            span,
        });
    }
    tokens
}

/// Byte ranges where `term` (its character tokens) occurs in `text`: the same tokens at the
/// same relative positions, which is how the search index matches a phrase.
pub fn occurrences(text: &str, term: &[CharToken]) -> Vec<(usize, usize)> {
    let Some(first) = term.first() else {
        return Vec::new();
    };
    // The text's tokens, their texts kept in one buffer rather than a string each.
    let mut spans: Vec<(TokenSpan, Range<usize>)> = Vec::new();
    let mut texts = String::new();
    let mut walker = CharTokenWalker::new(text);
    let mut token = String::new();
    while let Some(span) = walker.next_into(&mut token) {
        let at = texts.len();
        texts.push_str(&token);
        spans.push((span, at..texts.len()));
    }
    spans
        .windows(term.len())
        .filter(|window| {
            let origin = window[0].0.position;
            window.iter().zip(term).all(|((span, at), wanted)| {
                texts[at.clone()] == wanted.text
                    && span.position - origin == wanted.span.position - first.span.position
            })
        })
        .map(|window| (window[0].0.start, window[term.len() - 1].0.end))
        .collect()
}

/// Stop words of Chinese and English from the `stop-words` crate's ISO lists.
static STOP_WORDS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    ["zh", "en"]
        .iter()
        .filter_map(|code| stop_words::lookup(code))
        .flat_map(|words| words.iter().copied())
        .collect()
});

/// The filler of official speech (`进行`, `没有`, `这是` …): words that name nothing, built
/// from the reference corpora by `scripts/filler.rs` (`data/README.md`).
static FILLER: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/filler.txt")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(str::trim)
        .collect()
});

/// Whether a term is filler of official speech, left out of top terms and keywords.
pub fn is_filler(term: &str) -> bool {
    FILLER.contains(term)
}

/// A word worth counting: two characters or more, with letters, not a stop word.
pub fn is_term(word: &str) -> bool {
    word.chars().count() >= 2
        && word.chars().any(|c| is_han(c) || c.is_alphabetic())
        && !word.chars().any(|c| c.is_ascii_digit())
        && !STOP_WORDS.contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        char_tokens(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn filler_is_what_the_reference_corpora_show() {
        for word in ["进行", "得到", "没有", "这是", "一点", "已经"] {
            assert!(is_filler(word), "{word}");
        }
        for word in ["发展", "经济", "就业", "低保", "民政"] {
            assert!(!is_filler(word), "{word}");
        }
    }

    #[test]
    fn char_tokens_split_han_keep_runs_and_fold_width() {
        assert_eq!(
            texts("低保资金11134 万元"),
            vec!["低", "保", "资", "金", "11134", "万", "元"]
        );
        assert_eq!(
            texts("上岗率达到了80%以上;"),
            vec!["上", "岗", "率", "达", "到", "了", "80", "%", "以", "上"]
        );
        assert_eq!(
            texts("ＰＰＴ文件，１９６４年"),
            vec!["ppt", "文", "件", "1964", "年"]
        );
        assert_eq!(texts("“三院合一”"), vec!["三", "院", "合", "一"]);
        let tokens = char_tokens("民政 PPT");
        assert_eq!((tokens[2].span.start, tokens[2].span.end), (7, 10));
    }

    #[test]
    fn punctuation_leaves_a_gap_in_positions_and_whitespace_does_not() {
        let positions = |text: &str| -> Vec<u32> {
            char_tokens(text)
                .into_iter()
                .map(|t| t.span.position)
                .collect()
        };
        assert_eq!(positions("低保 资金"), vec![0, 1, 2, 3]);
        assert_eq!(positions("降低，保障"), vec![0, 1, 3, 4]);
        assert_eq!(positions("1.5亿元"), vec![0, 2, 3, 4]);
        assert_eq!(
            positions("，开头"),
            vec![0, 1],
            "no gap before the first token"
        );
    }

    #[test]
    fn occurrences_match_tokens_at_the_same_relative_positions() {
        let term = char_tokens("低保");
        assert_eq!(
            occurrences("城市低保、农村低 保", &term),
            vec![(6, 12), (21, 28)]
        );
        assert!(occurrences("降低，保障", &term).is_empty());
        let decimal = char_tokens("1.5亿元");
        assert_eq!(occurrences("资金1.5亿元", &decimal), vec![(6, 15)]);
        assert_eq!(
            occurrences("资金1，5亿元", &decimal).len(),
            1,
            "any punctuation is one gap"
        );
        assert!(occurrences("资金15亿元", &decimal).is_empty());
        assert!(occurrences("任何文字", &[]).is_empty());
    }

    #[test]
    fn whitespace_between_ideographs_is_removed_and_other_whitespace_kept() {
        assert_eq!(join_ideographs("城市低 \n保资金"), "城市低保资金");
        assert_eq!(
            join_ideographs("11134 万元 PPT 文件"),
            "11134 万元 PPT 文件"
        );
        assert_eq!(join_ideographs("低保 PPT"), "低保 PPT");
        assert!(matches!(join_ideographs("没有空格"), Cow::Borrowed(_)));
        assert_eq!(join_ideographs("尾 "), "尾 ");
    }

    #[test]
    fn words_skip_punctuation_and_user_words_are_kept_whole() {
        let (plain, _) = Segmenter::new(None);
        let words = plain.words("全市民政系统,兢兢业业保民生。");
        assert!(words.contains(&"民政") && !words.contains(&","));
        let (custom, warnings) = Segmenter::new(Some("三院合一 5\n# comment\n敬老院\n坏行 x\n"));
        assert!(custom.words("根据三院合一的建设思路").contains(&"三院合一"));
        assert_eq!(
            warnings,
            vec!["userdict.txt line 4: the frequency is not a number"]
        );
    }
}
