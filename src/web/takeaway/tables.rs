//! Tables for spreadsheets: a speech's figures and term counts, and the collection's table, as
//! CSV in UTF-8 with a byte-order mark (so that Excel and WPS read Chinese), the header row in
//! the reader's language.

use crate::analysis::stats::{SpeechStats, Statistics};
use crate::corpus::Corpus;
use crate::web::i18n::Lang;

/// The byte-order mark that tells spreadsheets the file is UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Rows as CSV bytes, the header first.
fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(BOM.to_vec());
    // Writing into memory cannot fail; a row that could not be written is left out.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(&row);
    }
    writer.into_inner().unwrap_or_default()
}

fn number(value: f64) -> String {
    value.to_string()
}

/// A speech's figures, as `/api/speeches/{slug}/stats` lists them.
pub fn figures(stats: &SpeechStats, lang: Lang) -> Vec<u8> {
    let header: &[&str] = match lang {
        Lang::Zh => &[
            "数字",
            "数值",
            "上限",
            "单位",
            "类别",
            "约数",
            "折算值",
            "折算单位",
            "所在分句",
            "段落",
        ],
        Lang::En => &[
            "figure",
            "value",
            "value to",
            "unit",
            "kind",
            "approximate",
            "normalized",
            "base unit",
            "clause",
            "paragraph",
        ],
    };
    csv(
        header,
        stats.figures.iter().map(|f| {
            vec![
                f.text.clone(),
                number(f.value),
                f.value_to.map(number).unwrap_or_default(),
                f.unit.clone(),
                lang.figure_kind(f.kind).to_owned(),
                f.approximate.to_string(),
                f.normalized.map(number).unwrap_or_default(),
                f.base_unit.map_or("", |unit| unit.0).to_owned(),
                f.clause.clone(),
                f.paragraph.to_string(),
            ]
        }),
    )
}

/// A speech's most frequent terms with their counts.
pub fn terms(stats: &SpeechStats, lang: Lang) -> Vec<u8> {
    let header: &[&str] = match lang {
        Lang::Zh => &["词语", "次数"],
        Lang::En => &["term", "count"],
    };
    csv(
        header,
        stats
            .top_terms()
            .map(|(term, count)| vec![term.to_owned(), count.to_string()]),
    )
}

/// The collection's table: one row per speech, as `/api/stats` lists them.
pub fn collection(corpus: &Corpus, statistics: &Statistics, lang: Lang) -> Vec<u8> {
    let header: &[&str] = match lang {
        Lang::Zh => &["标识", "标题", "字数", "章节", "数字", "部分预览", "关键词"],
        Lang::En => &[
            "slug",
            "title",
            "characters",
            "sections",
            "figures",
            "partial",
            "keywords",
        ],
    };
    csv(
        header,
        corpus
            .speeches
            .iter()
            .zip(&statistics.speeches)
            .map(|(speech, stats)| {
                let keywords: Vec<&str> = stats.keywords.iter().map(|k| k.term.as_str()).collect();
                vec![
                    speech.slug.clone(),
                    speech.title.clone(),
                    stats.overview.characters.to_string(),
                    stats.overview.sections.to_string(),
                    stats.figures.len().to_string(),
                    speech.source.partial.to_string(),
                    keywords.join(" "),
                ]
            }),
    )
}
