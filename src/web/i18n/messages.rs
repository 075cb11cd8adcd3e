//! Sentences that carry values, one function each with typed arguments, in both languages:
//! counts with English plurals, the parser's warnings, the kinds of figures.

use super::Lang;
use crate::analysis::figures::FigureKind;
use crate::corpus::SkipKind;
use crate::model::{Warning, named_headings};

/// `1 speech`, `2 speeches`: the English noun for `count`, singular or plural.
pub fn english_count(count: usize, singular: &str, plural: &str) -> String {
    match count {
        1 => format!("1 {singular}"),
        n => format!("{n} {plural}"),
    }
}

impl Lang {
    /// "3 篇讲话", "1 speech", "3 speeches".
    pub fn speech_count(self, count: usize) -> String {
        match self {
            Lang::Zh => format!("{count} 篇讲话"),
            Lang::En => english_count(count, "speech", "speeches"),
        }
    }

    /// What the wording view marks.
    pub fn rewordings_marked(self, count: usize) -> String {
        match self {
            Lang::Zh => format!("已标出 {count} 处疑似同义词替换（洗稿），每处后面是推测的原词。"),
            Lang::En => format!(
                "{} marked, each followed by the likely original.",
                english_count(count, "suspect synonym swap", "suspect synonym swaps")
            ),
        }
    }

    /// What the restored view changed.
    pub fn rewordings_restored(self, count: usize) -> String {
        match self {
            Lang::Zh => format!(
                "本页把 {count} 处疑似替换的词换回推测的原词（带点下划线）；点按这个词可看文件里的写法。"
            ),
            Lang::En => format!(
                "This page reads the likely original for {} (dotted underline); tap one to see what the file has.",
                english_count(count, "suspect word", "suspect words")
            ),
        }
    }

    /// Where a partial preview's text stops: how much of the original it holds, where known.
    pub fn preview_ends(self, present: Option<u32>, declared: Option<u32>) -> String {
        match (self, present, declared) {
            (Lang::Zh, Some(present), Some(declared)) => {
                format!("预览到此为止：原文共 {declared} 页，这份文件只有前 {present} 页。")
            }
            (Lang::Zh, _, _) => "预览到此为止：原文其余部分不在这份文件里。".to_owned(),
            (Lang::En, Some(present), Some(declared)) => format!(
                "The preview ends here: the original has {declared} pages, this file only the first {present}."
            ),
            (Lang::En, _, _) => {
                "The preview ends here: the rest of the original is not in this file.".to_owned()
            }
        }
    }

    /// A speaker's speeches as one side of a comparison.
    pub fn speeches_by(self, speaker: &str) -> String {
        match self {
            Lang::Zh => format!("{speaker}的全部讲话"),
            Lang::En => format!("All speeches by {speaker}"),
        }
    }

    /// A decade's speeches as one side of a comparison; `decade` is its first year.
    pub fn speeches_of_decade(self, decade: i32) -> String {
        match self {
            Lang::Zh => format!("{decade} 年代的讲话"),
            Lang::En => format!("Speeches of the {decade}s"),
        }
    }

    /// Says only the first lines of a long concordance are listed.
    pub fn lines_shown(self, count: usize) -> String {
        match self {
            Lang::Zh => format!("只列出前 {count} 行。"),
            Lang::En => format!("Only the first {count} lines are listed."),
        }
    }

    /// How many paragraphs and headings of one speech match.
    pub fn match_count(self, count: usize) -> String {
        match self {
            Lang::Zh => format!("{count} 处"),
            Lang::En => english_count(count, "match", "matches"),
        }
    }

    /// Why a file was left out of the collection.
    pub fn skip_reason(self, kind: SkipKind) -> &'static str {
        match (self, kind) {
            (Lang::Zh, SkipKind::CannotRead) => "无法读取",
            (Lang::Zh, SkipKind::TooLarge) => "文件过大，不像一篇讲话",
            (Lang::Zh, SkipKind::Empty) => "空文件",
            (Lang::Zh, SkipKind::Binary) => "不是文本文件",
            (Lang::Zh, SkipKind::Undecodable) => "无法识别编码，请另存为 UTF-8",
            (Lang::Zh, SkipKind::BrokenWord) => "Word 文档已损坏或不是 .docx",
            (Lang::Zh, SkipKind::NoText) => "没有正文，只有网站模板或空行",
            (Lang::Zh, SkipKind::NotSpeech) => "不是讲话文件（支持 .txt、.md、.docx）",
            (Lang::Zh, SkipKind::NeedsConverting) => {
                "暂不支持这种格式：请在 Word 或 WPS 中另存为 .docx 或 .txt"
            }
            (Lang::Zh, SkipKind::UserDictionary) => "用户词典未能读取",
            (Lang::En, SkipKind::CannotRead) => "Cannot be read",
            (Lang::En, SkipKind::TooLarge) => "Too large to be a speech",
            (Lang::En, SkipKind::Empty) => "The file is empty",
            (Lang::En, SkipKind::Binary) => "Not a text file",
            (Lang::En, SkipKind::Undecodable) => "Unknown encoding: save it as UTF-8",
            (Lang::En, SkipKind::BrokenWord) => "A broken Word document, or not a .docx",
            (Lang::En, SkipKind::NoText) => "No speech text, only site boilerplate or blank lines",
            (Lang::En, SkipKind::NotSpeech) => "Not a speech file (.txt, .md and .docx are read)",
            (Lang::En, SkipKind::NeedsConverting) => {
                "A format Rostrum does not read: save it as .docx or .txt (in Word or WPS)"
            }
            (Lang::En, SkipKind::UserDictionary) => "The user dictionary could not be read",
        }
    }

    /// Speeches left off a timeline for want of a date.
    pub fn undated(self, count: usize) -> String {
        match self {
            Lang::Zh => format!("另有 {count} 篇讲话没有日期，未计入。"),
            Lang::En => format!(
                "{} without a date {} not counted.",
                english_count(count, "speech", "speeches"),
                if count == 1 { "is" } else { "are" }
            ),
        }
    }

    /// How many paragraphs and headings matched, in how many speeches.
    pub fn search_summary(self, hits: usize, speeches: usize) -> String {
        match self {
            Lang::Zh => format!("找到 {hits} 处，分布在 {speeches} 篇讲话中。"),
            Lang::En => format!(
                "{} in {}.",
                english_count(hits, "match", "matches"),
                self.speech_count(speeches)
            ),
        }
    }

    /// How often a term occurs: "共 3 处", "1 occurrence".
    pub fn occurrence_count(self, count: usize) -> String {
        match self {
            Lang::Zh => format!("共 {count} 处"),
            Lang::En => english_count(count, "occurrence", "occurrences"),
        }
    }

    /// What the trend chart of `term` shows.
    pub fn trend_hint(self, term: &str) -> String {
        match self {
            Lang::Zh => format!("“{term}”在各节中出现的次数，按目录顺序。"),
            Lang::En => {
                format!("How often “{term}” occurs in each section, in the outline's order.")
            }
        }
    }

    /// How much of the place evidence points to the region: `（地名中 85% 在此）`.
    pub fn place_share(self, share: f64) -> String {
        let percent = (share * 100.0).round();
        match self {
            Lang::Zh => format!("（所提地名中 {percent}% 在此）"),
            Lang::En => format!("({percent}% of the places named are there)"),
        }
    }

    /// A parser's warning as the reader reads it.
    pub fn warning(self, warning: &Warning) -> String {
        match (self, warning) {
            (Lang::Zh, Warning::PartialPages { present, declared }) => {
                format!("部分预览：原文共 {declared} 页，这里只有 {present} 页。")
            }
            (Lang::En, Warning::PartialPages { present, declared }) => {
                format!("Partial preview: {present} of {declared} pages.")
            }
            (Lang::Zh, Warning::PartialPreview) => {
                "部分预览：网站只提供了文档的一部分。".to_owned()
            }
            (Lang::En, Warning::PartialPreview) => {
                "Partial preview: the site showed only part of the document.".to_owned()
            }
            (Lang::Zh, Warning::EndsMidSentence) => "文本在句子中间中断。".to_owned(),
            (Lang::En, Warning::EndsMidSentence) => "The text ends mid-sentence.".to_owned(),
            (Lang::Zh, Warning::EmptyHeadings(labels)) => match named_headings(labels, "；") {
                (named, 0) => format!("以下标题下没有正文：{named}"),
                (named, _) => format!("以下 {} 个标题下没有正文：{named}等", labels.len()),
            },
            (Lang::En, Warning::EmptyHeadings(labels)) => match named_headings(labels, "; ") {
                (named, 0) => format!("Headings with no text under them: {named}"),
                (named, more) => {
                    format!("Headings with no text under them: {named} and {more} more")
                }
            },
            (
                Lang::Zh,
                Warning::NumberingGap {
                    heading,
                    previous,
                    found,
                },
            ) => format!("编号不连续：“{heading}”的编号 {found} 接在 {previous} 之后。"),
            (
                Lang::En,
                Warning::NumberingGap {
                    heading,
                    previous,
                    found,
                },
            ) => format!("The numbering skips from {previous} to {found} at “{heading}”."),
            (Lang::Zh, Warning::NoOutline { characters }) => {
                format!("全文 {characters} 字，没有找到任何标题。")
            }
            (Lang::En, Warning::NoOutline { characters }) => {
                format!("No headings were found in {characters} characters of text.")
            }
        }
    }

    /// The name of a kind of figure: 金额, money.
    pub fn figure_kind(self, kind: FigureKind) -> &'static str {
        let (zh, en) = match kind {
            FigureKind::Money => ("金额", "money"),
            FigureKind::People => ("人数", "people"),
            FigureKind::Households => ("户数", "households"),
            FigureKind::Percentage => ("比例", "percentage"),
            FigureKind::Date => ("日期", "date"),
            FigureKind::Duration => ("时长", "duration"),
            FigureKind::Area => ("面积", "area"),
            FigureKind::Length => ("长度", "length"),
            FigureKind::Weight => ("重量", "weight"),
            FigureKind::Count => ("数量", "count"),
        };
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speech_counts_read_naturally() {
        assert_eq!(Lang::Zh.speech_count(1), "1 篇讲话");
        assert_eq!(Lang::En.speech_count(1), "1 speech");
        assert_eq!(Lang::En.speech_count(8), "8 speeches");
    }

    #[test]
    fn english_plurals_are_right_for_one_and_many() {
        assert_eq!(Lang::En.search_summary(1, 1), "1 match in 1 speech.");
        assert_eq!(Lang::En.search_summary(5, 2), "5 matches in 2 speeches.");
        assert_eq!(
            Lang::Zh.search_summary(5, 2),
            "找到 5 处，分布在 2 篇讲话中。"
        );
        assert_eq!(Lang::En.occurrence_count(1), "1 occurrence");
        assert_eq!(Lang::En.occurrence_count(0), "0 occurrences");
        assert_eq!(Lang::Zh.occurrence_count(3), "共 3 处");
    }

    #[test]
    fn warnings_are_worded_in_each_language() {
        let pages = Warning::PartialPages {
            present: 9,
            declared: 11,
        };
        assert_eq!(
            Lang::Zh.warning(&pages),
            "部分预览：原文共 11 页，这里只有 9 页。"
        );
        assert_eq!(Lang::En.warning(&pages), "Partial preview: 9 of 11 pages.");
        let empty = Warning::EmptyHeadings(vec!["一 总体要求".into(), "二 重点任务".into()]);
        assert!(
            Lang::En
                .warning(&empty)
                .ends_with("一 总体要求; 二 重点任务")
        );
        // A table of contents taken for headings: five named, the rest counted.
        let many = Warning::EmptyHeadings((1..=40).map(|n| format!("{n} 标题")).collect());
        assert_eq!(
            Lang::Zh.warning(&many),
            "以下 40 个标题下没有正文：1 标题；2 标题；3 标题；4 标题；5 标题等"
        );
        assert_eq!(
            Lang::En.warning(&many),
            "Headings with no text under them: 1 标题; 2 标题; 3 标题; 4 标题; 5 标题 and 35 more"
        );
        assert!(many.to_string().ends_with("5 标题 and 35 more"));
    }
}
