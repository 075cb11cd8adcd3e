//! Keyness on the collection's statistics page: which two sides are compared (a speech, a
//! speaker's or a decade's speeches, the rest of the collection), and their distinctive terms
//! with a chart, ready to draw.

use super::AppState;
use super::charts::{KeynessChart, keyness_chart};
use super::error::AppError;
use super::i18n::Lang;
use super::layout::find_speech_with_stats;
use super::trend::trend_href;
use crate::analysis::compare::{KeyTerm, Keyness, Side, keyness};
use crate::analysis::stats::{SpeechStats, Statistics};
use crate::model::Speech;
use std::collections::BTreeMap;

/// The second selector's value for the rest of the collection, the default side to compare with.
pub const REST: &str = "rest";

/// Distinctive terms shown on each side of a comparison.
const KEY_TERMS: usize = 25;

/// Terms per side drawn in the keyness chart.
const CHARTED_KEY_TERMS: usize = 12;

/// A comparison ready to draw: both sides' names, their distinctive terms and a chart.
pub struct Compared {
    pub first: String,
    pub second: String,
    pub keyness: Keyness,
    pub chart: KeynessChart,
}

impl Compared {
    /// Each side's name with the terms it uses more.
    pub fn sides(&self) -> [(&str, &[KeyTerm]); 2] {
        [
            (&self.first, &self.keyness.first),
            (&self.second, &self.keyness.second),
        ]
    }
}

/// The two sides to compare: those asked for, else the first speech against the rest of the
/// collection; none when the collection has a single speech.
pub fn chosen_pair(state: &AppState, a: &str, b: &str) -> Option<(String, String)> {
    let (a, b) = (a.trim(), b.trim());
    if !a.is_empty() || !b.is_empty() {
        let first = state.corpus.speeches.first().map(|s| s.slug.as_str());
        let a = if a.is_empty() { first? } else { a };
        let b = if b.is_empty() { REST } else { b };
        return Some((a.to_owned(), b.to_owned()));
    }
    match state.corpus.speeches.as_slice() {
        [first, _, ..] => Some((first.slug.clone(), REST.to_owned())),
        _ => None,
    }
}

/// Groups the first side may be: every speaker's and every decade's speeches, where there
/// are at least two, as `(value, name)` for the selector.
pub fn groups(state: &AppState, lang: Lang) -> Vec<(String, String)> {
    let mut speakers: BTreeMap<&str, usize> = BTreeMap::new();
    let mut decades: BTreeMap<i32, usize> = BTreeMap::new();
    for speech in &state.corpus.speeches {
        if let Some(speaker) = &speech.front.speaker {
            *speakers.entry(speaker).or_default() += 1;
        }
        if let Some(year) = speech.front.year() {
            *decades.entry(year - year.rem_euclid(10)).or_default() += 1;
        }
    }
    let speaker_groups = speakers
        .into_iter()
        .filter(|(_, count)| *count >= 2)
        .map(|(speaker, _)| Group::Speaker(speaker.to_owned()));
    let decade_groups = decades
        .into_iter()
        .filter(|(_, count)| *count >= 2)
        .map(|(decade, _)| Group::Decade(decade));
    speaker_groups
        .chain(decade_groups)
        .map(|group| (group.value(), group.name(lang)))
        .collect()
}

/// Several speeches taken together as one side.
enum Group {
    Speaker(String),
    /// The first year of the decade.
    Decade(i32),
}

impl Group {
    /// `speaker:…` or `decade:1950`, as the selector sends it.
    fn parse(value: &str) -> Option<Group> {
        match value.split_once(':')? {
            ("speaker", name) => Some(Group::Speaker(name.to_owned())),
            ("decade", decade) => decade.parse().ok().map(Group::Decade),
            _ => None,
        }
    }

    fn value(&self) -> String {
        match self {
            Group::Speaker(name) => format!("speaker:{name}"),
            Group::Decade(decade) => format!("decade:{decade}"),
        }
    }

    fn name(&self, lang: Lang) -> String {
        match self {
            Group::Speaker(name) => lang.speeches_by(name),
            Group::Decade(decade) => lang.speeches_of_decade(*decade),
        }
    }

    fn includes(&self, speech: &Speech) -> bool {
        match self {
            Group::Speaker(name) => speech.front.speaker.as_deref() == Some(name),
            Group::Decade(decade) => speech
                .front
                .year()
                .is_some_and(|year| year - year.rem_euclid(10) == *decade),
        }
    }
}

/// One side as chosen: a speech by its slug, or a group; its name and its speeches' statistics.
fn side<'a>(
    state: &'a AppState,
    statistics: &'a Statistics,
    chosen: &str,
    lang: Lang,
) -> Result<(String, Vec<&'a SpeechStats>), AppError> {
    if let Some(group) = Group::parse(chosen) {
        let members: Vec<&SpeechStats> = state
            .corpus
            .speeches
            .iter()
            .zip(&statistics.speeches)
            .filter(|(speech, _)| group.includes(speech))
            .map(|(_, stats)| &**stats)
            .collect();
        if members.is_empty() {
            return Err(AppError::BadRequest(format!("no speeches in {chosen}")));
        }
        return Ok((group.name(lang), members));
    }
    match find_speech_with_stats(state, chosen) {
        Ok((speech, stats)) => Ok((speech.title.clone(), vec![stats])),
        Err(AppError::NotFound(_)) => Err(AppError::BadRequest(format!(
            "no speech {chosen} to compare"
        ))),
        Err(other) => Err(other),
    }
}

/// The keyness of `a` (a speech or a group) against speech `b` or, for `REST`, against the rest
/// of the collection.
pub fn compared(
    state: &AppState,
    statistics: &Statistics,
    a: &str,
    b: &str,
    with_filler: bool,
    lang: Lang,
) -> Result<Compared, AppError> {
    let (first_name, first_members) = side(state, statistics, a, lang)?;
    let (second_name, second_side) = if b == REST {
        (
            lang.strings().rest_of_collection.to_owned(),
            Side::rest_of(first_members.clone(), statistics),
        )
    } else {
        let (name, members) = side(state, statistics, b, lang)?;
        (name, Side::speeches(members))
    };
    let keyness = keyness(
        &Side::speeches(first_members),
        &second_side,
        KEY_TERMS,
        with_filler,
    );
    let chart = keyness_chart(
        &keyness.first[..keyness.first.len().min(CHARTED_KEY_TERMS)],
        &keyness.second[..keyness.second.len().min(CHARTED_KEY_TERMS)],
        trend_href,
        lang.strings().colon,
    );
    Ok(Compared {
        first: first_name,
        second: second_name,
        keyness,
        chart,
    })
}
