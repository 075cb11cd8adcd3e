//! End to end in a real headless Chromium: the reader's outline and keyboard navigation, no
//! console errors or CSP violations, and screenshots at desktop and phone sizes under
//! `target/screenshots/`. Chromium is required: without it this test fails, it never skips.

#[path = "common/binary.rs"]
mod binary;

use chromiumoxide::Page;
use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::log::{EnableParams as LogEnable, EventEntryAdded};
use chromiumoxide::cdp::browser_protocol::network::{
    EnableParams as NetworkEnable, Headers, SetExtraHttpHeadersParams,
};
use chromiumoxide::cdp::js_protocol::runtime::{
    ConsoleApiCalledType, EventConsoleApiCalled, EventExceptionThrown,
};
use chromiumoxide::page::ScreenshotParams;
use futures_util::StreamExt;
use rostrum::corpus;
use rostrum::web::share::Share;
use rostrum::web::{AppState, app};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SEED_SLUG: &str = "000-fd25136dcbaff602";

fn chromium_path() -> PathBuf {
    let candidates = [
        std::env::var("CHROMIUM").unwrap_or_default(),
        "/usr/bin/chromium".into(),
        "/usr/bin/chromium-browser".into(),
    ];
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .expect("Chromium is required for this test: apt-get install chromium fonts-wqy-microhei (or set CHROMIUM)")
}

/// Serves the bundled seeds on a free loopback port, in this process.
async fn start_server() -> String {
    serve(&["seeds"]).await
}

/// Serves these folders of the repository as one collection on a free loopback port.
async fn serve(folders: &[&str]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let speeches = folders
        .iter()
        .flat_map(|folder| corpus::load(&root.join(folder)).unwrap().speeches)
        .map(Arc::unwrap_or_clone)
        .collect();
    let corpus = corpus::Corpus::from_speeches(speeches, Vec::new());
    let state =
        Arc::new(AppState::build(corpus, Share::default()).expect("the collection is analysed"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(state)).await });
    format!("http://{address}")
}

async fn launch() -> Browser {
    let profile = tempfile::tempdir().unwrap().keep();
    let config = BrowserConfig::builder()
        .chrome_executable(chromium_path())
        .no_sandbox()
        .user_data_dir(profile)
        .window_size(1280, 900)
        .viewport(None)
        .args([
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .build()
        .expect("browser config");
    let (browser, mut handler) = Browser::launch(config).await.expect("Chromium starts");
    tokio::spawn(async move { while handler.next().await.is_some() {} });
    browser
}

/// Collects console errors, uncaught exceptions and browser log errors (CSP violations among them).
async fn watch_problems(page: &Page) -> Arc<Mutex<Vec<String>>> {
    let problems = Arc::new(Mutex::new(Vec::new()));
    page.execute(LogEnable::default()).await.unwrap();
    let mut log = page.event_listener::<EventEntryAdded>().await.unwrap();
    let mut console = page
        .event_listener::<EventConsoleApiCalled>()
        .await
        .unwrap();
    let mut exceptions = page.event_listener::<EventExceptionThrown>().await.unwrap();
    let sink = problems.clone();
    tokio::spawn(async move {
        loop {
            let problem = tokio::select! {
                Some(entry) = log.next() => {
                    let level = format!("{:?}", entry.entry.level).to_lowercase();
                    (level.contains("error") || entry.entry.text.contains("Content Security Policy"))
                        .then(|| format!("log: {}", entry.entry.text))
                }
                Some(call) = console.next() => {
                    (call.r#type == ConsoleApiCalledType::Error).then(|| format!("console.error: {:?}", call.args))
                }
                Some(thrown) = exceptions.next() => Some(format!("exception: {}", thrown.exception_details.text)),
                else => break,
            };
            if let Some(problem) = problem {
                sink.lock().unwrap().push(problem);
            }
        }
    });
    problems
}

/// Asserts that the pages logged no problems, then closes the browser.
async fn finish(mut browser: Browser, problems: &Mutex<Vec<String>>) {
    tokio::time::sleep(Duration::from_millis(300)).await;
    let problems = problems.lock().unwrap().clone();
    assert!(
        problems.is_empty(),
        "the pages logged problems: {problems:#?}"
    );
    browser.close().await.unwrap();
    let _ = browser.wait().await;
}

async fn eval<T: serde::de::DeserializeOwned>(page: &Page, script: &str) -> T {
    page.evaluate(script)
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
        .into_value()
        .unwrap()
}

async fn wait_until(page: &Page, condition: &str) -> bool {
    for _ in 0..50 {
        if eval::<bool>(page, condition).await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

fn screenshot_path(name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    folder.join(name)
}

async fn set_viewport(page: &Page, width: i64, height: i64, mobile: bool) {
    page.execute(SetDeviceMetricsOverrideParams::new(
        width, height, 1.0, mobile,
    ))
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reader_outline_keyboard_and_screenshots_in_chromium() {
    let base = start_server().await;
    let browser = launch().await;
    let page = browser.new_page("about:blank").await.unwrap();
    let problems = watch_problems(&page).await;
    set_viewport(&page, 1280, 900, false).await;
    // A reader whose browser prefers Chinese, as Rostrum's users' do.
    page.execute(NetworkEnable::default()).await.unwrap();
    let chinese = Headers::new(serde_json::json!({"Accept-Language": "zh-CN,zh;q=0.9"}));
    page.execute(SetExtraHttpHeadersParams::new(chinese))
        .await
        .unwrap();

    page.goto(format!("{base}/speeches/{SEED_SLUG}"))
        .await
        .unwrap();
    page.wait_for_navigation().await.unwrap();
    assert_eq!(
        eval::<String>(&page, "document.documentElement.lang").await,
        "zh-CN"
    );

    let entry = page
        .find_element("nav.outline a[href='#s1-2']")
        .await
        .expect("outline entry for (二)");
    entry.click().await.unwrap();
    assert!(
        wait_until(&page, "location.hash === '#s1-2'").await,
        "clicking the outline sets the fragment"
    );
    let in_view = "(() => { const r = document.getElementById('s1-2').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()";
    assert!(
        wait_until(&page, in_view).await,
        "the heading is in the viewport"
    );
    assert!(
        wait_until(
            &page,
            "document.querySelector('nav.outline a[aria-current]')?.hash === '#s1-2'"
        )
        .await,
        "the outline marks the section being read"
    );
    page.save_screenshot(
        ScreenshotParams::builder().build(),
        screenshot_path("reader-desktop.png"),
    )
    .await
    .unwrap();

    page.find_element("body")
        .await
        .unwrap()
        .press_key("ArrowRight")
        .await
        .unwrap();
    assert!(
        wait_until(&page, "location.hash === '#s1-3'").await,
        "→ goes to the next section"
    );
    page.find_element("body")
        .await
        .unwrap()
        .press_key("ArrowLeft")
        .await
        .unwrap();
    assert!(
        wait_until(&page, "location.hash === '#s1-2'").await,
        "← goes back"
    );

    set_viewport(&page, 375, 800, true).await;
    page.goto(format!("{base}/speeches/{SEED_SLUG}"))
        .await
        .unwrap();
    page.wait_for_navigation().await.unwrap();
    assert!(
        wait_until(
            &page,
            "document.querySelector('.outline-box').open === false"
        )
        .await,
        "the outline folds away on a phone"
    );
    let overflow: bool = eval(&page, "document.documentElement.scrollWidth > innerWidth").await;
    assert!(!overflow, "nothing is wider than a 375-px phone");
    page.save_screenshot(
        ScreenshotParams::builder().build(),
        screenshot_path("reader-phone.png"),
    )
    .await
    .unwrap();

    set_viewport(&page, 1280, 900, false).await;
    page.goto(format!("{base}/")).await.unwrap();
    page.wait_for_navigation().await.unwrap();
    page.find_element("body")
        .await
        .unwrap()
        .press_key("/")
        .await
        .unwrap();
    assert!(
        wait_until(&page, "document.activeElement?.id === 'filter'").await,
        "/ focuses the filter"
    );
    page.save_screenshot(
        ScreenshotParams::builder().build(),
        screenshot_path("collection-desktop.png"),
    )
    .await
    .unwrap();

    finish(browser, &problems).await;
}

/// axe-core's script: `AXE_CORE`, or where `.ci/run` installs it (`npm install axe-core` in
/// `target/axe`). Required: without it this test fails.
fn axe_core_source() -> String {
    let path = std::env::var("AXE_CORE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/axe/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("axe-core is required ({}: {e}): npm install --prefix target/axe axe-core, or set AXE_CORE", path.display())
    })
}

/// The accessibility rules a page breaks, as axe-core finds them: `rule: target` lines.
async fn axe_violations(page: &Page, axe: &str) -> Vec<String> {
    page.evaluate(axe).await.expect("axe-core loads");
    eval::<Vec<String>>(
        page,
        "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.flatMap(v => v.nodes.map(n => v.id + ': ' + n.target.join(' '))))",
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_quotation_puts_the_text_and_its_source_on_the_clipboard() {
    use chromiumoxide::cdp::browser_protocol::browser::{
        PermissionDescriptor, PermissionSetting, SetPermissionParams,
    };
    let base = start_server().await;
    let axe = axe_core_source();
    let browser = launch().await;
    let page = browser.new_page("about:blank").await.unwrap();
    let problems = watch_problems(&page).await;
    set_viewport(&page, 1280, 900, false).await;
    for name in ["clipboard-read", "clipboard-write"] {
        let mut permission =
            SetPermissionParams::new(PermissionDescriptor::new(name), PermissionSetting::Granted);
        permission.origin = Some(base.clone());
        browser.execute(permission).await.unwrap();
    }
    page.goto(format!("{base}/speeches/{SEED_SLUG}?lang=zh"))
        .await
        .unwrap();
    page.wait_for_navigation().await.unwrap();
    let reader_violations = axe_violations(&page, &axe).await;
    assert!(
        reader_violations.is_empty(),
        "reader: {reader_violations:#?}"
    );

    page.find_element(&format!(
        "a.quote-link[href='/speeches/{SEED_SLUG}/quote/p4']"
    ))
    .await
    .expect("a copy-quotation link on ¶4")
    .click()
    .await
    .unwrap();
    assert!(
        wait_until(&page, "document.querySelector('.toast') !== null").await,
        "the reader is told the quotation was copied"
    );
    let copied: String = eval(&page, "navigator.clipboard.readText()").await;
    assert!(copied.starts_with("提高了困难群体的救助水平。"), "{copied}");
    assert!(
        copied.ends_with(&format!(
            "\n——《全市民政系统深化忠诚主题教育活动工作会议上讲话》，第一部分(一)，{base}/speeches/{SEED_SLUG}#p4"
        )),
        "{copied}"
    );
    assert!(
        eval::<bool>(
            &page,
            &format!("location.pathname === '/speeches/{SEED_SLUG}'")
        )
        .await,
        "with the script, the page stays"
    );
    page.save_screenshot(
        ScreenshotParams::builder().build(),
        screenshot_path("reader-quote-copied.png"),
    )
    .await
    .unwrap();

    // Without the script, the same link opens the quotation on a page of its own.
    page.goto(format!("{base}/speeches/{SEED_SLUG}/quote/p4"))
        .await
        .unwrap();
    page.wait_for_navigation().await.unwrap();
    let shown: String = eval(&page, "document.getElementById('quote-text').value").await;
    assert_eq!(shown, copied);
    let quote_violations = axe_violations(&page, &axe).await;
    assert!(
        quote_violations.is_empty(),
        "quotation page: {quote_violations:#?}"
    );
    set_viewport(&page, 375, 800, true).await;
    page.save_screenshot(
        ScreenshotParams::builder().build(),
        screenshot_path("quote-phone.png"),
    )
    .await
    .unwrap();

    finish(browser, &problems).await;
}

/// Opens `url` and waits until it has loaded.
async fn open(page: &Page, url: &str) {
    page.goto(url).await.unwrap();
    page.wait_for_navigation().await.unwrap();
}

/// Clicks the first element `selector` finds and waits until the address has changed and the
/// page it leads to has loaded.
async fn follow(page: &Page, selector: &str) {
    let before = page.url().await.unwrap();
    page.find_element(selector)
        .await
        .unwrap_or_else(|e| panic!("{selector}: {e}"))
        .click()
        .await
        .unwrap();
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if page.url().await.ok().flatten() == before {
            continue;
        }
        let state = page.evaluate("document.readyState").await;
        if state.is_ok_and(|s| s.into_value::<String>().is_ok_and(|s| s == "complete")) {
            return;
        }
    }
    panic!("{selector} led nowhere within 10 s");
}

/// Screenshots of the page at 1280 and 375 px, and its axe-core violations at both sizes.
async fn look_at(page: &Page, axe: &str, name: &str) -> Vec<String> {
    let mut violations = Vec::new();
    for (width, height, mobile, size) in [(1280, 900, false, "desktop"), (375, 800, true, "phone")]
    {
        set_viewport(page, width, height, mobile).await;
        page.reload().await.unwrap();
        page.wait_for_navigation().await.unwrap();
        page.save_screenshot(
            ScreenshotParams::builder().full_page(true).build(),
            screenshot_path(&format!("{name}-{size}.png")),
        )
        .await
        .unwrap();
        let overflow: bool = eval(page, "document.documentElement.scrollWidth > innerWidth").await;
        assert!(!overflow, "{name} is wider than the screen at {width} px");
        violations.extend(
            axe_violations(page, axe)
                .await
                .into_iter()
                .map(|v| format!("{name} at {width} px: {v}")),
        );
    }
    set_viewport(page, 1280, 900, false).await;
    violations
}

/// A walk through the bundled collection: its server, axe-core, and a desktop-sized page in
/// Chromium whose problems are watched.
struct Walk {
    base: String,
    axe: String,
    browser: Browser,
    page: Page,
    problems: Arc<Mutex<Vec<String>>>,
}

async fn start_walk() -> Walk {
    let base = serve(&["seeds"]).await;
    let axe = axe_core_source();
    let browser = launch().await;
    let page = browser.new_page("about:blank").await.unwrap();
    let problems = watch_problems(&page).await;
    set_viewport(&page, 1280, 900, false).await;
    Walk {
        base,
        axe,
        browser,
        page,
        problems,
    }
}

/// The study walk of the collection: search, open a hit with its terms marked, go to its
/// section by the outline, then the speech's statistics, a term's trend across the collection,
/// and the term in context; then keyness. Every page is looked at on a desktop and a phone, and
/// axe-core finds nothing on any of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_walks_from_search_to_trend_and_concordance() {
    let Walk {
        base,
        axe,
        browser,
        page,
        problems,
    } = start_walk().await;
    let mut violations = Vec::new();

    open(
        &page,
        &format!("{base}/search?q=%E4%BD%8E%E4%BF%9D&lang=zh"),
    )
    .await;
    violations.extend(look_at(&page, &axe, "walk-1-search").await);
    follow(&page, ".hit-where a").await;
    assert!(
        eval::<bool>(
            &page,
            "location.search.includes('q=') && location.hash.startsWith('#p')"
        )
        .await,
        "the hit opens its paragraph in the reader"
    );
    let marked: bool = eval(
        &page,
        "document.querySelector(location.hash).querySelector('mark.hit')?.textContent === '低保'",
    )
    .await;
    assert!(marked, "the opened paragraph shows the search term marked");

    let section: String = eval(
        &page,
        "document.querySelector(location.hash).closest('section')?.getAttribute('aria-labelledby') ?? 'top'",
    )
    .await;
    follow(&page, &format!("nav.outline a[href='#{section}']")).await;
    assert!(
        wait_until(&page, &format!("location.hash === '#{section}'")).await,
        "the outline goes to the hit's section"
    );
    assert!(
        eval::<bool>(&page, "document.querySelectorAll('mark.hit').length > 1").await,
        "the marks stay while the reader moves within the speech"
    );
    violations.extend(look_at(&page, &axe, "walk-2-reader").await);
    let outline_button = "getComputedStyle(document.querySelector('.to-outline')).position";
    assert_eq!(
        eval::<String>(&page, outline_button).await,
        "static",
        "no outline button on a desktop"
    );
    set_viewport(&page, 375, 800, true).await;
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
        .await
        .unwrap();
    assert_eq!(
        eval::<String>(&page, outline_button).await,
        "fixed",
        "a phone keeps the outline in reach"
    );
    follow(&page, ".to-outline").await;
    assert!(
        wait_until(
            &page,
            "document.querySelector('.outline-box').open && location.hash === '#outline'"
        )
        .await,
        "the button opens the outline"
    );
    set_viewport(&page, 1280, 900, false).await;

    // On a long speech in a short window, the sidebar keeps the section being read in view.
    let reader = page.url().await.unwrap().unwrap();
    set_viewport(&page, 1280, 300, false).await;
    open(
        &page,
        &format!("{base}/speeches/301-gov-work-report-2022-bom-crlf"),
    )
    .await;
    assert!(eval::<bool>(&page, "document.querySelector('nav.outline').scrollHeight > document.querySelector('nav.outline').clientHeight").await, "the outline is longer than the window");
    let current_in_view = "(() => { const a = document.querySelector('nav.outline a[aria-current]'); if (!a) return false; const r = a.getBoundingClientRect(), box = document.querySelector('nav.outline').getBoundingClientRect(); return r.top >= box.top && r.bottom <= box.bottom; })()";
    let headings: usize = eval(
        &page,
        "document.querySelectorAll('.section-heading').length",
    )
    .await;
    for index in 0..headings {
        page.evaluate(format!(
            "document.querySelectorAll('.section-heading')[{index}].scrollIntoView()"
        ))
        .await
        .unwrap();
        assert!(
            wait_until(&page, current_in_view).await,
            "reading section {index}, its outline entry is in the sidebar's view"
        );
    }
    set_viewport(&page, 1280, 900, false).await;
    open(&page, &reader).await;

    follow(&page, "dl a[href$='/stats']").await;
    violations.extend(look_at(&page, &axe, "walk-3-speech-stats").await);
    let term: String = eval(&page, "document.querySelector('table.terms a').textContent").await;
    follow(&page, "table.terms a.trend-link").await;
    assert!(
        eval::<bool>(&page, "location.pathname === '/trend'").await,
        "a term leads to its trend across the collection"
    );
    assert_eq!(
        eval::<String>(&page, "document.getElementById('trend-term').value").await,
        term
    );
    assert!(
        eval::<bool>(
            &page,
            "document.querySelectorAll('svg.column-chart a').length > 1"
        )
        .await
    );
    violations.extend(look_at(&page, &axe, "walk-4-trend").await);
    let trend_page = page.url().await.unwrap().unwrap();
    follow(&page, "form a[href^='/kwic?term=']").await;
    assert!(
        eval::<bool>(
            &page,
            "document.querySelectorAll('td.kwic-speech a').length > 0"
        )
        .await,
        "the collection's concordance names each line's speech"
    );
    violations.extend(look_at(&page, &axe, "walk-4b-collection-concordance").await);
    open(&page, &trend_page).await;

    let kwic: String = eval(&page, "document.querySelector('table.timeline td a').href").await;
    open(&page, &kwic).await;
    assert!(
        eval::<bool>(
            &page,
            &format!("document.querySelector('table.kwic mark').textContent === {term:?}")
        )
        .await
    );
    violations.extend(look_at(&page, &axe, "walk-5-concordance").await);
    set_viewport(&page, 375, 800, true).await;
    let keyword_on_screen: bool = eval(
        &page,
        "Array.from(document.querySelectorAll('table.kwic mark')).slice(0, 10).every(m => { const r = m.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; })",
    )
    .await;
    assert!(
        keyword_on_screen,
        "the concordance keeps its keyword on a 375-px screen"
    );
    set_viewport(&page, 1280, 900, false).await;

    open(&page, &format!("{base}/stats")).await;
    assert!(
        eval::<bool>(
            &page,
            "document.querySelector('svg.keyness-chart') !== null"
        )
        .await
    );
    violations.extend(look_at(&page, &axe, "walk-6-compare").await);
    open(&page, &format!("{base}/")).await;
    violations.extend(look_at(&page, &axe, "walk-7-collection").await);

    assert!(violations.is_empty(), "axe-core: {violations:#?}");
    finish(browser, &problems).await;
}

/// Washed wording as a reader meets it: the wording view with each likely original beside its
/// suspect, the restored view where focusing a restored word (a tap, or the keyboard) shows
/// what the file has, and the statistics' table of substitutions; looked at on a desktop and a
/// phone with axe-core.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn washed_wording_views_in_chromium() {
    let Walk {
        base,
        axe,
        browser,
        page,
        problems,
    } = start_walk().await;
    let mut violations = Vec::new();

    open(
        &page,
        &format!("{base}/speeches/{SEED_SLUG}?highlight=rewording&lang=zh"),
    )
    .await;
    assert!(
        wait_until(
            &page,
            "document.querySelectorAll('mark.reworded').length >= 30"
        )
        .await,
        "the wording view marks the seed's suspects"
    );
    violations.extend(look_at(&page, &axe, "wording-1-marked").await);

    open(
        &page,
        &format!("{base}/speeches/{SEED_SLUG}?text=restored&lang=zh"),
    )
    .await;
    let hidden = "getComputedStyle(document.querySelector('.restored .was')).display === 'none'";
    assert!(
        eval::<bool>(&page, hidden).await,
        "the found word waits to be asked for"
    );
    violations.extend(look_at(&page, &axe, "wording-2-restored").await);
    eval::<bool>(
        &page,
        "document.querySelector('.restored').focus() === undefined",
    )
    .await;
    assert!(
        !eval::<bool>(&page, hidden).await,
        "focusing a restored word shows what the file has"
    );

    open(
        &page,
        &format!("{base}/speeches/{SEED_SLUG}/stats?lang=zh#wording"),
    )
    .await;
    assert!(
        eval::<bool>(
            &page,
            "document.querySelector('table.substitutions') !== null"
        )
        .await
    );
    violations.extend(look_at(&page, &axe, "wording-3-stats").await);

    assert!(violations.is_empty(), "axe-core: {violations:#?}");
    finish(browser, &problems).await;
}

/// A living collection in Chromium: the real binary serves a folder; a reader page and the
/// collection page are open when the speech's file is edited; both show their quiet notice,
/// which passes axe-core and fits a phone, and its link reloads the edited text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_pages_show_a_notice_when_the_speech_changes() {
    let folder = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for (seed, name) in [
        ("105_mao-ten-major-relationships.txt", "mao.txt"),
        ("301_gov-work-report-2022-bom-crlf.txt", "report.txt"),
    ] {
        std::fs::copy(seeds.join(seed), folder.path().join(name)).unwrap();
    }
    let server = binary::serve(&[folder.path().to_str().unwrap(), "--port", "0"]);
    let base = binary::urls(&server.banner)[0]
        .trim_end_matches('/')
        .to_owned();
    for _ in 0..300 {
        if binary::status_of(&binary::http_get(&base, "/api/stats")) == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let axe = axe_core_source();
    let browser = launch().await;
    let reader = browser.new_page("about:blank").await.unwrap();
    let problems = watch_problems(&reader).await;
    set_viewport(&reader, 1280, 900, false).await;
    open(&reader, &format!("{base}/speeches/mao?lang=zh")).await;
    let collection = browser.new_page("about:blank").await.unwrap();
    open(&collection, &format!("{base}/?lang=zh")).await;
    let notice_shown = "!document.querySelector('.live-notice').hidden";
    assert!(!eval::<bool>(&reader, notice_shown).await);
    let listening = "document.querySelector('.live-notice').dataset.listening === 'yes'";
    assert!(wait_until(&reader, listening).await, "the reader listens");
    assert!(
        wait_until(&collection, listening).await,
        "the collection page listens"
    );

    let file = folder.path().join("mao.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("。", "。这一句是刚刚加上的。", 1)).unwrap();
    assert!(
        wait_until(&reader, notice_shown).await,
        "the reader tells of the change"
    );
    assert!(
        wait_until(&collection, notice_shown).await,
        "the collection page tells of it too"
    );
    let notice: String = eval(
        &reader,
        "document.querySelector('.live-notice').textContent",
    )
    .await;
    assert_eq!(notice.trim(), "本篇已更新，刷新查看");
    let mut violations = axe_violations(&reader, &axe).await;
    for (width, height, mobile, size) in [(1280, 900, false, "desktop"), (375, 800, true, "phone")]
    {
        set_viewport(&reader, width, height, mobile).await;
        reader
            .save_screenshot(
                ScreenshotParams::builder().build(),
                screenshot_path(&format!("live-notice-{size}.png")),
            )
            .await
            .unwrap();
        let overflow: bool =
            eval(&reader, "document.documentElement.scrollWidth > innerWidth").await;
        assert!(!overflow, "the notice fits at {width} px");
    }
    set_viewport(&reader, 1280, 900, false).await;
    violations.extend(axe_violations(&collection, &axe).await);
    assert!(violations.is_empty(), "{violations:#?}");

    let reload: String = eval(&reader, "document.querySelector('.live-notice a').href").await;
    let here: String = eval(&reader, "location.href").await;
    assert_eq!(reload, here, "the notice's link opens the page again");
    open(&reader, &reload).await;
    assert!(
        eval::<bool>(
            &reader,
            "document.body.textContent.includes('这一句是刚刚加上的')"
        )
        .await,
        "reloading shows the edited text"
    );
    assert!(!eval::<bool>(&reader, notice_shown).await);
    finish(browser, &problems).await;
    drop(server);
}
