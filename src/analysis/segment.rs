//! Word segmentation: one jieba-rs dictionary per process, extended by the collection's
//! `userdict.txt`, and the character tokens that make Chinese search exact.

use crate::model::Speech;
use jieba_rs::Jieba;
use std::sync::Arc;

/// The segmenter shared by search and statistics.
#[derive(Clone)]
pub struct Segmenter {
    jieba: Arc<Jieba>,
}

impl Segmenter {
    /// Loads jieba's dictionary, then the user dictionary's lines (`word [frequency] [tag]`).
    /// Returns the segmenter and a warning for each user-dictionary line that was not a word.
    pub fn new(user_dictionary: Option<&str>) -> (Segmenter, Vec<String>) {
        let mut jieba = Jieba::new();
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
            jieba.add_word(word, frequency, fields.next());
        }
        (
            Segmenter {
                jieba: Arc::new(jieba),
            },
            warnings,
        )
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
            .filter(|word| word.chars().any(|c| is_ideograph(c) || c.is_alphanumeric()))
            .collect()
    }
}

/// A speech's words, segmented once for both the index and the statistics.
pub struct SegmentedSpeech<'a> {
    /// Words of each paragraph, in `Speech::paragraphs()` order.
    pub paragraphs: Vec<Vec<&'a str>>,
    /// Words of each section's title, in `Speech::sections_flat()` order.
    pub headings: Vec<Vec<&'a str>>,
}

impl Segmenter {
    /// Segments every paragraph and heading of a speech.
    pub fn segment<'a>(&self, speech: &'a Speech) -> SegmentedSpeech<'a> {
        SegmentedSpeech {
            paragraphs: speech
                .paragraphs()
                .map(|(_, p)| self.words(&p.text))
                .collect(),
            headings: speech
                .sections_flat()
                .iter()
                .map(|s| self.words(&s.title))
                .collect(),
        }
    }
}

/// A search token at character level: one Han character, one run of Latin letters or digits
/// (lowercased, full-width folded), or `%`. Whitespace and punctuation separate tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharToken {
    pub text: String,
    /// Byte range in the text it came from.
    pub start: usize,
    pub end: usize,
}

/// Full-width ASCII (`１９６４`, `ＰＰＴ`, `％`) as its half-width form.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

pub fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Walks the character tokens of a text, writing each token's text into a caller's buffer, so
/// that indexing a long text allocates nothing per token.
pub struct CharTokenWalker<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> CharTokenWalker<'a> {
    pub fn new(text: &'a str) -> Self {
        CharTokenWalker { text, position: 0 }
    }

    /// The next token's byte range; its text replaces the contents of `buffer`.
    pub fn next_into(&mut self, buffer: &mut String) -> Option<(usize, usize)> {
        buffer.clear();
        let mut run_start = None;
        for (offset, original) in self.text[self.position..].char_indices() {
            let start = self.position + offset;
            let end = start + original.len_utf8();
            let c = fold_width(original);
            let in_run = !is_ideograph(c) && c.is_alphanumeric();
            match run_start {
                Some(_) if in_run => buffer.extend(c.to_lowercase()),
                Some(run) => {
                    self.position = start;
                    return Some((run, start));
                }
                None if is_ideograph(c) || c == '%' => {
                    buffer.push(c);
                    self.position = end;
                    return Some((start, end));
                }
                None if in_run => {
                    run_start = Some(start);
                    buffer.extend(c.to_lowercase());
                }
                None => {}
            }
        }
        self.position = self.text.len();
        run_start.map(|run| (run, self.text.len()))
    }
}

pub fn char_tokens(text: &str) -> Vec<CharToken> {
    let mut walker = CharTokenWalker::new(text);
    let mut buffer = String::new();
    let mut tokens = Vec::new();
    while let Some((start, end)) = walker.next_into(&mut buffer) {
        tokens.push(CharToken {
            text: buffer.clone(),
            start,
            end,
        });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        char_tokens(text).into_iter().map(|t| t.text).collect()
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
        assert_eq!((tokens[2].start, tokens[2].end), (7, 10));
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
