//! Word segmentation: one jieba-rs dictionary per process, extended by the collection's
//! `userdict.txt`, and the character tokens that make Chinese search exact.

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
            .filter(|word| word.chars().any(char::is_alphanumeric))
            .collect()
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

fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

pub fn char_tokens(text: &str) -> Vec<CharToken> {
    let mut tokens = Vec::new();
    let mut run: Option<CharToken> = None;
    for (start, original) in text.char_indices() {
        let end = start + original.len_utf8();
        let c = fold_width(original);
        if c.is_alphanumeric() && !is_ideograph(c) {
            let run = run.get_or_insert_with(|| CharToken {
                text: String::new(),
                start,
                end,
            });
            run.text.extend(c.to_lowercase());
            run.end = end;
            continue;
        }
        tokens.extend(run.take());
        if is_ideograph(c) || c == '%' {
            tokens.push(CharToken {
                text: c.to_string(),
                start,
                end,
            });
        }
    }
    tokens.extend(run);
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
