//! The parse pipeline, one stage per module: decode → recognise format → clean → structure → `Speech`.
//!
//! Every stage is a pure function of its input. Parsing never fails on text: only undecodable
//! bytes, unreadable Word files, or a file with no speech text in it are errors.

pub mod apparatus;
pub mod decode;
pub mod docshare;
pub mod docx;
pub mod front;
pub mod markdown;
pub mod pages;
pub mod paragraphs;
pub mod plain;
pub mod structure;

use crate::model::{Format, Paragraph, Section, SectionId, Source, Speech, Warning};
use structure::{OutlineSection, Shape, SourceLine};

/// Why a file is not shown as a speech.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Decode(#[from] decode::DecodeError),
    #[error(transparent)]
    Docx(#[from] docx::DocxError),
    #[error("no speech text: the file holds only boilerplate or blank lines")]
    NoText,
}

/// File extensions Rostrum reads as speeches.
pub const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown", "docx"];

/// The text of a file in a form the structure stage reads, with what its format said about it.
struct Recognised {
    format: Format,
    encoding: &'static str,
    lines: Vec<SourceLine>,
    title: Option<String>,
    scrape: Option<docshare::Scrape>,
}

/// Parses one file. `file` is its path relative to the collection, used for the slug and source.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Speech, IngestError> {
    let recognised = recognise(file, bytes)?;
    build_speech(file, recognised)
}

fn recognise(file: &str, bytes: &[u8]) -> Result<Recognised, IngestError> {
    let extension = extension(file);
    if extension == "docx" {
        let doc = docx::read(bytes)?;
        return Ok(Recognised {
            format: Format::Docx,
            encoding: "UTF-8",
            lines: doc.lines,
            title: doc.title,
            scrape: None,
        });
    }
    let decoded = decode::decode(bytes)?;
    let text = decoded.text.replace('\u{a0}', " ");
    if matches!(extension.as_str(), "md" | "markdown") {
        let doc = markdown::read(&text);
        return Ok(Recognised {
            format: Format::Markdown,
            encoding: decoded.encoding,
            lines: doc.lines,
            title: doc.title,
            scrape: None,
        });
    }
    Ok(match docshare::recognise(&text) {
        Some(mut scrape) => Recognised {
            format: Format::Docshare,
            encoding: decoded.encoding,
            lines: std::mem::take(&mut scrape.lines)
                .into_iter()
                .map(SourceLine::plain)
                .collect(),
            title: scrape.title.clone(),
            scrape: Some(scrape),
        },
        None => Recognised {
            format: Format::Text,
            encoding: decoded.encoding,
            lines: plain::lines(&text),
            title: None,
            scrape: None,
        },
    })
}

fn build_speech(file: &str, recognised: Recognised) -> Result<Speech, IngestError> {
    let Recognised {
        format,
        encoding,
        lines,
        title,
        scrape,
    } = recognised;
    let lines: Vec<SourceLine> = lines
        .into_iter()
        .map(|line| SourceLine {
            text: plain::fold_spaces(plain::trim_line(&line.text)),
            ..line
        })
        .collect();
    let run_on = format == Format::Docshare || is_run_on(&lines);
    let (body, apparatus) = apparatus::split(lines);
    let shape = if run_on { Shape::RunOn } else { Shape::Lines };
    let outline = structure::outline(&body, shape);
    let opening = front::split(outline.preamble, title.as_deref());
    let mut numbering = ParagraphNumbering::default();
    let preamble = numbering.paragraphs(&opening.introduction, run_on);
    let sections = number_sections(&outline.sections, None, 1, &mut numbering, run_on);
    let has_text = numbering.next > 1
        || sections
            .iter()
            .any(|s| !s.title.is_empty() || !s.children.is_empty());
    if !has_text {
        return Err(IngestError::NoText);
    }
    let title = title
        .or(opening.title)
        .or_else(|| opening.front.heading.clone())
        .unwrap_or_else(|| title_from_file_name(file));
    let mut front = opening.front;
    if front.heading.as_deref() == Some(title.as_str()) {
        front.heading = None;
    }
    front::identify(&mut front, &title);
    let mut speech = Speech {
        slug: slug_from_file_name(file),
        title,
        front,
        source: source(file, format, encoding, scrape.as_ref()),
        keywords: scrape.map(|s| s.keywords).unwrap_or_default(),
        preamble,
        sections,
        notes: apparatus.notes,
        warnings: Vec::new(),
    };
    speech.source.citation = apparatus.citation;
    if format == Format::Docshare {
        speech.source.ends_mid_sentence = ends_mid_sentence(&speech);
        speech.source.partial |= speech.source.ends_mid_sentence;
    }
    speech.warnings = warnings(&speech);
    Ok(speech)
}

fn source(file: &str, format: Format, encoding: &str, scrape: Option<&docshare::Scrape>) -> Source {
    let declared_pages = scrape.and_then(|s| s.declared_pages);
    let present_pages = scrape.map(|s| s.present_pages);
    let pages_missing = matches!((declared_pages, present_pages), (Some(d), Some(p)) if p < d);
    Source {
        file: file.to_owned(),
        format,
        encoding: encoding.to_owned(),
        site: scrape.and_then(|s| s.site).map(str::to_owned),
        declared_pages,
        present_pages,
        partial: pages_missing || scrape.is_some_and(|s| s.truncated),
        ends_mid_sentence: false,
        citation: None,
    }
}

/// A text whose line breaks were lost: one line holds most of it.
fn is_run_on(lines: &[SourceLine]) -> bool {
    let total: usize = lines.iter().map(|line| line.text.len()).sum();
    let longest = lines.iter().map(|line| line.text.len()).max().unwrap_or(0);
    longest >= RUN_ON_MIN_BYTES && longest * 5 >= total * 4
}

/// A run-on text is at least this long (about 700 Chinese characters).
const RUN_ON_MIN_BYTES: usize = 2000;

fn ends_mid_sentence(speech: &Speech) -> bool {
    let last = speech.paragraphs().last().map(|(_, p)| p.text.as_str());
    last.and_then(|text| text.trim_end().chars().last())
        .is_some_and(|c| !"。！？!?…”’」』）).;；".contains(c))
}

fn warnings(speech: &Speech) -> Vec<Warning> {
    let source = &speech.source;
    let mut warnings = Vec::new();
    if let (Some(declared), Some(present)) = (source.declared_pages, source.present_pages)
        && present < declared
    {
        warnings.push(Warning::PartialPages { present, declared });
    } else if source.partial && !source.ends_mid_sentence {
        warnings.push(Warning::PartialPreview);
    }
    if source.ends_mid_sentence {
        warnings.push(Warning::EndsMidSentence);
    }
    let empty: Vec<String> = speech
        .sections_flat()
        .iter()
        .filter(|s| s.paragraphs.is_empty() && s.children.is_empty())
        .map(|s| s.label())
        .collect();
    if !empty.is_empty() {
        warnings.push(Warning::EmptyHeadings(empty));
    }
    warnings.extend(numbering_gaps(&speech.sections));
    let characters = speech.char_count();
    if speech.sections.is_empty() && characters >= LONG_TEXT_CHARS {
        warnings.push(Warning::NoOutline { characters });
    }
    warnings
}

/// A text this long is expected to have headings.
const LONG_TEXT_CHARS: usize = 5000;

/// Sibling headings whose numbers skip: `一` then `三`.
fn numbering_gaps(sections: &[Section]) -> Vec<Warning> {
    let mut gaps = Vec::new();
    let mut previous: Option<u32> = None;
    for section in sections {
        let value = section_number_value(&section.number);
        if let (Some(before), Some(found)) = (previous, value)
            && found != before + 1
        {
            gaps.push(Warning::NumberingGap {
                heading: section.label(),
                previous: before,
                found,
            });
        }
        previous = value;
        gaps.extend(numbering_gaps(&section.children));
    }
    gaps
}

/// The value of a heading's number as written: `三` → 3, `（二）` → 2, `4.` → 4.
fn section_number_value(number: &str) -> Option<u32> {
    let digits = number.trim_matches(|c: char| !c.is_alphanumeric() || c == '第');
    let digits = digits
        .trim_end_matches(['部', '分', '章', '篇', '编', '节', '条'])
        .trim_end_matches(|c: char| !c.is_alphanumeric());
    crate::text::chinese_number(digits).or_else(|| crate::text::arabic_number(digits))
}

/// Hands out paragraph numbers through the whole speech, preamble first.
#[derive(Debug)]
struct ParagraphNumbering {
    next: u32,
}

impl Default for ParagraphNumbering {
    fn default() -> Self {
        ParagraphNumbering { next: 1 }
    }
}

impl ParagraphNumbering {
    /// Source blocks to numbered paragraphs; run-on text (scrapes) is split at its points.
    fn paragraphs(&mut self, blocks: &[String], run_on: bool) -> Vec<Paragraph> {
        let texts: Vec<String> = if run_on {
            blocks
                .iter()
                .flat_map(|b| paragraphs::split_run(b))
                .collect()
        } else {
            blocks.to_vec()
        };
        texts
            .into_iter()
            .map(|text| {
                let id = self.next;
                self.next += 1;
                Paragraph { id, text }
            })
            .collect()
    }
}

fn number_sections(
    sections: &[OutlineSection],
    parent_id: Option<&SectionId>,
    level: u8,
    numbering: &mut ParagraphNumbering,
    run_on: bool,
) -> Vec<Section> {
    sections
        .iter()
        .enumerate()
        .map(|(index, section)| {
            let position = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let id = parent_id.map_or_else(|| SectionId::top(position), |p| p.child(position));
            let paragraphs = numbering.paragraphs(&section.blocks, run_on);
            let children =
                number_sections(&section.children, Some(&id), level + 1, numbering, run_on);
            Section {
                id,
                number: section.number.clone(),
                title: section.title.clone(),
                dateline: section.dateline.clone(),
                level,
                paragraphs,
                children,
            }
        })
        .collect()
}

fn extension(file: &str) -> String {
    std::path::Path::new(file)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn file_stem(file: &str) -> String {
    std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A URL-safe slug from a file name: letters and digits (Han included) kept, the rest folded to `-`.
pub fn slug_from_file_name(file: &str) -> String {
    let mut slug = String::new();
    for c in file_stem(file).chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "speech".to_owned()
    } else {
        slug.to_owned()
    }
}

/// A readable title from a file name: `201_inaugural-1789-george-washington` → `inaugural 1789 george washington`.
fn title_from_file_name(file: &str) -> String {
    let stem = file_stem(file);
    let without_index = stem
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['_', '-', ' ']);
    let name = if without_index.is_empty() {
        stem.as_str()
    } else {
        without_index
    };
    name.replace(['_', '-'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples_dir() -> String {
        format!("{}/tests/fixtures/samples", env!("CARGO_MANIFEST_DIR"))
    }

    fn parse_sample(name: &str) -> Speech {
        let bytes = std::fs::read(format!("{}/{name}", samples_dir())).unwrap();
        parse(name, &bytes).unwrap()
    }

    fn labels(speech: &Speech) -> Vec<String> {
        speech
            .sections_flat()
            .iter()
            .map(|s| format!("{} {}", s.id, s.label()))
            .collect()
    }

    #[test]
    fn slugs_are_url_safe_and_keep_han() {
        assert_eq!(
            slug_from_file_name("seeds/000_fd25136dcbaff602.txt"),
            "000-fd25136dcbaff602"
        );
        assert_eq!(
            slug_from_file_name("2014 政府工作报告(李克强).txt"),
            "2014-政府工作报告-李克强"
        );
        assert_eq!(slug_from_file_name("!!!.txt"), "speech");
    }

    #[test]
    fn government_report_2022() {
        let speech = parse_sample("301_gov-work-report-2022-bom-crlf.txt");
        assert_eq!(speech.title, "政府工作报告");
        assert_eq!(speech.front.salutation.as_deref(), Some("各位代表"));
        assert_eq!(speech.front.speaker.as_deref(), Some("李克强"));
        assert_eq!(speech.front.office.as_deref(), Some("国务院总理"));
        assert_eq!(speech.front.date.as_deref(), Some("2022-03-05"));
        let labels = labels(&speech);
        assert_eq!(labels[0], "1 一 2021年工作回顾");
        assert!(
            labels.contains(&"3.1 （一） 着力稳定宏观经济大盘，保持经济运行在合理区间".to_owned()),
            "{labels:#?}"
        );
        assert_eq!(speech.sections.len(), 3);
        assert_eq!(speech.sections[2].children.len(), 9);
        assert_eq!(speech.source.encoding, "UTF-8");
        assert!(!speech.source.partial);
    }

    #[test]
    fn government_report_2014_with_mixed_indentation() {
        let speech = parse_sample("307_gov-work-report-2014-mixed-indent.txt");
        let top: Vec<&str> = speech.sections.iter().map(|s| s.number.as_str()).collect();
        assert_eq!(top, vec!["一", "二", "三"]);
        assert_eq!(speech.sections[2].children.len(), 9);
        assert_eq!(
            speech.front.dateline.as_deref(),
            Some("——2014年3月5日在第十二届全国人民代表大会第二次会议上")
        );
    }

    #[test]
    fn mao_bare_numeral_headings_and_notes() {
        let speech = parse_sample("105_mao-ten-major-relationships.txt");
        assert_eq!(speech.title, "论十大关系");
        assert_eq!(
            speech.front.dateline.as_deref(),
            Some("(一九五六年四月二十五日)")
        );
        let titles: Vec<String> = speech.sections.iter().map(|s| s.label()).collect();
        assert_eq!(titles[0], "一 重工业和轻工业、农业的关系");
        assert_eq!(titles[9], "十 中国和外国的关系");
        assert_eq!(titles.len(), 10, "the notes are not a section");
        assert_eq!(speech.notes.len(), 2);
        assert!(speech.notes[1].text.starts_with("贾桂是京剧《法门寺》"));
        assert!(
            speech
                .source
                .citation
                .as_deref()
                .is_some_and(|c| c.starts_with("（《毛泽东选集》第五卷"))
        );
        assert!(speech.preamble[0].text.starts_with("*这是毛泽东"));
    }

    #[test]
    fn full_width_dates_and_unnumbered_headings() {
        let speech = parse_sample("303_gov-work-report-1964-abstract-fullwidth-digits.txt");
        assert_eq!(speech.title, "1964年国务院政府工作报告（摘要）");
        assert!(
            speech
                .front
                .dateline
                .as_deref()
                .unwrap()
                .contains("１９６４年１２月")
        );
        assert_eq!(speech.front.speaker.as_deref(), Some("周恩来"));
        assert_eq!(speech.front.office.as_deref(), Some("国务院总理"));
        assert_eq!(
            speech.front.date.as_deref(),
            Some("1964-12-21"),
            "full-width digits"
        );
        let parts: Vec<&str> = speech.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            parts[0], "国民经济的成就和今后的建设任务",
            "unnumbered part titles are headings"
        );
        assert_eq!(speech.preamble.len(), 2);
    }

    #[test]
    fn english_address_and_other_encodings() {
        let speech = parse_sample("201_inaugural-1789-george-washington.txt");
        assert_eq!(speech.title, "inaugural 1789 george washington");
        assert!(
            speech
                .front
                .salutation
                .as_deref()
                .unwrap()
                .starts_with("Fellow-Citizens")
        );
        assert_eq!(speech.preamble.len(), 6);
        let gbk = parse_sample("401_udhr-chinese-gbk.txt");
        assert_eq!(gbk.source.encoding, "GBK");
        assert_eq!(gbk.title, "世界人权宣言");
        assert!(gbk.sections_flat().iter().any(|s| s.number == "第三十条"));
        let utf16 = parse_sample("402_indian-treaty-english-utf16le.txt");
        assert_eq!(utf16.source.encoding, "UTF-16LE");
        assert!(utf16.paragraph_count() > 3);
    }

    #[test]
    fn docx_goes_through_the_same_pipeline() {
        let bytes = docx::tests::make_docx(
            "在全县大会上的讲话",
            &[
                ("同志们：", None),
                ("一、总体要求", None),
                ("要抓好落实。", None),
                ("二、重点任务", None),
                ("要推进。", None),
            ],
        );
        let speech = parse("讲话.docx", &bytes).unwrap();
        assert_eq!(speech.source.format, Format::Docx);
        assert_eq!(speech.title, "在全县大会上的讲话");
        assert_eq!(labels(&speech), vec!["1 一 总体要求", "2 二 重点任务"]);
    }

    #[test]
    fn boilerplate_only_is_no_text() {
        let text = "《x.docx》由会员分享,可在线阅读,更多相关《x.docx(3页珍藏版)》请在淘文阁 - 分享文档赚钱的网站上搜索。\n- 配套讲稿:\n如PPT文件的首页显示word图标。\n限制150内";
        assert!(matches!(
            parse("x.txt", text.as_bytes()),
            Err(IngestError::NoText)
        ));
    }
}
