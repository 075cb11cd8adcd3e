//! Interface language: Simplified Chinese by default, English on request (`?lang=en`, remembered
//! in a cookie, or the browser's Accept-Language). The words themselves are in `zh` and `en`;
//! sentences that carry values are in `messages`.

mod en;
mod messages;
mod strings;
mod zh;

pub use messages::english_count;
pub use strings::Strings;

use axum::extract::{FromRequestParts, Request};
use axum::http::header::{ACCEPT_LANGUAGE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use cookie::time::Duration;
use std::convert::Infallible;

/// The cookie, and the query parameter, that hold the reader's choice.
const LANG_KEY: &str = "lang";
/// How long a choice is remembered.
const ONE_YEAR: Duration = Duration::days(365);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        if code.starts_with("zh") {
            Some(Lang::Zh)
        } else if code.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The `lang` attribute of the page.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The other language, offered as a switch on every page.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The short code used in `?lang=` and the cookie.
    pub fn short(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Zh => &zh::ZH,
            Lang::En => &en::EN,
        }
    }

    /// The language a request asks for: `?lang=`, then the `lang` cookie, then Accept-Language.
    pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> Lang {
        query_lang(query)
            .or_else(|| cookie_lang(headers))
            .or_else(|| accept_language(headers))
            .unwrap_or(Lang::Zh)
    }

    pub fn of_request(parts: &Parts) -> Lang {
        Lang::negotiate(parts.uri.query(), &parts.headers)
    }
}

fn query_lang(query: Option<&str>) -> Option<Lang> {
    form_urlencoded::parse(query?.as_bytes())
        .filter(|(key, _)| key == LANG_KEY)
        .find_map(|(_, value)| Lang::from_code(&value))
}

fn cookie_lang(headers: &HeaderMap) -> Option<Lang> {
    Lang::from_code(CookieJar::from_headers(headers).get(LANG_KEY)?.value())
}

/// The language Rostrum speaks that the browser prefers most (q-values honoured, `q=0` refused).
fn accept_language(headers: &HeaderMap) -> Option<Lang> {
    let header = headers.get(ACCEPT_LANGUAGE)?.to_str().ok()?;
    accept_language::parse_with_quality(header)
        .into_iter()
        .filter(|(_, quality)| *quality > 0.0)
        .find_map(|(tag, _)| Lang::from_code(&tag))
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::of_request(parts))
    }
}

/// Middleware: a `?lang=` choice is remembered for a year in a cookie.
pub async fn remember_choice(request: Request, next: Next) -> Response {
    let chosen = query_lang(request.uri().query());
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let cookie = Cookie::build((LANG_KEY, lang.short()))
            .path("/")
            .max_age(ONE_YEAR)
            .same_site(SameSite::Lax)
            .build();
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request as HttpRequest;

    fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut builder = HttpRequest::builder().uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap().into_parts().0
    }

    #[test]
    fn query_then_cookie_then_accept_language_then_chinese() {
        assert_eq!(Lang::of_request(&parts("/", &[])), Lang::Zh);
        assert_eq!(
            Lang::of_request(&parts("/", &[("accept-language", "en-GB,en;q=0.8")])),
            Lang::En
        );
        assert_eq!(
            Lang::of_request(&parts(
                "/",
                &[("accept-language", "fr,zh-CN;q=0.9,en;q=0.8")]
            )),
            Lang::Zh
        );
        assert_eq!(
            Lang::of_request(&parts(
                "/",
                &[("cookie", "a=1; lang=en"), ("accept-language", "zh")]
            )),
            Lang::En
        );
        assert_eq!(
            Lang::of_request(&parts("/?x=1&lang=zh", &[("cookie", "lang=en")])),
            Lang::Zh
        );
        assert_eq!(Lang::of_request(&parts("/?lang=xx", &[])), Lang::Zh);
    }
}
