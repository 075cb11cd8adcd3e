//! Places a speech names, found with a gazetteer of China's administrative divisions (cpca's
//! province, city and county tables) rather than the segmenter's unreliable place tags; and
//! from them, the region the speech is most likely about.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The level of an administrative division.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Province,
    City,
    County,
}

/// A division a name can refer to.
#[derive(Debug, Clone, PartialEq)]
struct Division {
    level: Level,
    province: String,
    city: Option<String>,
    /// The official name (`岳阳市`, `湖南省`, `君山区`).
    name: String,
}

impl Division {
    fn full_name(&self) -> String {
        match (self.level, &self.city) {
            (Level::Province, _) => self.province.clone(),
            (Level::City, _) => format!("{}{}", self.province, self.name),
            (Level::County, Some(city)) if city != &self.province => {
                format!("{}{city}{}", self.province, self.name)
            }
            (Level::County, _) => format!("{}{}", self.province, self.name),
        }
    }
}

/// Province names without their suffix, as speeches often write them (`湖南`, `广西`).
const PROVINCE_SUFFIXES: &[&str] = &[
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
];
/// County-level suffixes; a county name must keep at least two characters before one.
const COUNTY_SUFFIXES: &[&str] = &["自治县", "自治旗", "区", "县", "市", "旗"];

struct Gazetteer {
    matcher: AhoCorasick,
    /// The names searched for, by pattern index.
    names: Vec<String>,
    /// For each pattern, the divisions it may name.
    divisions: Vec<Vec<Division>>,
}

/// A county name like `城区` or `郊区` is also a common word: the stem before the suffix must be
/// at least two characters.
fn distinctive_county(name: &str) -> bool {
    COUNTY_SUFFIXES
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .is_some_and(|stem| stem.chars().count() >= 2 && stem != "市辖")
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let parser = cpca::AddressParser::global();
    let mut names: HashMap<String, Vec<Division>> = HashMap::new();
    // cpca files foreign addresses under a "province" 国外: not a place.
    for province in parser
        .provinces()
        .into_iter()
        .filter(|p| p.as_str() != "国外")
    {
        let add_province = |names: &mut HashMap<String, Vec<Division>>, name: String| {
            names.entry(name).or_default().push(Division {
                level: Level::Province,
                province: province.clone(),
                city: None,
                name: province.clone(),
            });
        };
        add_province(&mut names, province.clone());
        if let Some(short) = PROVINCE_SUFFIXES
            .iter()
            .find_map(|s| province.strip_suffix(s))
            .filter(|s| s.chars().count() >= 2)
        {
            add_province(&mut names, short.to_owned());
        }
        for city in parser.cities_of_province(province) {
            if city != province {
                names.entry(city.clone()).or_default().push(Division {
                    level: Level::City,
                    province: province.clone(),
                    city: Some(city.clone()),
                    name: city.clone(),
                });
            }
            for county in parser.districts_of_city(city) {
                if distinctive_county(county) {
                    names.entry(county.clone()).or_default().push(Division {
                        level: Level::County,
                        province: province.clone(),
                        city: Some(city.clone()),
                        name: county.clone(),
                    });
                }
            }
        }
    }
    let mut entries: Vec<(String, Vec<Division>)> = names.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let (names, divisions): (Vec<String>, Vec<Vec<Division>>) = entries.into_iter().unzip();
    // A few thousand short names: building the automaton cannot fail (tested).
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&names)
        .unwrap_or_else(|e| panic!("the gazetteer's names build a matcher: {e}"));
    Gazetteer {
        matcher,
        names,
        divisions,
    }
});

/// A place named in a speech.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Place {
    /// The name as written.
    pub name: String,
    pub level: Level,
    /// The division it is taken to be, e.g. `湖南省岳阳市君山区`; for a name several divisions
    /// share, the one in the speech's region, if any.
    pub full_name: Option<String>,
    pub count: usize,
    /// Paragraphs naming it, in order (a paragraph once per mention).
    pub paragraphs: Vec<u32>,
}

/// What a speech's places say about where it is about.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// One region: most of the places are in it.
    Local,
    /// The whole country: places in many provinces, none standing out.
    National,
}

/// Places and the region they point to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct PlaceReport {
    /// Most named first.
    pub places: Vec<Place>,
    /// The province and city most of the places belong to, e.g. `湖南省岳阳市`; only when
    /// the evidence points to one place.
    pub region: Option<String>,
    /// Local or national, when the places say.
    pub scope: Option<Scope>,
    /// The share of the place mentions that are in the region (0 to 1).
    pub confidence: Option<f64>,
}

/// A region needs at least this many mentions …
const MIN_REGION_MENTIONS: f64 = 3.0;
/// … and this share of them in it; a city needs this share to be named in the region.
const MIN_REGION_SHARE: f64 = 0.6;
/// Places in this many provinces, none with the share of a region, make a national speech.
const MIN_NATIONAL_PROVINCES: usize = 3;

/// Byte offsets where the segmenter's words start and end in `text`.
fn word_boundaries(text: &str, words: &[&str]) -> Vec<usize> {
    let base = text.as_ptr() as usize;
    let mut boundaries: Vec<usize> = words
        .iter()
        .filter_map(|word| (word.as_ptr() as usize).checked_sub(base))
        .flat_map(|start| [start, start])
        .collect();
    boundaries.extend(words.iter().filter_map(|word| {
        (word.as_ptr() as usize)
            .checked_sub(base)
            .map(|s| s + word.len())
    }));
    boundaries.sort_unstable();
    boundaries.dedup();
    boundaries
}

/// Finds places in paragraphs: `(paragraph id, text, the segmenter's words of the text)`. A
/// name counts where it is a whole word or words (`海城市` is not in `沿海城市`), and a county
/// only when the speech also names its city or another county of it (`解放区` alone, or with
/// 河南, is a word, not 焦作's district).
pub fn places_in<'a>(
    paragraphs: impl Iterator<Item = (u32, &'a str, &'a [&'a str])>,
) -> PlaceReport {
    let gazetteer = &*GAZETTEER;
    let mut mentions: Vec<(usize, u32)> = Vec::new();
    for (id, text, words) in paragraphs {
        let boundaries = word_boundaries(text, words);
        let on_boundary = |at: usize| boundaries.binary_search(&at).is_ok();
        for found in gazetteer.matcher.find_iter(text) {
            if on_boundary(found.start()) && on_boundary(found.end()) {
                mentions.push((found.pattern().as_usize(), id));
            }
        }
    }
    let named_cities: Vec<(&str, Option<&str>)> = mentions
        .iter()
        .flat_map(|(pattern, _)| &gazetteer.divisions[*pattern])
        .filter(|d| d.level != Level::County)
        .map(|d| (d.province.as_str(), d.city.as_deref()))
        .collect();
    let supported = |pattern: usize| {
        gazetteer.divisions[pattern].iter().any(|d| {
            d.level != Level::County
                || named_cities.iter().any(|(province, city)| {
                    let municipality = d
                        .city
                        .as_deref()
                        .is_none_or(|c| c == d.province || c == "市辖区");
                    *province == d.province
                        && (*city == d.city.as_deref() || (city.is_none() && municipality))
                })
                || mentions.iter().any(|(other, _)| {
                    *other != pattern
                        && gazetteer.divisions[*other]
                            .iter()
                            .any(|o| o.city == d.city && o.province == d.province)
                })
        })
    };
    let mentions: Vec<(usize, u32)> = mentions
        .iter()
        .copied()
        .filter(|(pattern, _)| supported(*pattern))
        .collect();
    // Each mention votes for the city (and province) of every division it may name, split evenly.
    let mut city_votes: HashMap<(String, String), f64> = HashMap::new();
    let mut province_votes: HashMap<String, f64> = HashMap::new();
    for (pattern, _) in &mentions {
        let divisions = &gazetteer.divisions[*pattern];
        let share = 1.0 / divisions.len() as f64;
        for division in divisions {
            *province_votes.entry(division.province.clone()).or_default() += share;
            if let Some(city) = &division.city {
                *city_votes
                    .entry((division.province.clone(), city.clone()))
                    .or_default() += share;
            }
        }
    }
    let total = mentions.len() as f64;
    let provinces = province_votes.len();
    let best_city = city_votes
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
    let best_province = province_votes
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
    let province_share = best_province
        .as_ref()
        .map_or(0.0, |(_, votes)| votes / total.max(1.0));
    let local = total >= MIN_REGION_MENTIONS && province_share >= MIN_REGION_SHARE;
    let scope = if local {
        Some(Scope::Local)
    } else if provinces >= MIN_NATIONAL_PROVINCES {
        Some(Scope::National)
    } else {
        None
    };
    let best_city = best_city
        .filter(|(_, votes)| local && votes / total >= MIN_REGION_SHARE)
        .map(|(key, _)| key);
    let best_province = best_province
        .filter(|_| local)
        .map(|(province, _)| province);
    let mut by_pattern: Vec<(usize, Vec<u32>)> = Vec::new();
    for (pattern, id) in mentions {
        match by_pattern.iter_mut().find(|(p, _)| *p == pattern) {
            Some((_, ids)) => ids.push(id),
            None => by_pattern.push((pattern, vec![id])),
        }
    }
    let mut places: Vec<Place> = Vec::new();
    for place in by_pattern.into_iter().map(|(pattern, ids)| {
        let divisions = &gazetteer.divisions[pattern];
        let in_region = divisions.iter().find(|d| {
            best_city
                .as_ref()
                .is_some_and(|(p, c)| &d.province == p && d.city.as_ref() == Some(c))
        });
        let chosen = match divisions.as_slice() {
            [only] => Some(only),
            _ => in_region,
        };
        Place {
            name: gazetteer.names[pattern].clone(),
            level: divisions.first().map_or(Level::County, |d| d.level),
            full_name: chosen.map(Division::full_name),
            count: ids.len(),
            paragraphs: ids,
        }
    }) {
        // A short name and its full form (`澳门`, `澳门特别行政区`) are one place, under the
        // longer name.
        match places
            .iter_mut()
            .find(|p| p.full_name.is_some() && p.full_name == place.full_name)
        {
            Some(same) => {
                if place.name.chars().count() > same.name.chars().count() {
                    same.name = place.name;
                }
                same.count += place.count;
                same.paragraphs.extend(place.paragraphs);
                same.paragraphs.sort_unstable();
            }
            None => places.push(place),
        }
    }
    places.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.level.cmp(&b.level))
            .then(a.name.cmp(&b.name))
    });
    let region = match (best_city, best_province) {
        (Some((province, city)), _) if city != province => Some(format!("{province}{city}")),
        (Some((province, _)), _) | (None, Some(province)) => Some(province),
        (None, None) => None,
    };
    PlaceReport {
        places,
        confidence: region
            .as_ref()
            .map(|_| (province_share * 100.0).round() / 100.0),
        region,
        scope,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::segment::Segmenter;

    /// Places in paragraphs, segmented as the statistics segment them.
    fn found(paragraphs: &[(u32, &str)]) -> PlaceReport {
        let (segmenter, _) = Segmenter::new(None);
        let words: Vec<Vec<&str>> = paragraphs.iter().map(|(_, t)| segmenter.words(t)).collect();
        places_in(
            paragraphs
                .iter()
                .zip(&words)
                .map(|((id, text), words)| (*id, *text, words.as_slice())),
        )
    }

    #[test]
    fn counties_of_one_city_point_to_it() {
        let report = found(&[
            (
                1,
                "特殊是君山区,城市低保人数削减了 3300 多人。岳阳楼区、岳阳经济开发区都作出了贡献。",
            ),
            (
                2,
                "湘阴县通过主动发展福利企业。平江县、华容县烈士陵园。特殊是云溪区。",
            ),
            (
                3,
                "华容县、岳阳县、云溪区、平江县、临湘市都做到了时间过半。华容县、湘阴县、云溪区。",
            ),
        ]);
        assert_eq!(report.region.as_deref(), Some("湖南省岳阳市"));
        assert_eq!(report.scope, Some(Scope::Local));
        let count = |name: &str| {
            report
                .places
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.count)
        };
        assert_eq!(count("云溪区"), Some(3));
        assert_eq!(count("华容县"), Some(3));
        assert_eq!(count("岳阳楼区"), Some(1));
        let yunxi = report.places.iter().find(|p| p.name == "云溪区").unwrap();
        assert_eq!(yunxi.full_name.as_deref(), Some("湖南省岳阳市云溪区"));
        assert_eq!(yunxi.paragraphs, vec![2, 3, 3]);
    }

    #[test]
    fn common_words_are_not_places() {
        let report = found(&[(
            1,
            "城区居民和郊区农民都参与了。国外的经验。解放区的土地改革。",
        )]);
        assert!(report.places.is_empty(), "{:?}", report.places);
        assert_eq!(report.region, None);
    }

    #[test]
    fn names_inside_longer_words_are_not_places() {
        let report = found(&[(1, "沿海城市和内地城市的工业都要发展。")]);
        assert!(report.places.is_empty(), "{:?}", report.places);
    }

    #[test]
    fn a_short_name_and_its_full_form_are_one_place() {
        let report = found(&[(1, "北京市和北京，澳门特别行政区和澳门。")]);
        let names: Vec<(&str, usize)> = report
            .places
            .iter()
            .map(|p| (p.name.as_str(), p.count))
            .collect();
        assert_eq!(names, vec![("北京市", 2), ("澳门特别行政区", 2)]);
    }

    #[test]
    fn a_speech_across_the_country_is_national_with_no_region() {
        let report = found(&[
            (1, "上海、广东、江苏的经济增长较快，四川、河南的农业丰收。"),
            (2, "北京和天津的交通、浙江的外贸、澳门的旅游都有发展。"),
        ]);
        assert_eq!(report.scope, Some(Scope::National));
        assert_eq!((report.region, report.confidence), (None, None));
    }
}
