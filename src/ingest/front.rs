//! Front matter: the title, the speech's own heading, dateline, speaker and salutation that open
//! the text before its introduction.

use crate::model::FrontMatter;
use crate::patterns::compile;
use crate::text::{is_han, iso_date};
use regex::Regex;
use std::sync::LazyLock;

/// The opening of a speech, taken apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Opening {
    /// The title found in the text, if its first line is one.
    pub title: Option<String>,
    pub front: FrontMatter,
    /// The introduction: what remains of the preamble blocks.
    pub introduction: Vec<String>,
}

/// Front-matter lines are short; a longer line is the introduction.
const MAX_FRONT_LINE_CHARS: usize = 80;
/// The salutation of a text with no line breaks sits this close to its start.
const MAX_SALUTATION_OFFSET_CHARS: usize = 120;

struct Patterns {
    salutation_line: Regex,
    salutation_inline: Regex,
    dateline: Regex,
}

/// Built-in patterns; the unit tests compile them, so this cannot fail at run time.
static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let addressees = r"同志们|各位代表|各位委员|各位领导|各位来宾|各位嘉宾|(?:诸位|各位)[^:：。，,]{1,20}|女士们[、，,]\s*先生们|同学们|老师们|朋友们|(?:尊敬|亲爱)的[^:：。，,]{1,30}";
    Patterns {
        salutation_line: compile(&format!(
            r"^(?:(?:{addressees})[^:：。]{{0,30}}|[^:：。，,]{{1,16}}们|[A-Z][^:.]{{2,118}})\s*[:：]$"
        )),
        salutation_inline: compile(&format!(
            r"^(.{{0,{MAX_SALUTATION_OFFSET_CHARS}}}?)((?:{addressees})[^:：。]{{0,30}}?)\s*[:：]"
        )),
        dateline: compile(
            r"^(?:[—－\-]{2}|[(（]).*|.*(?:[0-9０-９〇零一二三四五六七八九十]{1,4}\s*年\s*[0-9０-９一二三四五六七八九十]{1,3}\s*月|\d{4}-\d{2}-\d{2}).*$",
        ),
    }
});

/// Takes the front matter off the preamble. `known_title` is a title the format declared
/// (a scrape's title, a Markdown heading); when the text repeats it, the repeat is dropped.
pub fn split(preamble: Vec<String>, known_title: Option<&str>) -> Opening {
    let mut blocks: Vec<String> = preamble;
    let mut front = FrontMatter::default();
    let mut title = None;
    if let Some(known) = known_title {
        strip_repeated_title(&mut blocks, known);
    } else if blocks.len() > 1 && is_title_line(&blocks[0]) {
        title = Some(blocks.remove(0));
    }
    let mut taken = 0;
    // The last block is text, front matter coming before something, unless it is a date line
    // (the sections follow it).
    let last_is_date = blocks
        .last()
        .is_some_and(|line| PATTERNS.dateline.is_match(line));
    let front_lines = blocks.len().saturating_sub(usize::from(!last_is_date));
    for block in blocks.iter().take(front_lines) {
        let length = block.chars().count();
        if length > MAX_FRONT_LINE_CHARS || !fill_front_line(&mut front, block) {
            break;
        }
        taken += 1;
        if front.salutation.is_some() {
            break;
        }
    }
    blocks.drain(..taken);
    if front.salutation.is_none() {
        split_inline_salutation(&mut blocks, &mut front);
    }
    Opening {
        title,
        front,
        introduction: blocks,
    }
}

/// Fills the front-matter field a short line belongs to; false when it is not front matter.
fn fill_front_line(front: &mut FrontMatter, line: &str) -> bool {
    let patterns = &*PATTERNS;
    if patterns.salutation_line.is_match(line) {
        front.salutation = Some(strip_colon(line));
        return true;
    }
    if ends_like_a_sentence(line) || patterns.salutation_inline.is_match(line) {
        return false;
    }
    if front.dateline.is_none() && patterns.dateline.is_match(line) {
        front.dateline = Some(line.to_owned());
    } else if front.heading.is_none() && front.dateline.is_none() && front.speaker.is_none() {
        front.heading = Some(line.to_owned());
    } else if front.speaker.is_none() && line.chars().count() <= 30 {
        front.speaker = Some(line.to_owned());
    } else {
        return false;
    }
    true
}

/// A text with no line breaks: `在…会议上的讲话同志们:这次会议…` holds heading and salutation inline.
fn split_inline_salutation(blocks: &mut Vec<String>, front: &mut FrontMatter) {
    let Some(first) = blocks.first_mut() else {
        return;
    };
    let Some(caps) = PATTERNS.salutation_inline.captures(first) else {
        return;
    };
    let before = caps[1].trim().to_owned();
    let salutation = caps[2].trim().to_owned();
    let consumed = caps.get(0).map_or(0, |m| m.end());
    if ends_like_a_sentence(&before) {
        return;
    }
    if !before.is_empty() {
        if PATTERNS.dateline.is_match(&before) {
            front.dateline.get_or_insert(before);
        } else {
            front.heading.get_or_insert(before);
        }
    }
    front.salutation = Some(salutation);
    let rest = first[consumed..].trim().to_owned();
    if rest.is_empty() {
        blocks.remove(0);
    } else {
        *first = rest;
    }
}

/// Drops the title where the text opens by repeating it (scrapes do).
fn strip_repeated_title(blocks: &mut Vec<String>, title: &str) {
    let Some(first) = blocks.first_mut() else {
        return;
    };
    if let Some(rest) = first.strip_prefix(title) {
        let rest = rest.trim_start().to_owned();
        if rest.is_empty() {
            blocks.remove(0);
        } else {
            *first = rest;
        }
    }
}

fn is_title_line(line: &str) -> bool {
    line.chars().count() <= MAX_FRONT_LINE_CHARS
        && !PATTERNS.salutation_inline.is_match(line)
        && !ends_like_a_sentence(line)
        && !line.ends_with([':', '：'])
        && !PATTERNS.dateline.is_match(line)
}

fn ends_like_a_sentence(line: &str) -> bool {
    line.trim_end_matches(['”', '"', '」'])
        .ends_with(['。', '！', '？', '!', '?', '；', ';', '，', ','])
        || (line.ends_with('.') && line.contains(' '))
}

fn strip_colon(line: &str) -> String {
    line.trim_end_matches([':', '：']).trim().to_owned()
}

/// Offices a speaker line names before the person, longest first where one holds another.
const OFFICES: &[&str] = &[
    "总书记",
    "委员长",
    "副总理",
    "总理",
    "副主席",
    "主席",
    "书记",
    "部长",
    "省长",
    "市长",
    "县长",
    "区长",
    "局长",
    "主任",
    "秘书长",
    "院长",
    "厅长",
    "总统",
    "首相",
    "司令员",
    "政委",
    "代表",
];

/// A person's name: two to four Han characters.
fn is_name(text: &str) -> bool {
    (2..=4).contains(&text.chars().count()) && text.chars().all(is_han)
}

/// A speaker line as its office and its person: `国务院总理 李克强`, `国务院总理赵紫阳`,
/// `习　近　平`.
fn split_speaker(line: &str) -> (Option<String>, Option<String>) {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() > 1 && words.iter().all(|w| w.chars().count() == 1) {
        return (None, Some(words.concat()));
    }
    if let [office @ .., person] = words.as_slice()
        && !office.is_empty()
        && is_name(person)
    {
        return (Some(office.concat()), Some((*person).to_owned()));
    }
    let compact = words.concat();
    let split = OFFICES
        .iter()
        .filter_map(|office| compact.rfind(office).map(|at| at + office.len()))
        .max()
        .filter(|&at| is_name(&compact[at..]));
    match split {
        Some(at) => (
            Some(compact[..at].to_owned()),
            Some(compact[at..].to_owned()),
        ),
        None => (None, Some(compact)),
    }
}

static OCCASION: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"在([^，。,]{2,60}?)(?:开幕式|闭幕式)?上(?:的(?:讲话|报告|工作报告|发言|致辞|总结))?$")
});

/// The meeting a line names: `…在第十三届全国人民代表大会第五次会议上` → the meeting.
fn occasion(line: &str) -> Option<String> {
    let caps = OCCASION.captures(line.trim())?;
    let meeting = caps[1].trim();
    // A date written before the meeting is not part of it.
    let meeting = meeting
        .rsplit_once('日')
        .map_or(meeting, |(_, rest)| rest)
        .trim();
    (meeting.chars().count() >= 2).then(|| meeting.to_owned())
}

/// Reads the date, the occasion, and the speaker's office and person out of the front
/// matter and the title.
pub fn identify(front: &mut FrontMatter, title: &str) {
    let lines: Vec<&str> = [
        front.dateline.as_deref(),
        front.heading.as_deref(),
        Some(title),
    ]
    .into_iter()
    .flatten()
    .collect();
    front.date = lines.iter().find_map(|line| iso_date(line));
    front.occasion = lines.iter().find_map(|line| occasion(line));
    if let Some(line) = front.speaker.take() {
        let (office, person) = split_speaker(&line);
        front.office = office;
        front.speaker = person;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn speakers_offices_dates_and_occasions() {
        let cases = [
            ("国务院总理 李克强", Some("国务院总理"), "李克强"),
            ("国务院总理赵紫阳", Some("国务院总理"), "赵紫阳"),
            (
                "国务院副总理兼国家计划委员会主任李富春",
                Some("国务院副总理兼国家计划委员会主任"),
                "李富春",
            ),
            ("习 近 平", None, "习近平"),
            ("周恩来", None, "周恩来"),
        ];
        for (line, office, person) in cases {
            let mut front = FrontMatter {
                speaker: Some(line.to_owned()),
                ..FrontMatter::default()
            };
            identify(&mut front, "报告");
            assert_eq!(
                (front.office.as_deref(), front.speaker.as_deref()),
                (office, Some(person)),
                "{line}"
            );
        }
        let mut front = FrontMatter {
            dateline: Some("——2022年3月5日在第十三届全国人民代表大会第五次会议上".to_owned()),
            ..FrontMatter::default()
        };
        identify(&mut front, "政府工作报告");
        assert_eq!(front.date.as_deref(), Some("2022-03-05"));
        assert_eq!(
            front.occasion.as_deref(),
            Some("第十三届全国人民代表大会第五次会议")
        );
        let mut mao = FrontMatter {
            dateline: Some("（一九四八年四月一日）".to_owned()),
            ..FrontMatter::default()
        };
        identify(&mut mao, "在晋绥干部会议上的讲话");
        assert_eq!(
            (mao.date.as_deref(), mao.occasion.as_deref()),
            (Some("1948-04-01"), Some("晋绥干部会议"))
        );
    }

    #[test]
    fn government_report_opening() {
        let opening = split(
            blocks(&[
                "政府工作报告",
                "——2022年3月5日在第十三届全国人民代表大会第五次会议上",
                "国务院总理 李克强",
                "各位代表：",
                "现在，我代表国务院，向大会报告政府工作。",
            ]),
            None,
        );
        assert_eq!(opening.title.as_deref(), Some("政府工作报告"));
        assert_eq!(
            opening.front.dateline.as_deref(),
            Some("——2022年3月5日在第十三届全国人民代表大会第五次会议上")
        );
        assert_eq!(opening.front.speaker.as_deref(), Some("国务院总理 李克强"));
        assert_eq!(opening.front.salutation.as_deref(), Some("各位代表"));
        assert_eq!(
            opening.introduction,
            vec!["现在，我代表国务院，向大会报告政府工作。"]
        );
    }

    #[test]
    fn scrape_opening_on_one_line() {
        let title = "全市民政系统深化忠诚主题教育活动工作会议上讲话";
        let opening = split(
            blocks(&[&format!(
                "{title}在全市民政系统深化忠诚主题教化活动工作会议上的讲话同志们:这次会议的主要任务是:分析总结。"
            )]),
            Some(title),
        );
        assert_eq!(opening.title, None);
        assert_eq!(
            opening.front.heading.as_deref(),
            Some("在全市民政系统深化忠诚主题教化活动工作会议上的讲话")
        );
        assert_eq!(opening.front.salutation.as_deref(), Some("同志们"));
        assert_eq!(
            opening.introduction,
            vec!["这次会议的主要任务是:分析总结。"]
        );
    }

    #[test]
    fn date_in_parentheses_and_english_salutation() {
        let opening = split(
            blocks(&[
                "论十大关系",
                "(一九五六年四月二十五日)",
                "最近几个月，中央政治局听了汇报。",
            ]),
            None,
        );
        assert_eq!(opening.title.as_deref(), Some("论十大关系"));
        assert_eq!(
            opening.front.dateline.as_deref(),
            Some("(一九五六年四月二十五日)")
        );
        assert_eq!(opening.introduction.len(), 1);

        let opening = split(
            blocks(&[
                "Fellow-Citizens of the Senate and of the House of Representatives:",
                "Among the vicissitudes incident to life no event could have filled me with greater anxieties.",
            ]),
            None,
        );
        assert_eq!(opening.title, None);
        assert_eq!(
            opening.front.salutation.as_deref(),
            Some("Fellow-Citizens of the Senate and of the House of Representatives")
        );
    }

    #[test]
    fn a_lone_line_or_a_salutation_is_not_a_title() {
        let opening = split(
            blocks(&["各位代表：现在，我代表国务院向大会报告政府工作"]),
            None,
        );
        assert_eq!(opening.title, None);
        assert_eq!(opening.front.salutation.as_deref(), Some("各位代表"));
        assert_eq!(
            opening.introduction,
            vec!["现在，我代表国务院向大会报告政府工作"]
        );
    }

    #[test]
    fn an_opening_sentence_is_not_front_matter() {
        let opening = split(
            blocks(&["五年来，我国各族人民取得了伟大成就。"]),
            Some("报告"),
        );
        assert_eq!(opening.front, FrontMatter::default());
        assert_eq!(opening.introduction.len(), 1);
    }
}
