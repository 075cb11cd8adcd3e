//! Making a document-sharing scrape of a text, the way such sites serve one: the text as one
//! run, cut into pages of about 800 characters, each page a line with its `N、` marker, between
//! the site's header and footer.

/// Characters on one page of a scrape.
const PAGE_CHARS: usize = 797;

/// `run` served as the 淘文阁 site serves a document titled `title`, with only the first
/// `pages_shown` pages; the scrape and the number of pages the document has.
pub fn scrape_of(title: &str, run: &str, pages_shown: usize) -> (String, usize) {
    let chars: Vec<char> = run.chars().collect();
    let pages: Vec<String> = chars
        .chunks(PAGE_CHARS)
        .map(|c| c.iter().collect())
        .collect();
    let declared = pages.len();
    let mut scrape = format!(
        "{title}.docx\n《{title}.docx》由会员分享,可在线阅读,更多相关《{title}.docx({declared}页珍藏版)》请在淘文阁 - 分享文档赚钱的网站上搜索。\n"
    );
    for (index, page) in pages.iter().take(pages_shown).enumerate() {
        scrape.push_str(&format!("{}、{page}\n", index + 1));
    }
    scrape.push_str("- 配套讲稿:\n如PPT文件的首页显示word图标,表示该PPT已包含配套word讲稿。\n- 关 键 词:\n- 政府 工作 报告\n限制150内\n");
    (scrape, declared)
}
