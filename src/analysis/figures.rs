//! Figures a speech cites: quantities with their units (money, people, households, percentages,
//! counts, areas …), approximations (`3300 多人`), ranges (`2-3 个`) and dates (`3 月 16 日`),
//! each with the clause it stands in. Money and other scaled units are normalised for sorting.

use crate::patterns::compile;
use crate::text::{chinese_number, ends_clause, fold_width};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// What a figure measures.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum FigureKind {
    Money,
    People,
    Households,
    Percentage,
    Date,
    Duration,
    Area,
    Length,
    Weight,
    Count,
}

/// One figure in the text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Figure {
    /// The figure as written, e.g. `4000 多万元`.
    pub text: String,
    pub value: f64,
    /// The upper end of a range (`2-3 个` → 3).
    pub value_to: Option<f64>,
    /// The unit as written, e.g. `万元`, `%`, `月`.
    pub unit: String,
    pub kind: FigureKind,
    /// `多`, `余`, `以上`, `左右`, `约`: the figure is not exact.
    pub approximate: bool,
    /// The value in the base unit (元, 人, 户 …) for sorting; `None` for dates and percentages.
    pub normalized: Option<f64>,
    /// The base unit of `normalized`.
    pub base_unit: Option<BaseUnit>,
    /// The clause the figure stands in.
    pub clause: String,
    /// The paragraph it is in.
    pub paragraph: u32,
    /// Byte range of the figure in the paragraph's text.
    pub start: usize,
    pub end: usize,
}

/// Units: as written, what they measure, their scale, and the base unit they scale.
const UNITS: &[(&str, FigureKind, f64, &str)] = &[
    ("万亿元", FigureKind::Money, 1e12, "元"),
    ("亿元", FigureKind::Money, 1e8, "元"),
    ("万元", FigureKind::Money, 1e4, "元"),
    ("千元", FigureKind::Money, 1e3, "元"),
    ("元", FigureKind::Money, 1.0, "元"),
    ("亿人次", FigureKind::People, 1e8, "人次"),
    ("万人次", FigureKind::People, 1e4, "人次"),
    ("人次", FigureKind::People, 1.0, "人次"),
    ("亿人", FigureKind::People, 1e8, "人"),
    ("万人", FigureKind::People, 1e4, "人"),
    ("万名", FigureKind::People, 1e4, "人"),
    ("人", FigureKind::People, 1.0, "人"),
    ("名", FigureKind::People, 1.0, "人"),
    ("万户", FigureKind::Households, 1e4, "户"),
    ("户", FigureKind::Households, 1.0, "户"),
    ("%", FigureKind::Percentage, 1.0, "%"),
    ("％", FigureKind::Percentage, 1.0, "%"),
    ("个百分点", FigureKind::Percentage, 1.0, "个百分点"),
    ("个月", FigureKind::Duration, 1.0, "个月"),
    ("天", FigureKind::Duration, 1.0, "天"),
    ("平方公里", FigureKind::Area, 1e6, "平方米"),
    ("平方米", FigureKind::Area, 1.0, "平方米"),
    ("万亩", FigureKind::Area, 1e4, "亩"),
    ("亩", FigureKind::Area, 1.0, "亩"),
    ("公里", FigureKind::Length, 1e3, "米"),
    ("千米", FigureKind::Length, 1e3, "米"),
    ("万吨", FigureKind::Weight, 1e4, "吨"),
    ("吨", FigureKind::Weight, 1.0, "吨"),
    ("万个", FigureKind::Count, 1e4, "个"),
    ("万件", FigureKind::Count, 1e4, "件"),
    ("个", FigureKind::Count, 1.0, "个"),
    ("件", FigureKind::Count, 1.0, "件"),
    ("所", FigureKind::Count, 1.0, "所"),
    ("项", FigureKind::Count, 1.0, "项"),
    ("家", FigureKind::Count, 1.0, "家"),
    ("座", FigureKind::Count, 1.0, "座"),
    ("张", FigureKind::Count, 1.0, "张"),
    ("套", FigureKind::Count, 1.0, "套"),
    ("台", FigureKind::Count, 1.0, "台"),
    ("辆", FigureKind::Count, 1.0, "辆"),
    ("条", FigureKind::Count, 1.0, "条"),
    ("批", FigureKind::Count, 1.0, "批"),
    ("次", FigureKind::Count, 1.0, "次"),
    ("倍", FigureKind::Count, 1.0, "倍"),
    ("岁", FigureKind::Count, 1.0, "岁"),
];

struct Patterns {
    date: Regex,
    quantity: Regex,
    chinese_count: Regex,
}

const NUMBER: &str = r"[0-9０-９]+(?:[.．][0-9０-９]+)?";

/// Built-in patterns; the unit tests compile them, so this cannot fail at run time.
static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let mut units: Vec<&str> = UNITS.iter().map(|u| u.0).collect();
    units.sort_by_key(|u| std::cmp::Reverse(u.chars().count()));
    let units = units.join("|");
    Patterns {
        date: compile(
            r"(?P<year>[0-9０-９]{4})\s*年(?:\s*(?P<ym>[0-9０-９]{1,2})\s*月(?:\s*(?P<yd>[0-9０-９]{1,2})\s*日)?)?|(?P<m1>[0-9０-９]{1,2})\s*(?:至|到|-|－|～|~)\s*(?P<m2>[0-9０-９]{1,2})\s*月|(?P<month>[0-9０-９]{1,2})\s*月(?:\s*(?P<day>[0-9０-９]{1,2})\s*日|(?P<part>底|初|末|中旬|上旬|下旬|份))?",
        ),
        quantity: compile(&format!(
            r"(?P<about>约|近|超过)?(?P<num>{NUMBER})(?:\s*(?:-|－|—|～|~|至|到)\s*(?P<to>{NUMBER}))?\s*(?P<approx>多|余)?\s*(?P<unit>{units})(?P<after>以上|左右|以下)?"
        )),
        chinese_count: compile(
            r"(?P<num>[两二三四五六七八九十]{1,3})(?P<unit>个|项|件|名|户|所|家|条)",
        ),
    }
});

/// A number as written, full-width digits and points included.
fn number(text: &str) -> Option<f64> {
    let folded: String = text.chars().map(fold_width).collect();
    folded.parse().ok()
}

fn chinese_value(text: &str) -> Option<f64> {
    let text = text.replace('两', "二");
    chinese_number(&text).map(f64::from)
}

/// The clause around byte range `start..end`: between the nearest clause punctuation marks.
fn clause_around(text: &str, start: usize, end: usize) -> String {
    let from = text[..start].rfind(ends_clause).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let to = text[end..]
        .find(ends_clause)
        .map_or(text.len(), |i| end + i);
    text[from..to].trim().to_owned()
}

/// The unit a figure's normalized value is in: `元`, `人`, `户` …, one of the table's.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct BaseUnit(pub &'static str);

/// Read back from the cache: one of the table's units, or the entry is not a figure.
impl<'de> Deserialize<'de> for BaseUnit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<BaseUnit, D::Error> {
        let unit = String::deserialize(deserializer)?;
        let known = UNITS.iter().map(|u| u.3).find(|base| *base == unit);
        known
            .map(BaseUnit)
            .ok_or_else(|| serde::de::Error::custom(format!("not a base unit: {unit}")))
    }
}

fn unit_info(unit: &str) -> Option<&'static (&'static str, FigureKind, f64, &'static str)> {
    UNITS.iter().find(|u| u.0 == unit)
}

/// Every figure in a paragraph, in order. Dates are found first; a quantity never overlaps one.
pub fn figures_in(text: &str, paragraph: u32) -> Vec<Figure> {
    let patterns = &*PATTERNS;
    let mut found: Vec<Figure> = Vec::new();
    let make = |start: usize,
                end: usize,
                value: f64,
                value_to: Option<f64>,
                unit: String,
                kind: FigureKind,
                approximate: bool,
                scale: Option<(f64, &'static str)>| Figure {
        text: text[start..end].to_owned(),
        value,
        value_to,
        unit,
        kind,
        approximate,
        normalized: scale.map(|(factor, _)| value * factor),
        base_unit: scale.map(|(_, base)| BaseUnit(base)),
        clause: clause_around(text, start, end),
        paragraph,
        start,
        end,
    };
    for caps in patterns.date.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let (value, value_to, unit) = if let Some(year) = caps.name("year") {
            let unit = match (caps.name("ym"), caps.name("yd")) {
                (Some(_), Some(_)) => "年月日",
                (Some(_), None) => "年月",
                _ => "年",
            };
            (number(year.as_str()), None, unit.to_owned())
        } else if let (Some(from), Some(to)) = (caps.name("m1"), caps.name("m2")) {
            (number(from.as_str()), number(to.as_str()), "月".to_owned())
        } else if let Some(month) = caps.name("month") {
            let unit = match (caps.name("day"), caps.name("part")) {
                (Some(_), _) => "月日".to_owned(),
                (None, Some(part)) => format!("月{}", part.as_str()),
                (None, None) => "月".to_owned(),
            };
            (number(month.as_str()), None, unit)
        } else {
            continue;
        };
        let Some(value) = value else { continue };
        found.push(make(
            whole.start(),
            whole.end(),
            value,
            value_to,
            unit,
            FigureKind::Date,
            false,
            None,
        ));
    }
    let overlaps = |found: &[Figure], start: usize, end: usize| {
        found.iter().any(|f| start < f.end && f.start < end)
    };
    let mut quantities = Vec::new();
    for caps in patterns.quantity.captures_iter(text) {
        let (Some(whole), Some(num), Some(unit)) =
            (caps.get(0), caps.name("num"), caps.name("unit"))
        else {
            continue;
        };
        if overlaps(&found, whole.start(), whole.end()) {
            continue;
        }
        let Some(&(_, kind, factor, base)) = unit_info(unit.as_str()) else {
            continue;
        };
        let Some(value) = number(num.as_str()) else {
            continue;
        };
        let approximate = caps.name("approx").is_some()
            || caps.name("about").is_some()
            || caps.name("after").is_some_and(|a| a.as_str() != "以下");
        let scale = (kind != FigureKind::Percentage).then_some((factor, base));
        let value_to = caps.name("to").and_then(|to| number(to.as_str()));
        // The figure is the number and its unit; `约`, `以上` and the like only qualify it.
        quantities.push(make(
            num.start(),
            unit.end(),
            value,
            value_to,
            unit.as_str().to_owned(),
            kind,
            approximate,
            scale,
        ));
    }
    for caps in patterns.chinese_count.captures_iter(text) {
        let (Some(whole), Some(num), Some(unit)) =
            (caps.get(0), caps.name("num"), caps.name("unit"))
        else {
            continue;
        };
        let ordinal = text[..whole.start()].ends_with('第');
        if ordinal
            || overlaps(&found, whole.start(), whole.end())
            || overlaps(&quantities, whole.start(), whole.end())
        {
            continue;
        }
        let (Some(value), Some(&(_, kind, factor, base))) =
            (chinese_value(num.as_str()), unit_info(unit.as_str()))
        else {
            continue;
        };
        quantities.push(make(
            whole.start(),
            whole.end(),
            value,
            None,
            unit.as_str().to_owned(),
            kind,
            false,
            Some((factor, base)),
        ));
    }
    found.extend(quantities);
    found.sort_by_key(|f| f.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Figure {
        let figures = figures_in(text, 1);
        assert_eq!(figures.len(), 1, "{figures:#?}");
        figures.into_iter().next().unwrap()
    }

    #[test]
    fn patterns_compile() {
        LazyLock::force(&PATTERNS);
    }

    #[test]
    fn money_is_normalised_to_yuan() {
        let f = one("全市共发放城市低保资金11134 万元,农村");
        assert_eq!(
            (f.value, f.unit.as_str(), f.kind),
            (11134.0, "万元", FigureKind::Money)
        );
        assert_eq!(f.normalized, Some(111_340_000.0));
        assert_eq!(f.clause, "全市共发放城市低保资金11134 万元");
        let f = one("全年民政资金将在去年基础上增加 1.5 亿元以上。");
        assert_eq!(f.normalized, Some(150_000_000.0));
        assert!(f.approximate);
    }

    #[test]
    fn approximations_ranges_and_people() {
        let f = one("城市低保人数削减了 3300 多人,成效显著");
        assert!(f.approximate);
        assert_eq!(
            (f.value, f.kind, f.text.as_str()),
            (3300.0, FigureKind::People, "3300 多人")
        );
        let f = one("各县(市)区都确定了 2-3 个试点单位。");
        assert_eq!(
            (f.value, f.value_to, f.unit.as_str()),
            (2.0, Some(3.0), "个")
        );
        let f = one("救助灾民 6.1 万人次。");
        assert_eq!((f.normalized, f.kind), (Some(61_000.0), FigureKind::People));
        let f = one("残疾人上岗率达到了80%以上;");
        assert_eq!(
            (f.text.as_str(), f.kind, f.approximate),
            ("80%", FigureKind::Percentage, true)
        );
    }

    #[test]
    fn dates_and_durations() {
        let figures = figures_in(
            "市编委和市民政局于3 月 16 日联合下发了通知,9 月底可以验收,对 2008 年评比的 20 个示范社区,今年前 8 个月,1 至 8 月",
            1,
        );
        let shown: Vec<(&str, FigureKind)> =
            figures.iter().map(|f| (f.text.as_str(), f.kind)).collect();
        assert_eq!(
            shown,
            vec![
                ("3 月 16 日", FigureKind::Date),
                ("9 月底", FigureKind::Date),
                ("2008 年", FigureKind::Date),
                ("20 个", FigureKind::Count),
                ("8 个月", FigureKind::Duration),
                ("1 至 8 月", FigureKind::Date),
            ]
        );
    }

    #[test]
    fn chinese_numeral_counts_but_not_ordinals() {
        let shown: Vec<String> = figures_in("军休干部两个待遇得到落实。第七个项目。三项工作", 1)
            .into_iter()
            .map(|f| f.text)
            .collect();
        assert_eq!(shown, vec!["两个", "三项"]);
    }
}
