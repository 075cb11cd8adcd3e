//! Who may read. The `Host` a request names must be one the server is reachable at, so that a
//! page on another site cannot read the collection by rebinding its name to this machine
//! (DNS rebinding). With `--token`, every request must carry the key: once in the link
//! (`?key=…`), after which a cookie holds it and the address is cleaned; wrong keys from one
//! address are answered more and more slowly.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{HOST, LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use super::AppState;
use super::error::AppError;
use super::layout::with_query;

/// The query parameter and the cookie that carry the key.
pub const KEY_PARAMETER: &str = "key";
const KEY_COOKIE: &str = "rostrum_key";
/// Bytes of randomness in a key made up at start.
const KEY_BYTES: usize = 18;
/// The first wrong key is answered after this, each further one after twice as long …
const FIRST_DELAY: Duration = Duration::from_millis(100);
/// … up to this.
const MAX_DELAY: Duration = Duration::from_secs(5);
/// Wrong keys are forgotten after this long without one.
const FAILURE_MEMORY: Duration = Duration::from_secs(15 * 60);

/// The names and addresses requests may be addressed to.
#[derive(Debug, Clone, PartialEq)]
pub struct AllowedHosts(HashSet<String>);

impl AllowedHosts {
    /// Loopback names and addresses, the machine's host name, `addresses`, and `extra`.
    pub fn new<'a>(
        addresses: impl IntoIterator<Item = IpAddr>,
        extra: impl IntoIterator<Item = &'a str>,
    ) -> AllowedHosts {
        let mut hosts: HashSet<String> = ["localhost", "127.0.0.1", "::1"].map(String::from).into();
        hosts.extend(addresses.into_iter().map(|ip| ip.to_string()));
        if let Ok(name) = std::fs::read_to_string("/etc/hostname") {
            let name = name.trim().to_ascii_lowercase();
            if !name.is_empty() {
                hosts.insert(format!("{name}.local"));
                hosts.insert(name);
            }
        }
        hosts.extend(
            extra
                .into_iter()
                .map(|host| host.trim().to_ascii_lowercase()),
        );
        AllowedHosts(hosts)
    }

    /// Whether a `Host` header names an allowed host (any port).
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let name = match host.strip_prefix('[') {
            Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
            None => host.rsplit_once(':').map_or(host.as_str(), |(name, port)| {
                if port.chars().all(|c| c.is_ascii_digit()) {
                    name
                } else {
                    host.as_str()
                }
            }),
        };
        self.0.contains(name) || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }
}

impl Default for AllowedHosts {
    fn default() -> Self {
        AllowedHosts::new([], [])
    }
}

/// The key that `--token` asks for.
#[derive(Clone)]
pub struct Token {
    key: String,
    digest: blake3::Hash,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

impl Token {
    pub fn given(key: &str) -> Token {
        Token {
            key: key.to_owned(),
            digest: blake3::hash(key.as_bytes()),
        }
    }

    /// A key made up from the system's randomness, safe in a URL.
    pub fn random() -> Result<Token, getrandom::Error> {
        let mut bytes = [0u8; KEY_BYTES];
        getrandom::fill(&mut bytes)?;
        let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Token::given(&key))
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    /// Whether `candidate` is the key; compared in constant time (of BLAKE3 digests, whose
    /// equality is constant-time, so the length does not tell either).
    pub fn matches(&self, candidate: &str) -> bool {
        blake3::hash(candidate.as_bytes()) == self.digest
    }
}

/// Wrong keys lately from one address.
struct Failures {
    count: u32,
    last: Instant,
}

/// What the guard checks, set when the server starts.
#[derive(Default)]
pub struct Access {
    pub hosts: AllowedHosts,
    pub token: Option<Token>,
    failures: Mutex<HashMap<IpAddr, Failures>>,
}

impl Access {
    pub fn new(hosts: AllowedHosts, token: Option<Token>) -> Access {
        Access {
            hosts,
            token,
            failures: Mutex::default(),
        }
    }

    /// How long to wait before answering a wrong key from `client`: doubling with each recent
    /// one.
    fn delay_after_failure(&self, client: IpAddr) -> Duration {
        let Ok(mut failures) = self.failures.lock() else {
            return MAX_DELAY;
        };
        let now = Instant::now();
        failures.retain(|_, f| now.duration_since(f.last) < FAILURE_MEMORY);
        let entry = failures.entry(client).or_insert(Failures {
            count: 0,
            last: now,
        });
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
        FIRST_DELAY
            .saturating_mul(2u32.saturating_pow(entry.count.saturating_sub(1).min(16)))
            .min(MAX_DELAY)
    }
}

/// The key a request's query carries, and the query without it.
fn key_in_query(query: Option<&str>) -> (Option<String>, Vec<(String, String)>) {
    let mut key = None;
    let mut rest = Vec::new();
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if name == KEY_PARAMETER {
            key = Some(value.into_owned());
        } else {
            rest.push((name.into_owned(), value.into_owned()));
        }
    }
    (key, rest)
}

/// Middleware: refuses a request for a host the server is not, and, in token mode, one
/// without the key.
pub async fn check_access(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let access = &state.access;
    let host = request.headers().get(HOST).and_then(|h| h.to_str().ok());
    if host.is_some_and(|host| !access.hosts.allows(host)) {
        return AppError::WrongHost.into_response();
    }
    let Some(token) = &access.token else {
        return next.run(request).await;
    };
    if request.uri().path().starts_with("/static/") {
        return next.run(request).await;
    }
    let jar = CookieJar::from_headers(request.headers());
    if jar
        .get(KEY_COOKIE)
        .is_some_and(|cookie| token.matches(cookie.value()))
    {
        return next.run(request).await;
    }
    let (key, rest) = key_in_query(request.uri().query());
    match key {
        Some(key) if token.matches(&key) => {
            let clean = with_query(request.uri().path(), &rest);
            let cookie = Cookie::build((KEY_COOKIE, key))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Strict)
                .build();
            let mut response = StatusCode::SEE_OTHER.into_response();
            if let (Ok(location), Ok(cookie)) = (
                HeaderValue::from_str(&clean),
                HeaderValue::from_str(&cookie.to_string()),
            ) {
                response.headers_mut().insert(LOCATION, location);
                response.headers_mut().insert(SET_COOKIE, cookie);
            }
            response
        }
        Some(_) => {
            let client = request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.ip());
            tokio::time::sleep(access.delay_after_failure(client)).await;
            AppError::KeyRequired.into_response()
        }
        None => AppError::KeyRequired.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_loopback_the_machine_and_those_added() {
        let hosts = AllowedHosts::new(["192.168.1.20".parse().unwrap()], ["rostrum.office"]);
        for allowed in [
            "localhost:8080",
            "127.0.0.1:8080",
            "127.0.0.2",
            "[::1]:8080",
            "192.168.1.20:8080",
            "ROSTRUM.office",
            "localhost",
        ] {
            assert!(hosts.allows(allowed), "{allowed}");
        }
        for refused in [
            "evil.example",
            "evil.example:8080",
            "192.168.1.21:8080",
            "localhost.evil.example",
            "127.evil.example",
            "[::2]:80",
            "",
        ] {
            assert!(!hosts.allows(refused), "{refused}");
        }
    }

    #[test]
    fn keys_match_only_themselves_and_random_ones_differ() {
        let token = Token::given("s3cret");
        assert!(token.matches("s3cret"));
        assert!(!token.matches("s3cre") && !token.matches("s3cret ") && !token.matches(""));
        let (one, two) = (Token::random().unwrap(), Token::random().unwrap());
        assert_eq!(one.key().len(), 2 * KEY_BYTES);
        assert_ne!(one.key(), two.key());
    }

    #[test]
    fn wrong_keys_are_answered_more_and_more_slowly() {
        let access = Access::new(AllowedHosts::default(), Some(Token::given("k")));
        let client: IpAddr = "10.0.0.9".parse().unwrap();
        let delays: Vec<Duration> = (0..8).map(|_| access.delay_after_failure(client)).collect();
        assert_eq!(delays[0], FIRST_DELAY);
        assert_eq!(delays[1], FIRST_DELAY * 2);
        assert_eq!(*delays.last().unwrap(), MAX_DELAY);
        assert_eq!(
            access.delay_after_failure("10.0.0.8".parse().unwrap()),
            FIRST_DELAY,
            "per address"
        );
    }

    #[test]
    fn the_key_is_taken_out_of_the_query() {
        let (key, rest) = key_in_query(Some("q=%E4%BD%8E&key=abc&page=2"));
        assert_eq!(key.as_deref(), Some("abc"));
        assert_eq!(
            rest,
            vec![("q".into(), "低".into()), ("page".into(), "2".into())]
        );
    }
}
