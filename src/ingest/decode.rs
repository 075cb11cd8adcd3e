//! Bytes to text: byte-order marks, UTF-8, UTF-16, and legacy Chinese encodings detected with chardetng.

use crate::text::is_han;
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// Text decoded from a file, with the name of the encoding it was in.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Why a file's bytes are not a text Rostrum can read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("binary data, not text (NUL bytes or a known binary signature)")]
    Binary,
    #[error(
        "decodes as {encoding} to text that is not Chinese or English ({percent}% readable characters); save it as UTF-8"
    )]
    Unreadable {
        encoding: &'static str,
        percent: u32,
    },
}

/// Share of readable characters (Han, Latin, digits, punctuation, whitespace) a text must reach.
const MIN_READABLE_PERCENT: u32 = 90;

/// Decodes a file's bytes: a BOM wins; then UTF-16 recognised by its NUL pattern; then UTF-8;
/// then the legacy encoding chardetng finds most likely. Text that decodes to nonsense is refused.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        return finish(encoding, &bytes[bom_length..]);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return finish(encoding, bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => return check_readable(text.to_owned(), UTF_8),
        // Valid UTF-8 cut off mid-character at the very end: keep the whole characters.
        Err(error) if error.error_len().is_none() => {
            return finish(UTF_8, &bytes[..error.valid_up_to()]);
        }
        Err(_) => {}
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    finish(detector.guess(None, chardetng::Utf8Detection::Deny), bytes)
}

fn finish(encoding: &'static Encoding, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let text = text.into_owned();
    if had_errors && encoding == UTF_8 && looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    check_readable(text, encoding)
}

fn check_readable(text: String, encoding: &'static Encoding) -> Result<Decoded, DecodeError> {
    let name = display_name(encoding);
    if text.contains('\0') {
        return Err(DecodeError::Binary);
    }
    let percent = readable_percent(&text);
    if percent < MIN_READABLE_PERCENT {
        return Err(DecodeError::Unreadable {
            encoding: name,
            percent,
        });
    }
    Ok(Decoded {
        text: with_line_feeds(text),
        encoding: name,
    })
}

/// The text with every line ending a line feed: a CR alone, as old Mac programs end lines,
/// becomes one (a CR before a line feed is left for the line readers, which drop it).
fn with_line_feeds(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut lines = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            lines.push('\n');
        } else {
            lines.push(c);
        }
    }
    lines
}

/// GBK is what a Chinese reader calls the encoding that chardetng reports as GB18030's subset.
fn display_name(encoding: &'static Encoding) -> &'static str {
    match encoding.name() {
        "GBK" | "gb18030" => "GBK",
        other => other,
    }
}

/// UTF-16 without a BOM. ASCII-heavy text shows NUL in every other byte; Chinese text has a
/// NUL only where a line break, digit or a character such as 一 (U+4E00) has one, so a text
/// with NUL bytes in no binary format is read both ways and taken the way that reads.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 || !sample.contains(&0) || has_binary_signature(bytes) {
        return None;
    }
    let pairs = sample.len() / 2;
    let nul_at = |offset: usize| {
        sample
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    if odd * 10 >= pairs * 4 && even * 10 < pairs {
        return Some(UTF_16LE);
    }
    if even * 10 >= pairs * 4 && odd * 10 < pairs {
        return Some(UTF_16BE);
    }
    let readable = |encoding: &'static Encoding| {
        let (text, _) = encoding.decode_without_bom_handling(sample);
        (!text.contains('\0')).then(|| readable_percent(&text))
    };
    [UTF_16LE, UTF_16BE]
        .into_iter()
        .filter_map(|encoding| Some((encoding, readable(encoding)?)))
        .filter(|(_, percent)| *percent >= MIN_READABLE_PERCENT)
        .max_by_key(|(_, percent)| *percent)
        .map(|(encoding, _)| encoding)
}

/// NUL bytes or the signature of a common binary format (images, PDF, archives, old Word).
fn looks_binary(bytes: &[u8]) -> bool {
    has_binary_signature(bytes) || bytes.iter().take(8192).any(|b| *b == 0)
}

/// The signature of a common binary format (images, PDF, archives, old Word) at the start.
fn has_binary_signature(bytes: &[u8]) -> bool {
    const SIGNATURES: &[&[u8]] = &[
        b"\x89PNG",
        b"\xFF\xD8\xFF",
        b"GIF8",
        b"%PDF",
        b"PK\x03\x04",
        b"\xD0\xCF\x11\xE0",
        b"\x1F\x8B",
        b"BM",
        b"RIFF",
    ];
    SIGNATURES.iter().any(|sig| bytes.starts_with(sig))
}

/// Characters judged: a text that is nonsense is nonsense from its start.
const READABILITY_SAMPLE_CHARS: usize = 100_000;

/// Percentage of characters that belong in a Chinese or English speech, judged on the text's start.
fn readable_percent(text: &str) -> u32 {
    let (mut total, mut readable) = (0u64, 0u64);
    for c in text.chars().take(READABILITY_SAMPLE_CHARS) {
        total += 1;
        if is_readable(c) {
            readable += 1;
        }
    }
    if total == 0 {
        return 100;
    }
    (readable * 100 / total) as u32
}

fn is_readable(c: char) -> bool {
    let code = c as u32;
    c.is_ascii_graphic()
        || c.is_whitespace()
        || is_han(c)
        || matches!(code,
            0x00A0..=0x024F      // Latin-1 and Latin Extended
            | 0x2000..=0x206F    // general punctuation: dashes, quotes, ellipsis
            | 0x2150..=0x218F    // number forms (Roman numerals)
            | 0x2460..=0x24FF    // enclosed numbers ①
            | 0x3000..=0x303F    // CJK punctuation
            | 0xFF00..=0xFFEF    // full-width forms
            | 0xFE30..=0xFE4F    // CJK compatibility forms
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/samples/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn utf8_with_bom_drops_the_bom() {
        let decoded = decode(&sample("301_gov-work-report-2022-bom-crlf.txt")).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.text.starts_with("政府工作报告"));
    }

    #[test]
    fn gbk_without_bom_is_detected() {
        let decoded = decode(&sample("401_udhr-chinese-gbk.txt")).unwrap();
        assert_eq!(decoded.encoding, "GBK");
        assert!(decoded.text.starts_with("世界人权宣言"));
        assert!(decoded.text.contains("第三十条"));
    }

    #[test]
    fn utf16le_with_bom_is_decoded() {
        let decoded = decode(&sample("402_indian-treaty-english-utf16le.txt")).unwrap();
        assert_eq!(decoded.encoding, "UTF-16LE");
        assert!(!decoded.text.contains('\0'));
        assert!(decoded.text.contains("Sisseton and Wahpeton"));
    }

    #[test]
    fn utf16le_without_bom_is_recognised_by_its_nul_bytes() {
        let bytes = sample("402_indian-treaty-english-utf16le.txt");
        let decoded = decode(&bytes[2..]).unwrap();
        assert_eq!(decoded.encoding, "UTF-16LE");
        assert!(decoded.text.contains("Sisseton and Wahpeton"));
    }

    #[test]
    fn chinese_utf16_without_bom_is_read_whichever_byte_order() {
        let text = String::from_utf8(sample("105_mao-ten-major-relationships.txt")).unwrap();
        let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, encoding) in [(little, "UTF-16LE"), (big, "UTF-16BE")] {
            let decoded = decode(&bytes).unwrap();
            assert_eq!(decoded.encoding, encoding);
            assert_eq!(decoded.text, text);
        }
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let decoded = decode("论十大关系\r\r一、重工业\r\n正文\r".as_bytes()).unwrap();
        assert_eq!(decoded.text, "论十大关系\n\n一、重工业\r\n正文\n");
    }

    #[test]
    fn korean_euc_kr_is_refused_not_shown_as_chinese() {
        let korean =
            "대한민국 헌법 제1조 대한민국은 민주공화국이다. 모든 권력은 국민으로부터 나온다.";
        let text = korean.repeat(5);
        let (bytes, _, _) = encoding_rs::EUC_KR.encode(&text);
        let error = decode(&bytes).unwrap_err();
        assert!(matches!(error, DecodeError::Unreadable { .. }), "{error:?}");
    }

    #[test]
    fn gbk_chinese_round_trips() {
        let chinese = "同志们：这次会议的主要任务是分析总结今年以来全市民政工作状况。";
        let (bytes, _, _) = encoding_rs::GBK.encode(chinese);
        assert_eq!(decode(&bytes).unwrap().text, chinese);
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Binary)
        );
        assert_eq!(
            decode(&[0xde, 0xad, 0, 0xbe, 0xef, 0]),
            Err(DecodeError::Binary)
        );
    }

    #[test]
    fn truncated_utf8_still_decodes_what_is_there() {
        let mut bytes = "各位代表：现在，我代表国务院向大会报告政府工作。"
            .as_bytes()
            .to_vec();
        bytes.truncate(bytes.len() - 1);
        let decoded = decode(&bytes).unwrap();
        assert_eq!(
            decoded.text,
            "各位代表：现在，我代表国务院向大会报告政府工作"
        );
    }
}
