//! What every page shares: the site layout, links and their hrefs, finding the speech a URL
//! names, the breadcrumb trail, sort links, and rendering a template.

use askama::Template;
use axum::http::Uri;
use axum::response::Html;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::borrow::Cow;
use std::sync::Arc;

use super::AppState;
use super::error::AppError;
use super::i18n::{Lang, Strings};
use crate::analysis::StillCounting;
use crate::analysis::stats::{SpeechStats, Statistics};
use crate::model::{Section, Speech};

/// What every page's layout needs: language, assets, the language switch and the share box.
pub struct Layout {
    pub t: &'static Strings,
    pub lang: Lang,
    pub title: String,
    pub css: String,
    pub js: String,
    pub icon: String,
    /// The LAN base URL that copied links use; empty when the server listens on loopback only.
    pub share_base: String,
    /// This page's LAN URL and its QR code, when colleagues can reach the server.
    pub share_url: Option<String>,
    pub qr_src: Option<String>,
    /// This page in the other language.
    pub switch_href: String,
    /// What change the page tells its reader of, when the collection is watched.
    pub watch: Watch,
}

/// The change to the collection an open page listens for (through `/events`, with script).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Watch {
    Nothing,
    /// Any change: the collection page.
    Collection,
    /// A change to the speech of this slug: its reader.
    Speech(String),
}

impl Layout {
    /// The layout of a page for someone not let in (a wrong host, no key): no share box, so
    /// that it shows no link that carries the key.
    pub fn for_outsider(state: &AppState, lang: Lang, title: &str, uri: &Uri) -> Layout {
        Layout {
            share_base: String::new(),
            share_url: None,
            qr_src: None,
            ..Layout::new(state, lang, title, uri)
        }
    }

    pub fn new(state: &AppState, lang: Lang, title: &str, uri: &Uri) -> Layout {
        let path = uri.path();
        let other_pairs: Vec<(String, String)> =
            form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
                .filter(|(key, _)| key != "lang")
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect();
        let page_path = with_query(path, &other_pairs);
        let switch_href = {
            let mut pairs = other_pairs;
            pairs.push(("lang".to_owned(), lang.other().short().to_owned()));
            with_query(path, &pairs)
        };
        let share_url = state.share.url(&page_path);
        Layout {
            t: lang.strings(),
            lang,
            title: title.to_owned(),
            css: state.assets.style.href(),
            js: state.assets.script.href(),
            icon: state.assets.icon.href(),
            share_base: state.share.lan_base.clone().unwrap_or_default(),
            qr_src: share_url
                .as_ref()
                .map(|_| with_query("/share/qr.svg", &[("path", page_path.as_str())])),
            share_url,
            switch_href,
            watch: Watch::Nothing,
        }
    }

    /// What the page listens for (`""` for any change, else a speech's slug) and the notice
    /// it shows when that changes; `None` for a page that does not listen.
    pub fn live_notice(&self) -> Option<(&str, &'static str)> {
        match &self.watch {
            Watch::Nothing => None,
            Watch::Collection => Some(("", self.t.collection_changed)),
            Watch::Speech(slug) => Some((slug, self.t.speech_changed)),
        }
    }

    /// The layout of a page that tells its reader when `watch` changes, if the collection is
    /// watched.
    pub fn watching(self, state: &AppState, watch: Watch) -> Layout {
        Layout {
            watch: if state.changes.is_some() {
                watch
            } else {
                Watch::Nothing
            },
            ..self
        }
    }
}

/// `path` with `pairs` as its query string (none when there are no pairs).
pub fn with_query<K: AsRef<str>, V: AsRef<str>>(path: &str, pairs: &[(K, V)]) -> String {
    if pairs.is_empty() {
        return path.to_owned();
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        query.append_pair(key.as_ref(), value.as_ref());
    }
    format!("{path}?{}", query.finish())
}

/// A link with its text.
pub struct Link {
    pub href: String,
    pub label: String,
}

/// One entry of a numbered pager: a page number (its link, or none for the page shown), or a
/// gap (`…`) where pages are left out.
pub struct PageNumber {
    pub label: String,
    pub href: Option<String>,
    pub current: bool,
}

/// Pages near enough to the current one to be listed by number.
const PAGES_AROUND: usize = 2;

/// The pager's numbers: the first and last page, and those within `PAGES_AROUND` of `current`,
/// with gaps between.
pub fn page_numbers(
    current: usize,
    pages: usize,
    href: impl Fn(usize) -> String,
) -> Vec<PageNumber> {
    if pages <= 1 {
        return Vec::new();
    }
    let mut numbers = Vec::new();
    let mut last_listed = 0;
    for page in 1..=pages {
        let near = page.abs_diff(current) <= PAGES_AROUND;
        if !(page == 1 || page == pages || near) {
            continue;
        }
        if page > last_listed + 1 {
            numbers.push(PageNumber {
                label: "…".to_owned(),
                href: None,
                current: false,
            });
        }
        numbers.push(PageNumber {
            label: page.to_string(),
            href: (page != current).then(|| href(page)),
            current: page == current,
        });
        last_listed = page;
    }
    numbers
}

/// One way to order a list, as a link; `current` marks the order shown.
pub struct SortLink {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

/// The links that reorder the list at `path`: each choice's name (`?sort=name`), after the
/// parameters in `keep` (a filter, say), with the chosen one marked.
pub fn sort_links<S>(
    path: &str,
    keep: &[(&str, &str)],
    choices: &[(S, &'static str)],
    chosen: S,
) -> Vec<SortLink>
where
    S: Copy + PartialEq + Into<&'static str>,
{
    choices
        .iter()
        .map(|&(choice, label)| {
            let mut pairs: Vec<(&str, &str)> = keep
                .iter()
                .copied()
                .filter(|(_, value)| !value.is_empty())
                .collect();
            pairs.push(("sort", choice.into()));
            SortLink {
                href: with_query(path, &pairs),
                label,
                current: choice == chosen,
            }
        })
        .collect()
}

/// Renders a page; a template error is a bug, logged and answered with a 500.
pub fn render(page: impl Template) -> Result<Html<String>, AppError> {
    page.render()
        .map(Html)
        .map_err(|error| AppError::internal("rendering a page", error))
}

/// The speech a URL names, with its position in the collection; a 410 if its file was
/// deleted while serving, a 404 if there never was one.
pub fn find_speech<'a>(state: &'a AppState, slug: &str) -> Result<(usize, &'a Speech), AppError> {
    let corpus = &state.corpus;
    if let Some(found) = corpus
        .index_of(slug)
        .and_then(|index| Some((index, &**corpus.speeches.get(index)?)))
    {
        return Ok(found);
    }
    Err(match corpus.departed(slug) {
        Some(departed) => AppError::Gone(departed.title.clone()),
        None => AppError::NotFound(format!("speech {slug}")),
    })
}

/// A speech and its statistics, or a 404 (or a 503 while the statistics are counted).
pub fn find_speech_with_stats<'a>(
    state: &'a AppState,
    slug: &str,
) -> Result<(&'a Speech, &'a SpeechStats), AppError> {
    let (index, speech) = find_speech(state, slug)?;
    Ok((speech, counted_stats(state.statistics()?, index, slug)?))
}

/// The counted statistics of the speech at `index`, named `slug`.
fn counted_stats<'a>(
    statistics: &'a Statistics,
    index: usize,
    slug: &str,
) -> Result<&'a SpeechStats, AppError> {
    statistics
        .speeches
        .get(index)
        .map(Arc::as_ref)
        .ok_or_else(|| AppError::NotFound(format!("statistics of {slug}")))
}

/// A speech's statistics as counted with the collection; or, while the collection is still
/// being counted, measured alone (off the async workers), with how far the count has got.
/// What one speech's page or table shows needs no other speech, but its keywords against
/// the collection and its washed wording do (see `SpeechStats::alone`).
pub async fn find_speech_with_own_stats<'a>(
    state: &'a Arc<AppState>,
    slug: &str,
) -> Result<(&'a Speech, Cow<'a, SpeechStats>, Option<StillCounting>), AppError> {
    let (index, speech) = find_speech(state, slug)?;
    match state.analysis.statistics() {
        Ok(statistics) => {
            let stats = counted_stats(statistics, index, slug)?;
            Ok((speech, Cow::Borrowed(stats), None))
        }
        Err(progress) => {
            // `find_speech` found the speech at `index`.
            let shared = Arc::clone(&state.corpus.speeches[index]);
            let alone = state
                .scan("measuring one speech", move |state| {
                    SpeechStats::alone(&shared, &state.analysis.segmenter)
                })
                .await?;
            Ok((speech, Cow::Owned(alone), Some(progress)))
        }
    }
}

/// Characters a path segment must not hold as they are: everything but letters, digits and
/// `-._~` (RFC 3986's unreserved characters).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a path segment (slugs may hold Han characters).
pub fn encode_path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

pub fn speech_href(speech: &Speech) -> String {
    format!("/speeches/{}", encode_path_segment(&speech.slug))
}

pub fn section_href(speech: &Speech, section: &Section) -> String {
    format!("{}/sections/{}", speech_href(speech), section.id)
}

/// The start of every breadcrumb trail below a speech: the collection, then the speech.
pub fn speech_trail(t: &Strings, speech: &Speech) -> Vec<Link> {
    vec![
        Link {
            href: "/".to_owned(),
            label: t.collection.to_owned(),
        },
        Link {
            href: speech_href(speech),
            label: speech.title.clone(),
        },
    ]
}

/// Pages present of pages declared: `9/11`, `9`, or `—` when the source has no pages.
pub fn pages_label(speech: &Speech) -> String {
    match (speech.source.present_pages, speech.source.declared_pages) {
        (Some(present), Some(declared)) => format!("{present}/{declared}"),
        (Some(present), None) => present.to_string(),
        _ => "—".to_owned(),
    }
}

/// The notices a reader must see before trusting the text (missing pages, a cut-off ending),
/// in the reader's language.
pub fn completeness_notices(speech: &Speech, lang: Lang) -> Vec<String> {
    speech
        .warnings
        .iter()
        .filter(|warning| warning.is_about_completeness())
        .map(|warning| lang.warning(warning))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, PartialEq)]
    enum Order {
        File,
        Title,
    }

    impl From<Order> for &'static str {
        fn from(order: Order) -> &'static str {
            match order {
                Order::File => "file",
                Order::Title => "title",
            }
        }
    }

    #[test]
    fn page_numbers_list_both_ends_and_the_neighbourhood_with_gaps() {
        let labels = |current, pages| {
            page_numbers(current, pages, |p| format!("?page={p}"))
                .iter()
                .map(|n| n.label.clone())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(labels(1, 1), "");
        assert_eq!(labels(1, 3), "1 2 3");
        assert_eq!(labels(6, 20), "1 … 4 5 6 7 8 … 20");
        assert_eq!(labels(2, 9), "1 2 3 4 … 9");
        let numbers = page_numbers(6, 20, |p| format!("?page={p}"));
        let current: Vec<_> = numbers.iter().filter(|n| n.current).collect();
        assert_eq!(current.len(), 1);
        assert!(current[0].href.is_none());
        assert_eq!(numbers[0].href.as_deref(), Some("?page=1"));
    }

    #[test]
    fn sort_links_keep_other_parameters_and_mark_the_choice() {
        let links = sort_links(
            "/",
            &[("q", "民政 工作"), ("page", "")],
            &[(Order::File, "文件"), (Order::Title, "标题")],
            Order::Title,
        );
        let shown: Vec<(&str, bool)> = links.iter().map(|l| (l.href.as_str(), l.current)).collect();
        assert_eq!(
            shown,
            vec![
                ("/?q=%E6%B0%91%E6%94%BF+%E5%B7%A5%E4%BD%9C&sort=file", false),
                ("/?q=%E6%B0%91%E6%94%BF+%E5%B7%A5%E4%BD%9C&sort=title", true)
            ]
        );
    }

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(encode_path_segment("000-fd25"), "000-fd25");
        assert_eq!(
            encode_path_segment("讲话 稿/1"),
            "%E8%AE%B2%E8%AF%9D%20%E7%A8%BF%2F1"
        );
        assert_eq!(with_query("/search", &[("q", "a&b")]), "/search?q=a%26b");
        assert_eq!(with_query::<&str, &str>("/", &[]), "/");
    }
}
