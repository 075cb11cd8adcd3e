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

#[derive(Template)]
#[template(path = "kwic.html")]
struct ConcordancePage {
    layout: Layout,
    speech_href: String,
    trail: Vec<Link>,
    term: String,
    lines: Vec<ConcordanceLine>,
    sort_links: Vec<SortLink>,
    count_label: String,
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
    render(ConcordancePage {
        layout: Layout::new(&state, lang, &format!("{term} · {}", speech.title), &uri),
        trail,
        sort_links: sort_links(
            &format!("{href}/kwic"),
            &[("term", &term)],
            &[
                (ConcordanceOrder::Text, t.sort_text),
                (ConcordanceOrder::Left, t.sort_left),
                (ConcordanceOrder::Right, t.sort_right),
            ],
            params.sort,
        ),
        speech_href: href,
        count_label: lang.occurrence_count(lines.len()),
        term,
        lines,
    })
}
