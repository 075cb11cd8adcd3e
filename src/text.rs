//! Chinese-text helpers every stage shares: what a Han character is, where sentences and
//! clauses end, numbers written in Chinese or in full-width digits, width and case folding.

use std::borrow::Cow;

/// Characters that end a sentence in Chinese (and English) text.
pub const SENTENCE_ENDS: &[char] = &['。', '！', '？', '!', '?', '；', ';', '…'];
/// Marks that end a clause inside a sentence.
pub const CLAUSE_ENDS: &[char] = &['，', ',', '：', ':'];
/// Closing marks that stay with the sentence they follow.
pub const CLOSERS: &[char] = &['”', '’', '」', '』', '）', ')', '"', '\''];

/// A Han character (CJK unified ideographs, their extensions and compatibility forms).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// A mark that ends a sentence or a clause: where a clause around a figure stops.
pub fn ends_clause(c: char) -> bool {
    SENTENCE_ENDS.contains(&c) || CLAUSE_ENDS.contains(&c)
}

/// Splits text into sentences; each keeps its ending punctuation and closing quotes, and
/// concatenating them gives back the text exactly.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let english_stop = c == '.' && is_english_stop(text, index);
        if !SENTENCE_ENDS.contains(&c) && !english_stop {
            continue;
        }
        let mut end = index + c.len_utf8();
        while let Some(&(next_index, next)) = chars.peek() {
            if SENTENCE_ENDS.contains(&next) || CLOSERS.contains(&next) {
                end = next_index + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        out.push(&text[start..end]);
        start = end;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// A full stop ends an English sentence when a space and a capital or the end follow.
fn is_english_stop(text: &str, index: usize) -> bool {
    let rest = &text[index + 1..];
    let mut following = rest.chars();
    match following.next() {
        None => true,
        Some(' ') => following
            .next()
            .is_some_and(|c| c.is_uppercase() || c == '"'),
        _ => false,
    }
}

/// `一` … `九十九` as a number.
pub fn chinese_number(text: &str) -> Option<u32> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as u32)
    };
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [d] if *d == '十' => Some(10),
        [d] => digit(*d).filter(|v| *v > 0),
        ['十', d] => digit(*d).map(|v| 10 + v),
        [t, '十'] => digit(*t).map(|v| v * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

/// `12` or full-width `１２` as a number.
pub fn arabic_number(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    text.chars()
        .map(|c| fold_width(c).to_digit(10))
        .try_fold(0u32, |acc, d| acc.checked_mul(10)?.checked_add(d?))
}

/// Full-width ASCII (`１９６４`, `ＰＰＴ`, `％`, `．`) as its half-width form.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The word in lower case, allocating only when it has capitals.
pub fn lowercase(word: &str) -> Cow<'_, str> {
    if word.chars().any(|c| !is_han(c) && c.is_uppercase()) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_every_character() {
        let text = "他说：“好。”我们走吧！真的？是的…… 结束";
        let parts = sentences(text);
        assert_eq!(parts.concat(), text);
        assert_eq!(
            parts,
            vec!["他说：“好。”", "我们走吧！", "真的？", "是的……", " 结束"]
        );
    }

    #[test]
    fn english_sentences_split_at_stops_before_capitals() {
        let parts = sentences("It rose 1.5 per cent. Then it fell. And e.g. this");
        assert_eq!(
            parts,
            vec!["It rose 1.5 per cent.", " Then it fell.", " And e.g. this"]
        );
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number("一"), Some(1));
        assert_eq!(chinese_number("十"), Some(10));
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(chinese_number("二十"), Some(20));
        assert_eq!(chinese_number("三十四"), Some(34));
        assert_eq!(chinese_number("零"), None);
        assert_eq!(arabic_number("１２"), Some(12));
        assert_eq!(arabic_number("2014"), Some(2014));
        assert_eq!(arabic_number("12a"), None);
        assert_eq!(arabic_number(""), None);
    }

    #[test]
    fn han_characters_and_folding() {
        assert!(is_han('民') && is_han('㐀') && is_han('𠀀'));
        assert!(!is_han('，') && !is_han('a') && !is_han('１'));
        assert_eq!(fold_width('１'), '1');
        assert_eq!(fold_width('％'), '%');
        assert_eq!(fold_width('民'), '民');
        assert_eq!(lowercase("PPT制作"), "ppt制作");
        assert!(matches!(lowercase("低保"), Cow::Borrowed(_)));
    }
}
