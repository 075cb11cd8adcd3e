//! The likely original wording put back: a paragraph's text, or a whole speech, with each
//! suspect word replaced by the word that likely stood there.

use super::Rewording;
use crate::model::Speech;

/// The text of a paragraph with the likely originals in place of its suspect words.
pub fn restored_text(text: &str, paragraph: u32, rewordings: &[Rewording]) -> String {
    let mut restored = String::with_capacity(text.len());
    let mut copied = 0;
    for r in rewordings.iter().filter(|r| r.paragraph == paragraph) {
        if let Some(before) = text.get(copied..r.start) {
            restored.push_str(before);
            restored.push_str(&r.likely);
            copied = r.end;
        }
    }
    restored.push_str(text.get(copied..).unwrap_or_default());
    restored
}

/// A copy of `speech` whose paragraphs read the likely originals of its suspect words.
pub fn restored_speech(speech: &Speech, rewordings: &[Rewording]) -> Speech {
    let mut restored = speech.clone();
    for paragraph in restored.paragraphs_mut() {
        paragraph.text = restored_text(&paragraph.text, paragraph.id, rewordings);
    }
    restored
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::wording::tests::rewording;

    #[test]
    fn restoring_puts_each_likely_original_in_its_place_and_only_there() {
        let text = "探讨后段民政工作的详细措施，特殊是君山区。";
        let rewordings = [
            rewording(1, text, "详细", "具体"),
            rewording(1, text, "特殊", "特别"),
            rewording(2, "其他段落", "其他", "别的"),
        ];
        assert_eq!(
            restored_text(text, 1, &rewordings),
            "探讨后段民政工作的具体措施，特别是君山区。"
        );
        assert_eq!(restored_text(text, 3, &rewordings), text);
    }
}
