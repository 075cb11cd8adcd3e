//! Keyword in context: a term's concordance in one speech (`/speeches/{slug}/kwic`), and the
//! parameters it shares with its JSON form.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Html;
use serde::Deserialize;
use std::sync::Arc;

use super::AppState;
use super::error::AppError;
use super::i18n::Lang;
use super::layout::{
    Layout, Link, SortLink, find_speech, render, sort_links, speech_href, speech_trail, with_query,
};
use crate::analysis::kwic::{self, ConcordanceLine, ConcordanceOrder};
use crate::analysis::segment::char_tokens;
use crate::model::Speech;

/// Terms longer than this are not terms.
pub const MAX_TERM_CHARS: usize = 50;

/// The parameters of a concordance.
#[derive(Debug, Deserialize)]
pub struct ConcordanceParams {
    #[serde(default)]
    term: String,
    #[serde(default)]
    pub sort: ConcordanceOrder,
}

impl ConcordanceParams {
    /// The term asked for: present, and not too long.
    pub fn term(&self) -> Result<String, AppError> {
        let term = self.term.trim();
        if term.is_empty() || char_tokens(term).is_empty() {
            return Err(AppError::BadRequest(
                "the concordance needs a term (?term=…)".to_owned(),
            ));
        }
        checked_term_length(term)?;
        Ok(term.to_owned())
    }
}

/// A term a reader typed is at most `MAX_TERM_CHARS` long.
pub fn checked_term_length(term: &str) -> Result<(), AppError> {
    if term.chars().count() > MAX_TERM_CHARS {
        return Err(AppError::BadRequest(format!(
            "a term has at most {MAX_TERM_CHARS} characters"
        )));
    }
    Ok(())
}

/// The concordance of `term` in `speech`.
pub fn kwic_href(speech: &Speech, term: &str) -> String {
    with_query(&format!("{}/kwic", speech_href(speech)), &[("term", term)])
}

/// Lines shown at most on the collection's concordance; the count says how many there are.
const COLLECTION_LINES: usize = 500;

/// One line as the page shows it: where its paragraph is, and on the collection's page, which
/// speech it is from.
struct ConcordanceRow<'a> {
    line: ConcordanceLine,
    paragraph_href: String,
    speech: Option<(&'a str, String)>,
}

#[derive(Template)]
#[template(path = "kwic.html")]
struct ConcordancePage<'a> {
    layout: Layout,
    /// Where the form asks for another term.
    action: String,
    trail: Vec<Link>,
    term: String,
    rows: Vec<ConcordanceRow<'a>>,
    sort_links: Vec<SortLink>,
    count_label: String,
    /// Says that only the first lines are listed, when there are more.
    cut_note: Option<String>,
    /// Each line names its speech.
    across_collection: bool,
}

/// The links that order a concordance at `action` by text, left or right context.
fn order_links(action: &str, term: &str, lang: Lang, chosen: ConcordanceOrder) -> Vec<SortLink> {
    let t = lang.strings();
    sort_links(
        action,
        &[("term", term)],
        &[
            (ConcordanceOrder::Text, t.sort_text),
            (ConcordanceOrder::Left, t.sort_left),
            (ConcordanceOrder::Right, t.sort_right),
        ],
        chosen,
    )
}

/// `GET /speeches/{slug}/kwic?term=…&sort=text|left|right`.
pub async fn concordance(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Path(slug): Path<String>,
    Query(params): Query<ConcordanceParams>,
) -> Result<Html<String>, AppError> {
    let (_, speech) = find_speech(&state, &slug)?;
    let term = params.term()?;
    let lines = kwic::concordance(speech, &term, params.sort);
    let t = lang.strings();
    let href = speech_href(speech);
    let mut trail = speech_trail(t, speech);
    trail.push(Link {
        href: format!("{href}/stats"),
        label: t.stats.to_owned(),
    });
    let action = format!("{href}/kwic");
    render(ConcordancePage {
        layout: Layout::new(&state, lang, &format!("{term} · {}", speech.title), &uri),
        trail,
        sort_links: order_links(&action, &term, lang, params.sort),
        action,
        count_label: lang.occurrence_count(lines.len()),
        cut_note: None,
        across_collection: false,
        rows: lines
            .into_iter()
            .map(|line| ConcordanceRow {
                paragraph_href: format!("{href}#p{}", line.paragraph),
                line,
                speech: None,
            })
            .collect(),
        term,
    })
}

/// `GET /kwic?term=…&sort=…`: the term in context in every speech of the collection.
pub async fn collection_concordance(
    State(state): State<Arc<AppState>>,
    lang: Lang,
    uri: Uri,
    Query(params): Query<ConcordanceParams>,
) -> Result<Html<String>, AppError> {
    let term = params.term()?;
    let order = params.sort;
    let wanted = term.clone();
    let found = state
        .scan("the collection's concordance", move |state| {
            kwic::collection_concordance(&state.corpus, &wanted, order, COLLECTION_LINES)
        })
        .await?;
    let t = lang.strings();
    let rows = found
        .lines
        .into_iter()
        .map(|(index, line)| {
            let speech = &state.corpus.speeches[index];
            let href = speech_href(speech);
            ConcordanceRow {
                paragraph_href: format!("{href}#p{}", line.paragraph),
                line,
                speech: Some((speech.title.as_str(), href)),
            }
        })
        .collect();
    render(ConcordancePage {
        layout: Layout::new(&state, lang, &format!("{term} · {}", t.kwic), &uri),
        trail: vec![Link {
            href: "/".to_owned(),
            label: t.collection.to_owned(),
        }],
        sort_links: order_links("/kwic", &term, lang, order),
        action: "/kwic".to_owned(),
        count_label: format!(
            "{} · {}",
            lang.occurrence_count(found.total),
            lang.speech_count(found.speeches)
        ),
        cut_note: (found.total > COLLECTION_LINES).then(|| lang.lines_shown(COLLECTION_LINES)),
        across_collection: true,
        rows,
        term,
    })
}
