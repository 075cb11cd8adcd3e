//! The collection page (`/`): every speech as a card, filtered and sorted as asked, and the
//! files that could not be read.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Html;
use serde::Deserialize;
use std::sync::Arc;

use super::AppState;
use super::error::AppError;
use super::i18n::Lang;
use super::layout::{Layout, SortLink, Watch, pages_label, render, sort_links, speech_href};
use crate::corpus::Skipped;
use crate::model::Speech;
use crate::text::pinyin_key;

/// How the collection is ordered.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Sort {
    /// As the files lie in the folder.
    #[default]
    File,
    /// By the pinyin of the title.
    Title,
    /// Oldest first; undated speeches last.
    Date,
    /// By the pinyin of the speaker's name; speeches without one last.
    Speaker,
    /// Longest first.
    Length,
}

#[derive(Debug, Deserialize)]
pub struct CollectionParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: Sort,
}

/// One speech in the collection table.
pub struct SpeechRow<'a> {
    pub href: String,
    pub speech: &'a Speech,
    pub pages: String,
    pub chars: usize,
    pub sections: usize,
    /// Suspect substitutions, when the statistics are counted and the speech looks washed.
    pub washed: Option<usize>,
}

#[derive(Template)]
#[template(path = "collection.html")]
pub struct CollectionPage<'a> {
    layout: Layout,
    rows: Vec<SpeechRow<'a>>,
    total: usize,
    filter: &'a str,
    sort_links: Vec<SortLink>,
    /// Speech files that could not be loaded, shown first.
    failed: Vec<&'a Skipped>,
    /// Other files in the folder, which are not speeches.
    ignored: Vec<&'a Skipped>,
}

/// Filters longer than this are not titles or keywords.
const MAX_FILTER_CHARS: usize = 200;

/// `GET /`: every speech, filtered and sorted as asked.
pub async fn collection(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Query(params): Query<CollectionParams>,
) -> Result<Html<String>, AppError> {
    let filter = params.q.trim();
    if filter.chars().count() > MAX_FILTER_CHARS {
        return Err(AppError::BadRequest(format!(
            "the filter is longer than {MAX_FILTER_CHARS} characters"
        )));
    }
    let needle = filter.to_lowercase();
    let statistics = state.analysis.statistics().ok();
    let washed = |index: usize| {
        let stats = statistics?.speeches.get(index)?;
        stats.looks_washed().then_some(stats.rewordings.len())
    };
    let mut rows: Vec<SpeechRow> = state
        .corpus
        .speeches
        .iter()
        .enumerate()
        .filter(|(_, s)| needle.is_empty() || matches_filter(s, &needle))
        .map(|(index, speech)| SpeechRow {
            href: speech_href(speech),
            speech,
            pages: pages_label(speech),
            chars: speech.char_count(),
            sections: speech.sections_flat().len(),
            washed: washed(index),
        })
        .collect();
    match params.sort {
        Sort::File => {}
        Sort::Title => rows.sort_by_cached_key(|row| pinyin_key(&row.speech.title)),
        Sort::Date => rows.sort_by(|a, b| {
            let (a, b) = (&a.speech.front.date, &b.speech.front.date);
            a.is_none().cmp(&b.is_none()).then_with(|| a.cmp(b))
        }),
        Sort::Speaker => rows.sort_by_cached_key(|row| {
            let speaker = row.speech.front.speaker.as_deref();
            (speaker.is_none(), speaker.map(pinyin_key))
        }),
        Sort::Length => rows.sort_by_key(|row| std::cmp::Reverse(row.chars)),
    }
    let t = lang.strings();
    render(CollectionPage {
        layout: Layout::new(&state, lang, t.collection, &uri).watching(&state, Watch::Collection),
        rows,
        total: state.corpus.speeches.len(),
        filter,
        sort_links: sort_links(
            "/",
            &[("q", filter)],
            &[
                (Sort::File, t.sort_file),
                (Sort::Title, t.sort_title),
                (Sort::Date, t.sort_date),
                (Sort::Speaker, t.sort_speaker),
                (Sort::Length, t.sort_length),
            ],
            params.sort,
        ),
        failed: state.corpus.skipped.iter().filter(|s| s.failed).collect(),
        ignored: state.corpus.skipped.iter().filter(|s| !s.failed).collect(),
    })
}

fn matches_filter(speech: &Speech, needle: &str) -> bool {
    let front = &speech.front;
    let about = [&front.speaker, &front.office, &front.occasion, &front.date];
    speech.title.to_lowercase().contains(needle)
        || speech.source.file.to_lowercase().contains(needle)
        || about
            .into_iter()
            .flatten()
            .any(|field| field.to_lowercase().contains(needle))
        || speech
            .keywords
            .iter()
            .any(|k| k.to_lowercase().contains(needle))
}
