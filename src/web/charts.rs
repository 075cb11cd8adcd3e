//! Chart geometry: the positions of bars and words, computed here so that the templates only
//! draw SVG (no script, no inline style: colours come from the stylesheet, in both themes).

use crate::analysis::compare::KeyTerm;

/// Width of every chart's coordinate system; the SVG scales to its column.
pub const WIDTH: f64 = 720.0;

/// Truncates a label to `max` characters, with an ellipsis.
fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        label
            .chars()
            .take(max - 1)
            .chain(std::iter::once('…'))
            .collect()
    }
}

/// One row of a bar chart: a section and its length, say.
pub struct BarRow {
    pub label: String,
    /// Depth in the outline: deeper rows are indented.
    pub level: u8,
    pub value: usize,
    pub href: String,
}

/// One column of a column chart: how often a term occurs in a section, say.
pub struct Column {
    /// Under the column, e.g. the section's number.
    pub label: String,
    /// In the tooltip, e.g. the section's number and title.
    pub title: String,
    /// The column's height, e.g. a count or a rate.
    pub value: f64,
    /// The value as written above the column; nothing is written for a zero.
    pub shown: String,
    pub href: String,
}

impl Column {
    /// A column as high as a count.
    pub fn counted(label: String, title: String, count: usize, href: String) -> Column {
        Column {
            label,
            title,
            value: count as f64,
            shown: count.to_string(),
            href,
        }
    }
}

/// One word of a word cloud, with how often it occurs.
pub struct CloudEntry {
    pub word: String,
    pub count: u32,
    pub href: String,
}

/// A horizontal bar with its label, e.g. one section's length.
pub struct HorizontalBar {
    pub y: f64,
    pub label_x: f64,
    pub label: String,
    /// The full label and value, for the `<title>` that screen readers and tooltips read.
    pub title: String,
    pub bar_x: f64,
    pub width: f64,
    pub value: String,
    pub value_x: f64,
    pub href: String,
}

pub struct BarChart {
    pub height: f64,
    pub bars: Vec<HorizontalBar>,
}

const ROW_HEIGHT: f64 = 26.0;
const LABEL_WIDTH: f64 = 250.0;
const INDENT: f64 = 14.0;

/// Rows as horizontal bars, indented by level.
pub fn bar_chart(rows: &[BarRow], colon: &str) -> BarChart {
    let max = rows.iter().map(|r| r.value).max().unwrap_or(0).max(1) as f64;
    let room = WIDTH - LABEL_WIDTH - 70.0;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let BarRow {
                label,
                level,
                value,
                href,
            } = row;
            let width = (*value as f64 / max * room).max(1.0);
            HorizontalBar {
                y: index as f64 * ROW_HEIGHT + 4.0,
                label_x: 4.0 + f64::from(level.saturating_sub(1)) * INDENT,
                label: short(
                    label,
                    16usize.saturating_sub(usize::from(*level) * 2).max(8),
                ),
                title: format!("{label}{colon}{value}"),
                bar_x: LABEL_WIDTH,
                width,
                value: value.to_string(),
                value_x: LABEL_WIDTH + width + 6.0,
                href: href.clone(),
            }
        })
        .collect();
    BarChart {
        height: rows.len() as f64 * ROW_HEIGHT + 8.0,
        bars,
    }
}

/// One term's bar in a keyness chart: it grows right of the axis for the first side's
/// terms and left of it for the second's, as long as its effect size.
pub struct KeynessBar {
    pub y: f64,
    pub label: String,
    pub label_x: f64,
    /// `start` or `end`: the label sits across the axis from its bar.
    pub label_anchor: &'static str,
    pub bar_x: f64,
    pub width: f64,
    pub value: String,
    pub value_x: f64,
    pub value_anchor: &'static str,
    /// `first` or `second`, for the bar's colour.
    pub side: &'static str,
    pub title: String,
    pub href: String,
}

pub struct KeynessChart {
    pub width: f64,
    pub height: f64,
    pub axis_x: f64,
    pub bars: Vec<KeynessBar>,
}

/// Narrower than other charts: two short columns of terms, legible when a phone scales it.
const KEYNESS_WIDTH: f64 = 480.0;

/// The distinctive terms of both sides around one axis, bar length the log ratio and the
/// log-likelihood written at its end.
pub fn keyness_chart(
    first: &[KeyTerm],
    second: &[KeyTerm],
    href: impl Fn(&str) -> String,
    colon: &str,
) -> KeynessChart {
    let axis_x = KEYNESS_WIDTH / 2.0;
    let room = axis_x - 110.0;
    let max = first
        .iter()
        .chain(second)
        .map(|k| k.log_ratio.abs())
        .fold(0.0, f64::max)
        .max(1.0);
    let bars = first
        .iter()
        .map(|k| (k, true))
        .chain(second.iter().map(|k| (k, false)))
        .enumerate()
        .map(|(index, (key, is_first))| {
            let width = (key.log_ratio.abs() / max * room).max(1.0);
            let (label_x, bar_x, value_x) = if is_first {
                (axis_x - 8.0, axis_x, axis_x + width + 6.0)
            } else {
                (axis_x + 8.0, axis_x - width, axis_x - width - 6.0)
            };
            KeynessBar {
                y: index as f64 * ROW_HEIGHT + 4.0,
                label: short(&key.term, 10),
                label_x,
                label_anchor: if is_first { "end" } else { "start" },
                bar_x,
                width,
                value: format!("{:.1}", key.log_likelihood),
                value_x,
                value_anchor: if is_first { "start" } else { "end" },
                side: if is_first { "first" } else { "second" },
                title: format!(
                    "{}{colon}G² {:.1}, log₂ {:+.2}",
                    key.term, key.log_likelihood, key.log_ratio
                ),
                href: href(&key.term),
            }
        })
        .collect::<Vec<_>>();
    KeynessChart {
        width: KEYNESS_WIDTH,
        height: bars.len() as f64 * ROW_HEIGHT + 8.0,
        axis_x,
        bars,
    }
}

/// A vertical bar, e.g. one section's count of a term.
pub struct VerticalBar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub label: String,
    pub label_x: f64,
    pub title: String,
    /// Written above the column, or empty.
    pub shown: String,
    pub href: String,
}

pub struct ColumnChart {
    pub height: f64,
    pub baseline: f64,
    pub label_y: f64,
    pub bars: Vec<VerticalBar>,
}

const COLUMN_AREA: f64 = 150.0;

/// Columns in order.
pub fn column_chart(columns: &[Column], colon: &str) -> ColumnChart {
    let max = columns.iter().map(|c| c.value).fold(0.0, f64::max);
    let max = if max > 0.0 { max } else { 1.0 };
    let slot = (WIDTH - 20.0) / columns.len().max(1) as f64;
    let width = (slot - 6.0).clamp(4.0, 56.0);
    let baseline = COLUMN_AREA + 20.0;
    let bars = columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let Column {
                label,
                title,
                value,
                shown,
                href,
            } = column;
            let height = value / max * COLUMN_AREA;
            let x = 10.0 + index as f64 * slot + (slot - width) / 2.0;
            VerticalBar {
                x,
                y: baseline - height,
                width,
                height,
                label: short(label, 5),
                label_x: x + width / 2.0,
                title: format!("{title}{colon}{shown}"),
                shown: if *value > 0.0 {
                    shown.clone()
                } else {
                    String::new()
                },
                href: href.clone(),
            }
        })
        .collect();
    ColumnChart {
        height: baseline + 30.0,
        baseline,
        label_y: baseline + 18.0,
        bars,
    }
}

/// A word placed in a cloud.
pub struct CloudWord {
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub text: String,
    pub title: String,
    pub href: String,
}

pub struct WordCloud {
    pub height: f64,
    pub words: Vec<CloudWord>,
}

const MIN_FONT: f64 = 14.0;
const MAX_FONT: f64 = 40.0;
const WORD_GAP: f64 = 14.0;

/// Estimated width of a word: a Han character is square, Latin is about half as wide.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum::<f64>()
        * size
}

/// A word of the cloud with its font size.
type SizedWord<'a> = (&'a CloudEntry, f64);

/// Words, most frequent first, sized by the square root of their frequency and laid out in
/// centred rows.
pub fn word_cloud(words: &[CloudEntry], colon: &str) -> WordCloud {
    let max = words.iter().map(|w| w.count).max().unwrap_or(0).max(1) as f64;
    let sized: Vec<SizedWord> = words
        .iter()
        .map(|word| {
            (
                word,
                MIN_FONT + (MAX_FONT - MIN_FONT) * (f64::from(word.count) / max).sqrt(),
            )
        })
        .collect();
    let mut rows: Vec<Vec<SizedWord>> = Vec::new();
    let mut row_width = 0.0;
    for (word, size) in sized {
        let width = text_width(&word.word, size) + WORD_GAP;
        match rows.last_mut() {
            Some(row) if row_width + width <= WIDTH => {
                row.push((word, size));
                row_width += width;
            }
            _ => {
                rows.push(vec![(word, size)]);
                row_width = width;
            }
        }
    }
    let mut placed = Vec::new();
    let mut top = 0.0;
    for row in rows {
        let tallest = row.iter().map(|(_, size)| *size).fold(MIN_FONT, f64::max);
        let total: f64 = row
            .iter()
            .map(|(w, size)| text_width(&w.word, *size) + WORD_GAP)
            .sum();
        let mut x = (WIDTH - total + WORD_GAP) / 2.0;
        let baseline = top + tallest;
        for (entry, size) in row {
            placed.push(CloudWord {
                x,
                y: baseline,
                size: size.round(),
                text: entry.word.clone(),
                title: format!("{}{colon}{}", entry.word, entry.count),
                href: entry.href.clone(),
            });
            x += text_width(&entry.word, size) + WORD_GAP;
        }
        top = baseline + tallest * 0.3;
    }
    WordCloud {
        height: top + 8.0,
        words: placed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value() {
        let row = |label: &str, level, value, href: &str| BarRow {
            label: label.into(),
            level,
            value,
            href: href.into(),
        };
        let chart = bar_chart(
            &[
                row("一 总体", 1, 200, "#s1"),
                row("(一) 细节", 2, 100, "#s1-1"),
            ],
            "：",
        );
        assert!((chart.bars[0].width - 2.0 * chart.bars[1].width).abs() < 1e-9);
        assert!(chart.bars[1].label_x > chart.bars[0].label_x);
        assert!(chart.bars.iter().all(|b| b.bar_x + b.width <= WIDTH));
        assert_eq!(
            chart.bars[0].title, "一 总体：200",
            "the colon of the page's language"
        );
    }

    #[test]
    fn cloud_words_stay_inside_and_shrink_with_frequency() {
        let words: Vec<CloudEntry> = (1..=40)
            .rev()
            .map(|n| CloudEntry {
                word: format!("词语{n}"),
                count: n,
                href: String::new(),
            })
            .collect();
        let cloud = word_cloud(&words, ": ");
        assert_eq!(cloud.words.len(), 40);
        assert!(
            cloud
                .words
                .iter()
                .all(|w| w.x >= 0.0 && w.x + text_width(&w.text, w.size) <= WIDTH + 1.0)
        );
        assert!(cloud.words[0].size > cloud.words[39].size);
        assert!(cloud.words.iter().all(|w| w.y <= cloud.height));
    }

    #[test]
    fn columns_share_the_width() {
        let column = |label: &str, title: &str, count, href: &str| {
            Column::counted(label.into(), title.into(), count, href.into())
        };
        let chart = column_chart(
            &[
                column("一", "一 总体", 4, "#s1"),
                column("二", "二 细节", 0, "#s2"),
            ],
            ": ",
        );
        assert_eq!(chart.bars[1].height, 0.0);
        assert!((chart.bars[0].height - COLUMN_AREA).abs() < 1e-9);
        assert!(chart.bars[0].x + chart.bars[0].width < chart.bars[1].x);
    }
}
