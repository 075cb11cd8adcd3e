//! Interface language: Simplified Chinese by default, English on request (`?lang=en`, remembered
//! in a cookie, or the browser's Accept-Language), and every interface string in both.

use axum::extract::{FromRequestParts, Request};
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::convert::Infallible;

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

    /// "3 篇讲话", "1 speech", "3 speeches".
    pub fn speech_count(self, count: usize) -> String {
        match (self, count) {
            (Lang::Zh, n) => format!("{n} 篇讲话"),
            (Lang::En, 1) => "1 speech".to_owned(),
            (Lang::En, n) => format!("{n} speeches"),
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
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
    query?
        .split('&')
        .filter_map(|pair| pair.strip_prefix("lang="))
        .find_map(Lang::from_code)
}

fn cookie_lang(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().strip_prefix("lang="))
        .find_map(Lang::from_code)
}

/// The first language in Accept-Language that Rostrum speaks, in the order the browser gave.
fn accept_language(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get(ACCEPT_LANGUAGE)?
        .to_str()
        .ok()?
        .split(',')
        .filter_map(|item| item.split(';').next())
        .find_map(Lang::from_code)
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
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.short()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// Every string of the interface, in one language.
pub struct Strings {
    pub site_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub collection: &'static str,
    pub switch_language: &'static str,
    pub filter_label: &'static str,
    pub filter_placeholder: &'static str,
    pub filter_button: &'static str,
    pub clear_filter: &'static str,
    pub sort_label: &'static str,
    pub sort_file: &'static str,
    pub sort_title: &'static str,
    pub sort_length: &'static str,
    pub column_title: &'static str,
    pub column_source: &'static str,
    pub column_pages: &'static str,
    pub column_length: &'static str,
    pub column_sections: &'static str,
    pub column_keywords: &'static str,
    pub partial_badge: &'static str,
    pub no_match: &'static str,
    pub empty_collection: &'static str,
    pub skipped_notice: &'static str,
    pub outline: &'static str,
    pub previous_section: &'static str,
    pub next_section: &'static str,
    pub whole_speech: &'static str,
    pub section_page: &'static str,
    pub copy_link: &'static str,
    pub link_copied: &'static str,
    pub paragraph_link: &'static str,
    pub share: &'static str,
    pub share_scan: &'static str,
    pub share_local_only: &'static str,
    pub source: &'static str,
    pub format: &'static str,
    pub encoding: &'static str,
    pub site: &'static str,
    pub file: &'static str,
    pub keywords: &'static str,
    pub paragraphs: &'static str,
    pub sections: &'static str,
    pub introduction: &'static str,
    pub partial_pages: &'static str,
    pub partial_unknown: &'static str,
    pub ends_mid_sentence: &'static str,
    pub parse_warnings: &'static str,
    pub back_to_collection: &'static str,
    pub not_found: &'static str,
    pub bad_request: &'static str,
    pub method_not_allowed: &'static str,
    pub server_error: &'static str,
    pub error_title: &'static str,
    pub counting_title: &'static str,
    pub still_counting: &'static str,
    pub speeches_counted: &'static str,
    pub breadcrumbs: &'static str,
    pub json: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub search_button: &'static str,
    pub search_help: &'static str,
    pub search_help_quotes: &'static str,
    pub search_help_filters: &'static str,
    pub search_summary: &'static str,
    pub search_none: &'static str,
    pub search_trimmed: &'static str,
    pub search_truncated: &'static str,
    pub filter_speech: &'static str,
    pub filter_section: &'static str,
    pub all_speeches: &'static str,
    pub all_sections: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub page_label: &'static str,
    pub stats: &'static str,
    pub collection_stats: &'static str,
    pub overview: &'static str,
    pub characters_label: &'static str,
    pub cjk_characters: &'static str,
    pub words_label: &'static str,
    pub distinct_words: &'static str,
    pub sentences: &'static str,
    pub average_sentence: &'static str,
    pub paragraphs_label: &'static str,
    pub reading_time: &'static str,
    pub speaking_time: &'static str,
    pub structure: &'static str,
    pub structure_hint: &'static str,
    pub terms: &'static str,
    pub term: &'static str,
    pub count: &'static str,
    pub word_cloud: &'static str,
    pub keywords_heading: &'static str,
    pub keywords_collection: &'static str,
    pub keywords_dictionary: &'static str,
    pub trend: &'static str,
    pub trend_hint: &'static str,
    pub trend_label: &'static str,
    pub show: &'static str,
    pub figures: &'static str,
    pub figures_hint: &'static str,
    pub figure: &'static str,
    pub figure_kind: &'static str,
    pub figure_normalized: &'static str,
    pub figure_clause: &'static str,
    pub approximate: &'static str,
    pub sort_by_value: &'static str,
    pub sort_by_order: &'static str,
    pub highlight_figures: &'static str,
    pub places: &'static str,
    pub places_region: &'static str,
    pub division: &'static str,
    pub kwic: &'static str,
    pub kwic_count: &'static str,
    pub sort_text: &'static str,
    pub sort_left: &'static str,
    pub sort_right: &'static str,
    pub no_occurrences: &'static str,
    pub compare: &'static str,
    pub compare_hint: &'static str,
    pub distinctive: &'static str,
    pub totals: &'static str,
    pub partial_count: &'static str,
    pub back_to_speech: &'static str,
    pub paragraph_short: &'static str,
    pub no_figures: &'static str,
    pub no_places: &'static str,
}

pub static ZH: Strings = Strings {
    site_name: "讲坛",
    tagline: "讲话阅读室",
    skip_to_content: "跳到正文",
    collection: "讲话库",
    switch_language: "English",
    filter_label: "筛选",
    filter_placeholder: "按标题、关键词或文件名筛选",
    filter_button: "筛选",
    clear_filter: "清除筛选",
    sort_label: "排序",
    sort_file: "文件",
    sort_title: "标题",
    sort_length: "篇幅",
    column_title: "标题",
    column_source: "来源",
    column_pages: "页数",
    column_length: "字数",
    column_sections: "章节",
    column_keywords: "关键词",
    partial_badge: "部分预览",
    no_match: "没有符合筛选条件的讲话。",
    empty_collection: "文件夹中还没有讲话。把 .txt、.md 或 .docx 文件放进去，然后重新启动。",
    skipped_notice: "以下文件未载入",
    outline: "目录",
    previous_section: "上一节",
    next_section: "下一节",
    whole_speech: "全文",
    section_page: "单独查看本节",
    copy_link: "复制链接",
    link_copied: "链接已复制",
    paragraph_link: "本段链接",
    share: "分享",
    share_scan: "同一网络中的手机扫码即可打开本页：",
    share_local_only: "服务器只在本机监听。用 --lan 启动后，同一网络的同事才能打开这些链接。",
    source: "来源",
    format: "格式",
    encoding: "编码",
    site: "网站",
    file: "文件",
    keywords: "关键词",
    paragraphs: "段",
    sections: "节",
    introduction: "开头",
    partial_pages: "部分预览：原文共 {declared} 页，这里只有 {present} 页。",
    partial_unknown: "部分预览：网站只提供了文档的一部分。",
    ends_mid_sentence: "文本在句子中间中断。",
    parse_warnings: "解析提示",
    back_to_collection: "返回讲话库",
    not_found: "找不到这个页面。",
    bad_request: "请求的地址或参数有误。",
    method_not_allowed: "讲坛只提供阅读，不接受这种请求。",
    server_error: "服务器出了问题，已记录在日志中。",
    error_title: "出错了",
    counting_title: "正在统计",
    still_counting: "讲坛已可阅读和检索，统计数据还在后台计算，完成后本页会自动刷新。",
    speeches_counted: "已统计的讲话",
    breadcrumbs: "位置",
    json: "JSON",
    search: "搜索",
    search_placeholder: "搜索全部讲话",
    search_button: "搜索",
    search_help: "输入要找的词语，可以是一个字、一个词或一句话；多个词用空格隔开，段落须包含全部词语。",
    search_help_quotes: "用引号括起来的内容按原样连续匹配，例如 \"三院合一\"。数字和字母也可以搜索，例如 2009、80%、PPT。",
    search_help_filters: "可以只在一篇讲话或其中一节里搜索。按 / 键可随时跳到搜索框。",
    search_summary: "找到 {hits} 处，分布在 {speeches} 篇讲话中。",
    search_none: "没有找到包含这些词语的段落。",
    search_trimmed: "查询太长，只使用了前 200 个字。",
    search_truncated: "匹配太多，只列出最相关的 5000 处。",
    filter_speech: "讲话",
    filter_section: "章节",
    all_speeches: "全部讲话",
    all_sections: "全部章节",
    previous_page: "上一页",
    next_page: "下一页",
    page_label: "页",
    stats: "统计",
    collection_stats: "全库统计",
    overview: "概况",
    characters_label: "字数（不含空白）",
    cjk_characters: "汉字",
    words_label: "词数",
    distinct_words: "不同词语",
    sentences: "句子",
    average_sentence: "平均句长（字）",
    paragraphs_label: "段落",
    reading_time: "阅读时间（分钟）",
    speaking_time: "演讲时间（分钟）",
    structure: "结构",
    structure_hint: "各节篇幅（字，含下级小节），按目录顺序。点击条形跳到该节。",
    terms: "高频词",
    term: "词语",
    count: "次数",
    word_cloud: "词云",
    keywords_heading: "关键词",
    keywords_collection: "TF-IDF：与库中其他讲话相比，这篇讲话特有的词语。",
    keywords_dictionary: "TF-IDF：库中只有这一篇讲话，与 jieba 词典的词频相比。",
    trend: "走势",
    trend_hint: "“{term}”在各节中出现的次数，按目录顺序。",
    trend_label: "查看词语走势",
    show: "查看",
    figures: "数字",
    figures_hint: "讲话中引用的数量、比例和日期。金额折算为元，便于排序。",
    figure: "数字",
    figure_kind: "类别",
    figure_normalized: "折算",
    figure_clause: "所在分句",
    approximate: "约数",
    sort_by_value: "按数值排序",
    sort_by_order: "按出现顺序",
    highlight_figures: "在正文中标出数字",
    places: "地名",
    places_region: "讲话最可能涉及的地区：",
    division: "行政区划",
    kwic: "上下文",
    kwic_count: "共 {n} 处",
    sort_text: "原文顺序",
    sort_left: "按左侧排序",
    sort_right: "按右侧排序",
    no_occurrences: "没有找到这个词语。",
    compare: "比较两篇讲话",
    compare_hint: "两篇讲话高频词的使用频率（每万词出现次数）。",
    distinctive: "特色词",
    totals: "合计",
    partial_count: "部分预览",
    back_to_speech: "返回讲话",
    paragraph_short: "段",
    no_figures: "没有找到数字。",
    no_places: "没有找到地名。",
};

pub static EN: Strings = Strings {
    site_name: "Rostrum",
    tagline: "a reading room for speeches",
    skip_to_content: "Skip to content",
    collection: "Collection",
    switch_language: "中文",
    filter_label: "Filter",
    filter_placeholder: "Filter by title, keyword or file",
    filter_button: "Filter",
    clear_filter: "Clear filter",
    sort_label: "Sort",
    sort_file: "File",
    sort_title: "Title",
    sort_length: "Length",
    column_title: "Title",
    column_source: "Source",
    column_pages: "Pages",
    column_length: "Characters",
    column_sections: "Sections",
    column_keywords: "Keywords",
    partial_badge: "Partial preview",
    no_match: "No speech matches the filter.",
    empty_collection: "The folder holds no speeches yet. Put .txt, .md or .docx files in it and restart.",
    skipped_notice: "These files were not loaded",
    outline: "Contents",
    previous_section: "Previous section",
    next_section: "Next section",
    whole_speech: "Whole speech",
    section_page: "This section alone",
    copy_link: "Copy link",
    link_copied: "Link copied",
    paragraph_link: "Link to this paragraph",
    share: "Share",
    share_scan: "A phone on the same network can scan this to open the page:",
    share_local_only: "The server listens on this machine only. Start it with --lan so that colleagues on the network can open these links.",
    source: "Source",
    format: "Format",
    encoding: "Encoding",
    site: "Site",
    file: "File",
    keywords: "Keywords",
    paragraphs: "paragraphs",
    sections: "sections",
    introduction: "Opening",
    partial_pages: "Partial preview: {present} of {declared} pages.",
    partial_unknown: "Partial preview: the site showed only part of the document.",
    ends_mid_sentence: "The text ends mid-sentence.",
    parse_warnings: "Parser notes",
    back_to_collection: "Back to the collection",
    not_found: "There is no such page.",
    bad_request: "The address or its parameters are not valid.",
    method_not_allowed: "Rostrum only serves pages to read; it does not take this kind of request.",
    server_error: "Something went wrong on the server; it has been logged.",
    error_title: "Error",
    counting_title: "Counting the statistics",
    still_counting: "The collection can already be read and searched; its statistics are still being counted in the background. This page reloads itself when they are ready.",
    speeches_counted: "Speeches counted",
    breadcrumbs: "Breadcrumbs",
    json: "JSON",
    search: "Search",
    search_placeholder: "Search every speech",
    search_button: "Search",
    search_help: "Type what you are looking for: a character, a word or a sentence. Separate several terms with spaces; a paragraph must contain them all.",
    search_help_quotes: "Text in quotes matches as written, e.g. \"三院合一\". Digits and Latin letters work too: 2009, 80%, PPT.",
    search_help_filters: "You can search one speech, or one of its sections. Press / anywhere to jump to the search box.",
    search_summary: "{hits} matches in {speeches} speeches.",
    search_none: "No paragraph contains these terms.",
    search_trimmed: "The query was too long; only its first 200 characters were used.",
    search_truncated: "Too many matches: only the 5000 most relevant are listed.",
    filter_speech: "Speech",
    filter_section: "Section",
    all_speeches: "All speeches",
    all_sections: "All sections",
    previous_page: "Previous page",
    next_page: "Next page",
    page_label: "page",
    stats: "Statistics",
    collection_stats: "Collection statistics",
    overview: "Overview",
    characters_label: "Characters (no whitespace)",
    cjk_characters: "Han characters",
    words_label: "Words",
    distinct_words: "Distinct words",
    sentences: "Sentences",
    average_sentence: "Average sentence (characters)",
    paragraphs_label: "Paragraphs",
    reading_time: "Reading time (minutes)",
    speaking_time: "Speaking time (minutes)",
    structure: "Structure",
    structure_hint: "Length of each section (characters, subsections included) in the outline's order. Click a bar to go to the section.",
    terms: "Frequent terms",
    term: "Term",
    count: "Count",
    word_cloud: "Word cloud",
    keywords_heading: "Keywords",
    keywords_collection: "TF-IDF against the other speeches: the terms this speech stands out for.",
    keywords_dictionary: "TF-IDF against jieba's dictionary frequencies (the collection has one speech).",
    trend: "Trend",
    trend_hint: "How often “{term}” occurs in each section, in the outline's order.",
    trend_label: "Trend of a term",
    show: "Show",
    figures: "Figures",
    figures_hint: "Quantities, percentages and dates the speech cites. Money is converted to yuan so that it sorts.",
    figure: "Figure",
    figure_kind: "Kind",
    figure_normalized: "Normalised",
    figure_clause: "Clause",
    approximate: "approx.",
    sort_by_value: "By value",
    sort_by_order: "In order",
    highlight_figures: "Mark the figures in the text",
    places: "Places",
    places_region: "The region this speech is most likely about: ",
    division: "Division",
    kwic: "In context",
    kwic_count: "{n} occurrences",
    sort_text: "Text order",
    sort_left: "By left context",
    sort_right: "By right context",
    no_occurrences: "The term does not occur.",
    compare: "Compare two speeches",
    compare_hint: "How often each speech uses the leading terms (per 10,000 words).",
    distinctive: "Distinctive terms",
    totals: "Totals",
    partial_count: "Partial previews",
    back_to_speech: "Back to the speech",
    paragraph_short: "¶",
    no_figures: "No figures found.",
    no_places: "No places found.",
};

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
    fn speech_counts_read_naturally() {
        assert_eq!(Lang::Zh.speech_count(1), "1 篇讲话");
        assert_eq!(Lang::En.speech_count(1), "1 speech");
        assert_eq!(Lang::En.speech_count(8), "8 speeches");
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
