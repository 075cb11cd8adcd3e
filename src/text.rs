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

/// A year written digit by digit, Arabic, full-width or Chinese: `1957`, `１９６４`, `一九五七`,
/// `一九八○`.
fn year_number(text: &str) -> Option<u32> {
    text.chars()
        .map(|c| match c {
            '〇' | '○' | '零' => Some(0),
            _ => chinese_number(&c.to_string()).or_else(|| fold_width(c).to_digit(10)),
        })
        .try_fold(0u32, |acc, d| acc.checked_mul(10)?.checked_add(d?))
}

static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    crate::patterns::compile(
        r"([0-9０-９〇○零一二三四五六七八九]{4})\s*年(?:\s*([0-9０-９一二三四五六七八九十]{1,3})\s*月(?:\s*([0-9０-９一二三四五六七八九十]{1,3})\s*日)?)?",
    )
});

/// The first date in `text`, as ISO 8601 at the precision written: `1942-05`, `1957-02-27`,
/// `2014`. Chinese numerals and full-width digits are read.
pub fn iso_date(text: &str) -> Option<String> {
    let caps = DATE.captures(text)?;
    let year = year_number(&caps[1]).filter(|y| (1800..=2200).contains(y))?;
    let part = |group: usize, max: u32| {
        caps.get(group)
            .and_then(|m| chinese_number(m.as_str()).or_else(|| arabic_number(m.as_str())))
            .filter(|v| (1..=max).contains(v))
    };
    Some(match (part(2, 12), part(3, 31)) {
        (Some(month), Some(day)) => format!("{year}-{month:02}-{day:02}"),
        (Some(month), None) => format!("{year}-{month:02}"),
        _ => year.to_string(),
    })
}

/// Full-width ASCII (`１９６４`, `ＰＰＴ`, `％`, `．`) as its half-width form.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A key that sorts Chinese text by pinyin (tone marks left out) and other text as it is:
/// `北京` before `上海` before `天津`.
pub fn pinyin_key(text: &str) -> String {
    use pinyin::ToPinyin;
    let mut key = String::with_capacity(text.len() * 3);
    for c in text.chars() {
        match c.to_pinyin() {
            Some(pinyin) => key.push_str(pinyin.plain()),
            None => key.extend(c.to_lowercase()),
        }
        key.push(' ');
    }
    key
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
    fn dates_as_iso_at_their_precision() {
        assert_eq!(
            iso_date("（一九五七年二月二十七日）").as_deref(),
            Some("1957-02-27")
        );
        assert_eq!(
            iso_date("——１９６４年１２月２１日和２２日在…").as_deref(),
            Some("1964-12-21")
        );
        assert_eq!(iso_date("(一九五七年一月)").as_deref(), Some("1957-01"));
        assert_eq!(iso_date("一九八○年的国民经济").as_deref(), Some("1980"));
        assert_eq!(
            iso_date("——2022年3月5日在第十三届全国人民代表大会第五次会议上").as_deref(),
            Some("2022-03-05")
        );
        assert_eq!(iso_date("1983年政府工作报告").as_deref(), Some("1983"));
        assert_eq!(iso_date("没有日期"), None);
        assert_eq!(iso_date("3000年"), None);
    }

    #[test]
    fn pinyin_keys_sort_chinese_by_sound() {
        let mut titles = vec!["天津报告", "上海报告", "北京报告", "2008政府工作报告"];
        titles.sort_by_key(|t| pinyin_key(t));
        assert_eq!(
            titles,
            vec!["2008政府工作报告", "北京报告", "上海报告", "天津报告"]
        );
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
