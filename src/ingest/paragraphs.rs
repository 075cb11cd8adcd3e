//! Paragraphs: sentences, and where a run of text with no line breaks opens a new point.

use crate::text::sentences;

/// A lead sentence that opens a point is short: `提高了困难群体的救助水平。`
const MAX_LEAD_SENTENCE_CHARS: usize = 20;
/// A point is worth its own paragraph only when the text before it has some length …
const MIN_PARAGRAPH_CHARS: usize = 30;
/// … and it is followed by at least this much text of its own before the next point.
const MIN_POINT_BODY_CHARS: usize = 20;
/// A run with no lead sentences is still broken at a sentence end past this length.
const MAX_PARAGRAPH_CHARS: usize = 500;

/// Characters other than whitespace. Lines reach this stage with their whitespace folded to
/// ASCII spaces (`plain::fold_spaces`), so counting the bytes that start a character and are not
/// ASCII whitespace counts exactly that.
fn visible_chars(text: &str) -> usize {
    text.bytes()
        .filter(|b| (b & 0xC0) != 0x80 && !b.is_ascii_whitespace())
        .count()
}

/// Words that open a sentence about circumstances (time, place, cause, means), not a new point.
const CIRCUMSTANTIAL_OPENINGS: &[&str] = &[
    "在", "从", "对", "为", "由于", "根据", "通过", "截至", "随着", "同时", "但", "因此", "所以",
    "这", "今年", "目前",
];

/// A short sentence that states a point: no figures, at most one comma, ends with `。`,
/// and does not open with a circumstance.
fn is_lead_sentence(sentence: &str, length: usize) -> bool {
    let sentence = sentence.trim();
    if !(6..=MAX_LEAD_SENTENCE_CHARS).contains(&length)
        || CIRCUMSTANTIAL_OPENINGS
            .iter()
            .any(|w| sentence.starts_with(w))
    {
        return false;
    }
    let commas = sentence.matches([',', '，']).count();
    sentence.ends_with('。')
        && commas <= 1
        && !sentence.chars().any(|c| c.is_ascii_digit() || c == '%')
        && !sentence.contains(['：', ':', '“', '"'])
}

/// Splits a run of text that came with no line breaks into paragraphs: before each lead sentence
/// that opens a point, and otherwise at a sentence end once a paragraph grows long.
/// Every sentence is kept exactly once, in order.
pub fn split_run(text: &str) -> Vec<String> {
    let sentences = sentences(text);
    let lengths: Vec<usize> = sentences.iter().map(|s| visible_chars(s)).collect();
    let leads: Vec<bool> = sentences
        .iter()
        .zip(&lengths)
        .map(|(s, n)| is_lead_sentence(s, *n))
        .collect();
    // A point's own text: what follows its lead sentence up to the next lead sentence.
    let mut point_body = vec![0; sentences.len()];
    let mut following = 0;
    for index in (0..sentences.len()).rev() {
        point_body[index] = following;
        following = if leads[index] {
            0
        } else {
            following + lengths[index]
        };
    }
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut current_chars = 0;
    for (index, sentence) in sentences.iter().enumerate() {
        let opens_point = leads[index]
            && current_chars >= MIN_PARAGRAPH_CHARS
            && point_body[index] >= MIN_POINT_BODY_CHARS;
        let too_long = current_chars >= MAX_PARAGRAPH_CHARS;
        if (opens_point || too_long) && current_chars > 0 {
            paragraphs.push(std::mem::take(&mut current));
            current_chars = 0;
        }
        current.push_str(sentence);
        current_chars += lengths[index];
    }
    if current_chars > 0 {
        paragraphs.push(current);
    }
    paragraphs
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_sentences_open_points() {
        let text = "全市民政系统主动应对金融危机背景下,弱势群体生活困难加剧的形势,实行有效措施保障民生,充分发挥了兜底作用。提高了困难群体的救助水平。今年以来,全市共发放城市低保资金11134 万元,农村低保资金 4200 万元。改善了特别群体的基本生活。1 至 8 月,福利机构收治老年人共 923 人。军休干部两个待遇得到了有效落实。";
        let paragraphs = split_run(text);
        assert_eq!(paragraphs.len(), 3, "{paragraphs:#?}");
        assert!(paragraphs[1].starts_with("提高了困难群体的救助水平。"));
        assert!(paragraphs[2].starts_with("改善了特别群体的基本生活。"));
        assert!(paragraphs[2].ends_with("军休干部两个待遇得到了有效落实。"));
        assert_eq!(paragraphs.concat(), text);
    }

    #[test]
    fn long_runs_break_at_sentence_ends() {
        let sentence = "这是一个相当长的句子,用来测试没有要点句的长段落会不会在句末被切开。";
        let text = sentence.repeat(40);
        let paragraphs = split_run(&text);
        assert!(paragraphs.len() > 1);
        assert!(paragraphs.iter().all(|p| p.ends_with('。')));
        assert_eq!(paragraphs.concat(), text);
    }

    fn lead(sentence: &str) -> bool {
        is_lead_sentence(sentence, visible_chars(sentence))
    }

    #[test]
    fn figures_and_quotes_are_not_lead_sentences() {
        assert!(lead("基础建设有新成效。"));
        assert!(lead("着力深化社区建设,筑牢基层稳定平台。"));
        assert!(!lead("救助灾民 6.1 万人次。"));
        assert!(!lead("他说:“好。”"));
        assert!(!lead("成效显著"));
        assert!(!lead("在福彩发行过程中,各地都实行了有效措施。"));
    }
}
