//! Scrapes from document-sharing sites: recognise the site, strip its boilerplate, keep its metadata,
//! and join the preview's page fragments back into continuous text.
//!
//! Each site is one [`SiteTemplate`] entry in [`SITES`]; [`COMMON_LINES`] holds the boilerplate that
//! many sites share. Adding a site means adding an entry, not code.

use regex::{Regex, RegexSet};

use crate::patterns::{compile, compile_set};
use std::sync::LazyLock;

/// How a document-sharing site frames the text it shows.
pub struct SiteTemplate {
    /// The site's name as readers know it.
    pub site: &'static str,
    /// A line only this site writes (searched in the first and last lines).
    pub signature: &'static str,
    /// Lines that are the site's own: each pattern with what it means.
    pub lines: &'static [(&'static str, LineRole)],
}

/// What a line of site text means for the scrape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRole {
    /// Site text with no meaning for the speech: dropped.
    Noise,
    /// Marks the boundary between two pages: dropped, counts a page.
    PageBreak,
    /// Starts the footer: this line and every later one are the site's.
    FooterStart,
    /// Says the preview stops before the document ends: dropped, marks the text partial.
    Truncation,
}

use LineRole::*;

/// The sites whose scrapes Rostrum recognises.
pub const SITES: &[SiteTemplate] = &[
    SiteTemplate {
        site: "淘文阁",
        signature: r"由会员分享.*淘文阁",
        lines: &[
            (r"^-\s*配套讲稿[:：]", FooterStart),
            (r"^-\s*特殊限制[:：]", FooterStart),
            (r"^-\s*关\s*键\s*词[:：]", FooterStart),
            (r"^限制\d+内$", Noise),
        ],
    },
    SiteTemplate {
        site: "人人文库",
        signature: r"由.{0,10}分享.*人人文库",
        lines: &[
            (r"^(温馨提示|本文档由用户提供并上传)", FooterStart),
            (r"^人人文库网", Noise),
        ],
    },
    SiteTemplate {
        site: "原创力文档",
        signature: r"原创力文档",
        lines: &[(r"^(免责声明|原创力文档知识共享存储平台)", FooterStart)],
    },
    SiteTemplate {
        site: "道客巴巴",
        signature: r"道客巴巴",
        lines: &[(r"^(道客巴巴|本文档由.*上传)", Noise)],
    },
    SiteTemplate {
        site: "豆丁网",
        signature: r"豆丁网|docin\.com",
        lines: &[(r"^(豆丁网|docin)", Noise)],
    },
    SiteTemplate {
        site: "百度文库",
        signature: r"百度文库",
        lines: &[(r"^百度文库", Noise)],
    },
    SiteTemplate {
        site: "金锄头文库",
        signature: r"金锄头文库",
        lines: &[(r"^金锄头文库", Noise)],
    },
];

/// Boilerplate lines that many sites write; they make a text a scrape even when the site is unknown.
pub const COMMON_LINES: &[(&str, LineRole)] = &[
    (r"^.+_第\s*\d+\s*页$", PageBreak),
    (r"^第\s*\d+\s*页\s*[/／]\s*共\s*\d+\s*页$", PageBreak),
    (r"^已阅读\s*\d+\s*页[,，]\s*还剩\s*\d+\s*页未读", Truncation),
    (
        r"^[(（]未完[,，]\s*全文共\s*\d+\s*字[,，]\s*当前显示\s*\d+\s*字[)）]$",
        Truncation,
    ),
    (r"^试读结束", Truncation),
    (r"^(下载本文档|点击下载|立即下载|下载文档)", FooterStart),
    (r"^版权(说明|声明)[:：]", FooterStart),
    (r"^当前位置[:：].*>", Noise),
    (r"^下面是小编(为大家)?整理的.{0,80}供大家参考", Noise),
    (r"^(继续免费阅读|免费阅读全文|展开阅读全文)", Truncation),
];

/// Patterns that give the page count a site declares (the sum of their groups).
const DECLARED_PAGES: &[&str] = &[
    r"已阅读\s*(\d+)\s*页[,，]\s*还剩\s*(\d+)\s*页",
    r"[(（](\d+)页[^()（）]{0,6}[)）]",
    r"第\s*\d+\s*页\s*[/／]\s*共\s*(\d+)\s*页",
    r"共\s*(\d+)\s*页",
];

/// A scrape read and cleaned: the speech's text plus what the site said about it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scrape {
    pub site: Option<&'static str>,
    /// The document's title, without `.docx`.
    pub title: Option<String>,
    pub declared_pages: Option<u32>,
    pub present_pages: u32,
    pub keywords: Vec<String>,
    /// The site said the preview stops before the end.
    pub truncated: bool,
    /// The text: page fragments joined, one entry per line the site kept.
    pub lines: Vec<String>,
}

struct CompiledSite {
    template: &'static SiteTemplate,
    signature: Regex,
    lines: LinePatterns,
}

/// Line patterns matched together in one pass over a line, each with the role it gives.
struct LinePatterns {
    set: RegexSet,
    roles: Vec<LineRole>,
}

impl LinePatterns {
    fn new(lines: &[(&str, LineRole)]) -> LinePatterns {
        let patterns = lines.iter().map(|(pattern, _)| *pattern);
        LinePatterns {
            set: compile_set(patterns),
            roles: lines.iter().map(|(_, role)| *role).collect(),
        }
    }

    /// The role of the first pattern `line` matches.
    fn role(&self, line: &str) -> Option<LineRole> {
        self.set.matches(line).iter().next().map(|i| self.roles[i])
    }
}

struct Compiled {
    sites: Vec<CompiledSite>,
    common: LinePatterns,
    declared_pages: Vec<Regex>,
    page_marker: Regex,
    keywords_label: Regex,
    document_extension: Regex,
    quoted_title: Regex,
}

static COMPILED: LazyLock<Compiled> = LazyLock::new(|| Compiled {
    sites: SITES
        .iter()
        .map(|template| CompiledSite {
            template,
            signature: compile(template.signature),
            lines: LinePatterns::new(template.lines),
        })
        .collect(),
    common: LinePatterns::new(COMMON_LINES),
    declared_pages: DECLARED_PAGES.iter().map(|p| compile(p)).collect(),
    page_marker: compile(r"^(\d{1,4})、"),
    keywords_label: compile(r"^[-\s]*关\s*键\s*词[:：]\s*(.*)$"),
    document_extension: compile(r"(?i)\.(docx?|pdf|pptx?|wps|txt)$"),
    quoted_title: compile(r"《(.+?)(?:\.(?:docx?|pdf|pptx?|wps|txt))?(?:[(（][^)）]*[)）])?》"),
});

/// How many lines at each end are searched for a site's signature.
const SIGNATURE_WINDOW: usize = 5;
/// A page of a preview is long; a line this long starting `N、` is a page, not a numbered notice.
const MIN_UNMARKED_PAGE_CHARS: usize = 200;

/// Reads `text` as a scrape if it is one: a known site's signature, common site boilerplate,
/// or a run of long lines numbered `1、 2、 3、` as preview pages are. `None` for any other text.
pub fn recognise(text: &str) -> Option<Scrape> {
    let compiled = &*COMPILED;
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let site = find_site(&lines);
    let role_of = |line: &str| line_role(compiled, site, line);
    let boilerplate = lines.iter().filter(|l| role_of(l).is_some()).count();
    if site.is_none() && boilerplate == 0 && !has_page_runs(compiled, &lines) {
        return None;
    }
    Some(clean(&lines, site))
}

fn find_site(lines: &[&str]) -> Option<&'static CompiledSite> {
    let head = lines.iter().take(SIGNATURE_WINDOW);
    let tail = lines.iter().rev().take(SIGNATURE_WINDOW);
    let edges: Vec<&&str> = head.chain(tail).collect();
    COMPILED
        .sites
        .iter()
        .find(|site| edges.iter().any(|line| site.signature.is_match(line)))
}

/// Site boilerplate lines are short; a longer line is text (a preview page is ~800 characters).
const MAX_BOILERPLATE_LINE_BYTES: usize = 600;

fn line_role(compiled: &Compiled, site: Option<&CompiledSite>, line: &str) -> Option<LineRole> {
    if line.len() > MAX_BOILERPLATE_LINE_BYTES {
        return None;
    }
    site.and_then(|s| s.lines.role(line))
        .or_else(|| compiled.common.role(line))
}

/// At least two long lines numbered 1、 2、 … in order: pages without any other boilerplate.
fn has_page_runs(compiled: &Compiled, lines: &[&str]) -> bool {
    let mut expected = 1;
    for line in lines {
        if marker_number(compiled, line) == Some(expected)
            && line.chars().count() >= MIN_UNMARKED_PAGE_CHARS
        {
            expected += 1;
        }
    }
    expected > 2
}

fn marker_number(compiled: &Compiled, line: &str) -> Option<u32> {
    compiled
        .page_marker
        .captures(line)
        .and_then(|c| c[1].parse().ok())
}

fn clean(lines: &[&str], site: Option<&'static CompiledSite>) -> Scrape {
    let compiled = &*COMPILED;
    let mut scrape = Scrape {
        site: site.map(|s| s.template.site),
        ..Scrape::default()
    };
    let mut pages: Vec<String> = Vec::new();
    let mut next_marker = 1;
    let mut in_footer = false;
    for (index, line) in lines.iter().enumerate() {
        if scrape.declared_pages.is_none() && line.len() <= MAX_BOILERPLATE_LINE_BYTES {
            scrape.declared_pages = declared_pages(compiled, line);
        }
        if let Some(caps) = compiled.keywords_label.captures(line) {
            let inline = caps[1].trim();
            let listed = if inline.is_empty() {
                lines.get(index + 1).copied().unwrap_or_default()
            } else {
                inline
            };
            scrape.keywords = split_keywords(listed);
        }
        if in_footer || line.is_empty() {
            continue;
        }
        if index < SIGNATURE_WINDOW && site.is_some_and(|s| s.signature.is_match(line)) {
            take_title_from_signature(compiled, line, &mut scrape);
            continue;
        }
        if index == 0 && compiled.document_extension.is_match(line) {
            scrape.title = Some(
                compiled
                    .document_extension
                    .replace(line, "")
                    .trim()
                    .to_owned(),
            );
            continue;
        }
        match line_role(compiled, site, line) {
            Some(Noise) => continue,
            Some(PageBreak) => {
                pages.push(String::new());
                continue;
            }
            Some(FooterStart) => {
                in_footer = true;
                continue;
            }
            Some(Truncation) => {
                scrape.truncated = true;
                continue;
            }
            None => {}
        }
        match marker_number(compiled, line) {
            Some(number) if number == next_marker => {
                next_marker += 1;
                let marker_len = compiled.page_marker.find(line).map_or(0, |m| m.end());
                pages.push(line[marker_len..].to_owned());
            }
            // A list numbered from 1 again after the pages: the site's numbered notices.
            Some(1) if next_marker > 2 => in_footer = true,
            _ => match pages.last_mut() {
                // A line inside a page: the site kept the line break.
                Some(page) if !page.is_empty() => {
                    page.push('\n');
                    page.push_str(line);
                }
                Some(page) => page.push_str(line),
                None => pages.push((*line).to_owned()),
            },
        }
    }
    scrape.present_pages = if next_marker > 1 {
        next_marker - 1
    } else {
        pages.iter().filter(|p| !p.trim().is_empty()).count() as u32
    };
    // Page fragments are cut at arbitrary characters: joining them as they are restores the text.
    let body: String = pages.concat();
    scrape.lines = body.lines().map(str::to_owned).collect();
    scrape
}

fn declared_pages(compiled: &Compiled, line: &str) -> Option<u32> {
    compiled
        .declared_pages
        .iter()
        .find_map(|p| p.captures(line))
        .map(|c| {
            c.iter()
                .skip(1)
                .flatten()
                .filter_map(|g| g.as_str().parse::<u32>().ok())
                .sum()
        })
}

fn take_title_from_signature(compiled: &Compiled, line: &str, scrape: &mut Scrape) {
    if scrape.title.is_none() {
        scrape.title = compiled
            .quoted_title
            .captures(line)
            .map(|c| c[1].trim().to_owned());
    }
}

fn split_keywords(line: &str) -> Vec<String> {
    line.trim_start_matches(['-', ' '])
        .split([' ', '\u{3000}', ',', '，', '、', ';', '；'])
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> String {
        let path = format!(
            "{}/seeds/000_fd25136dcbaff602.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn every_built_in_pattern_compiles() {
        assert_eq!(COMPILED.sites.len(), SITES.len());
        assert_eq!(COMPILED.common.roles.len(), COMMON_LINES.len());
        for site in &COMPILED.sites {
            assert_eq!(site.lines.roles.len(), site.template.lines.len());
        }
    }

    #[test]
    fn seed_metadata_is_kept() {
        let scrape = recognise(&seed()).expect("the seed is a scrape");
        assert_eq!(scrape.site, Some("淘文阁"));
        assert_eq!(
            scrape.title.as_deref(),
            Some("全市民政系统深化忠诚主题教育活动工作会议上讲话")
        );
        assert_eq!(scrape.declared_pages, Some(11));
        assert_eq!(scrape.present_pages, 9);
        assert_eq!(
            scrape.keywords.join(" "),
            "全市 民政 系统 深化 忠诚 主题教育活动 工作会议 讲话"
        );
    }

    #[test]
    fn seed_pages_join_through_words_and_numbers() {
        let text = recognise(&seed()).unwrap().lines.join("\n");
        assert!(text.contains("医疗保障信息管理软件"));
        assert!(text.contains("春荒救济资金 600 万元"));
        assert!(text.contains("4000 多万元,农村低保"));
        for banned in [
            "由会员分享",
            "配套讲稿",
            "特殊限制",
            "关 键 词",
            "限制150内",
            "淘文阁",
        ] {
            assert!(!text.contains(banned), "{banned} left in the text");
        }
        assert!(!text.contains("\n2、") && !text.starts_with("1、"));
    }

    #[test]
    fn plain_text_is_not_a_scrape() {
        let text = "各位代表：\n现在，我代表国务院，向大会报告政府工作。\n一、2021年工作回顾\n过去一年是党和国家历史上具有里程碑意义的一年。";
        assert_eq!(recognise(text), None);
    }

    #[test]
    fn numbered_speech_items_are_not_pages() {
        let text = "1、本文档由会员上传\n同志们：今天开会。\n1、加强领导。\n2、落实责任。";
        assert_eq!(recognise(text), None);
    }

    #[test]
    fn common_boilerplate_is_stripped_and_pages_counted() {
        let text = "当前位置:首页 > 讲话发言 > 领导讲话\n下面是小编为大家整理的在全县工作会议上的讲话,供大家参考。\n讲话稿_第1页\n同志们：今天我们召开\n讲话稿_第2页\n全县工作会议。\n已阅读2页,还剩5页未读 继续免费阅读\n下载本文档\n1、本站不保证下载资源的准确性";
        let scrape = recognise(text).unwrap();
        assert_eq!(scrape.lines.join(""), "同志们：今天我们召开全县工作会议。");
        assert!(scrape.truncated);
        assert_eq!(scrape.present_pages, 2);
        assert_eq!(scrape.declared_pages, Some(7));
    }

    #[test]
    fn numbered_notices_after_the_pages_are_footer() {
        let page = "这是一页很长的文字。".repeat(30);
        let text = format!(
            "1、{page}\n2、{page}\n3、{page}\n1、本站所有资源如无特殊说明\n2、本站不保证下载资源的准确性"
        );
        let scrape = recognise(&text).unwrap();
        assert_eq!(scrape.present_pages, 3);
        assert!(!scrape.lines.concat().contains("本站"));
    }

    #[test]
    fn declared_page_count_forms() {
        let compiled = &*COMPILED;
        assert_eq!(
            declared_pages(compiled, "《x.docx(11页珍藏版)》请在"),
            Some(11)
        );
        assert_eq!(declared_pages(compiled, "第1页 / 共28页"), Some(28));
    }
}
