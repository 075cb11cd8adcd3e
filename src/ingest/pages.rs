//! Page furniture of text taken from printed pages (a PDF, a book): page numbers such as
//! `— 3 —` or `第 3 页`, and the running headers printed beside them, removed with the blank
//! lines around them so that a paragraph broken across two pages is whole again.

use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

use crate::patterns::compile;

/// A page number alone on its line, marked as one: `- 3 -`, `— 3 —`, `第3页`,
/// `第 3 页 共 12 页`, `3/12`. Three digits at most, so that a year is not taken for one.
const PAGE_NUMBER: &str = r"^[-—－–~·\s]*(?:[-—－–~]\s*\d{1,3}\s*[-—－–~]|第\s*\d{1,3}\s*页(?:\s*[，,]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})[-—－–~·\s]*$";
/// A bare number alone on its line: a page number only when such lines count up through the
/// text (a lone `2` may be the end of `M2` broken off its line).
const BARE_NUMBER: &str = r"^\s*(\d{1,3})\s*$";

static PAGE_NUMBER_LINE: LazyLock<Regex> = LazyLock::new(|| compile(PAGE_NUMBER));
static BARE_NUMBER_LINE: LazyLock<Regex> = LazyLock::new(|| compile(BARE_NUMBER));

/// Bare numbers count up through at least this many pages to be page numbers.
const BARE_PAGES: usize = 3;

/// A running header or footer is short and printed on at least this many pages.
const RUNNING_LINE_CHARS: usize = 30;
const RUNNING_LINE_PAGES: usize = 3;
/// How near a page number (in lines, blank lines not counted) a running line is printed.
const RUNNING_LINE_REACH: usize = 2;

/// The lines of `lines` that are not page furniture, blank lines beside furniture left out too.
/// Text with no page numbers is returned as it is.
pub fn without_furniture<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let is_page_number = page_numbers(lines);
    if !is_page_number.contains(&true) {
        return lines.to_vec();
    }
    let furniture = with_running_lines(lines, is_page_number);
    let blank: Vec<bool> = lines.iter().map(|line| line.trim().is_empty()).collect();
    // A blank line goes with the furniture nearest it, before or after it: whether the nearest
    // text line on each side is furniture, found in one pass each way.
    let furniture_before = nearest_text_is_furniture(&blank, &furniture, 0..lines.len());
    let furniture_after = nearest_text_is_furniture(&blank, &furniture, (0..lines.len()).rev());
    (0..lines.len())
        .filter(|&i| {
            let beside_furniture = furniture_before[i] || furniture_after[i];
            !(furniture[i] || (blank[i] && beside_furniture))
        })
        .map(|i| lines[i])
        .collect()
}

/// For each line, whether the last text line met before it, walking `order`, is furniture.
fn nearest_text_is_furniture(
    blank: &[bool],
    furniture: &[bool],
    order: impl Iterator<Item = usize>,
) -> Vec<bool> {
    let mut nearest = vec![false; blank.len()];
    let mut last_was_furniture = false;
    for i in order {
        nearest[i] = last_was_furniture;
        if !blank[i] {
            last_was_furniture = furniture[i];
        }
    }
    nearest
}

/// Which lines are page numbers: marked ones, and bare numbers if they count up.
fn page_numbers(lines: &[&str]) -> Vec<bool> {
    let bare: Vec<Option<u32>> = lines
        .iter()
        .map(|line| {
            let number = BARE_NUMBER_LINE.captures(line)?.get(1)?;
            number.as_str().parse().ok()
        })
        .collect();
    let numbers: Vec<u32> = bare.iter().flatten().copied().collect();
    let bare_are_pages =
        numbers.len() >= BARE_PAGES && numbers.windows(2).all(|pair| pair[0] < pair[1]);
    lines
        .iter()
        .zip(&bare)
        .map(|(line, bare)| PAGE_NUMBER_LINE.is_match(line) || (bare_are_pages && bare.is_some()))
        .collect()
}

/// The page numbers, and with them the short lines printed again and again beside them.
fn with_running_lines(lines: &[&str], mut furniture: Vec<bool>) -> Vec<bool> {
    let text_lines: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let mut beside_numbers: HashMap<&str, (usize, usize)> = HashMap::new();
    for (position, &i) in text_lines.iter().enumerate() {
        let line = lines[i].trim();
        if furniture[i] || line.chars().count() > RUNNING_LINE_CHARS {
            continue;
        }
        let near = text_lines[position.saturating_sub(RUNNING_LINE_REACH)..]
            .iter()
            .take(2 * RUNNING_LINE_REACH + 1)
            .any(|&j| furniture[j]);
        let (times, times_near) = beside_numbers.entry(line).or_default();
        *times += 1;
        *times_near += usize::from(near);
    }
    for (i, line) in lines.iter().enumerate() {
        if let Some(&(times, times_near)) = beside_numbers.get(line.trim()) {
            furniture[i] |= times >= RUNNING_LINE_PAGES && times_near * 3 >= times * 2;
        }
    }
    furniture
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_of_many_kinds_and_not_years_or_text() {
        let pattern = compile(PAGE_NUMBER);
        for number in [
            "- 3 -",
            "— 12 —",
            "－5－",
            "第3页",
            "第 3 页 共 12 页",
            "3/12",
        ] {
            assert!(pattern.is_match(number), "{number}");
        }
        for text in [
            "3",
            "2023",
            "一、总体要求",
            "3个方面",
            "第三部分",
            "共 12 页",
            "——",
        ] {
            assert!(!pattern.is_match(text), "{text}");
        }
    }

    #[test]
    fn bare_numbers_are_pages_only_when_they_count_up() {
        let pages = ["正文一", "1", "正文二", "2", "正文三", "3", "正文四"];
        assert_eq!(
            without_furniture(&pages),
            ["正文一", "正文二", "正文三", "正文四"]
        );
        // The 2 of M2, broken off its line by the program that made the text.
        let broken = [
            "稳健的货币政策要松紧适度。广义货币M",
            "2",
            "和社会融资规模增速要与",
        ];
        assert_eq!(without_furniture(&broken), broken);
    }

    #[test]
    fn furniture_and_its_blank_lines_go_and_the_text_stays() {
        let lines = [
            "论十大关系",
            "第一页的正文，一直写到",
            "",
            "— 1 —",
            "",
            "毛泽东文集",
            "第二页上接着写完。",
            "",
            "— 2 —",
            "",
            "毛泽东文集",
            "第三页。",
            "",
            "— 3 —",
            "毛泽东文集",
            "",
            "最后一页。",
        ];
        assert_eq!(
            without_furniture(&lines),
            [
                "论十大关系",
                "第一页的正文，一直写到",
                "第二页上接着写完。",
                "第三页。",
                "最后一页。"
            ]
        );
        let no_numbers = ["标题", "", "正文。"];
        assert_eq!(without_furniture(&no_numbers), no_numbers);
    }
}
