//! Places a speech names, found with a gazetteer of China's administrative divisions (cpca's
//! province, city and county tables) rather than the segmenter's unreliable place tags; and
//! from them, the region the speech is most likely about.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The level of an administrative division.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
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
    for province in parser.provinces() {
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
#[derive(Debug, Clone, Serialize, PartialEq)]
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

/// Places and the region they point to.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct PlaceReport {
    /// Most named first.
    pub places: Vec<Place>,
    /// The province and city most of the places belong to, e.g. `湖南省岳阳市`.
    pub region: Option<String>,
}

/// Finds places in `(paragraph id, text)` pairs.
pub fn places_in<'a>(paragraphs: impl Iterator<Item = (u32, &'a str)>) -> PlaceReport {
    let gazetteer = &*GAZETTEER;
    let mut mentions: Vec<(usize, u32)> = Vec::new();
    for (id, text) in paragraphs {
        for found in gazetteer.matcher.find_iter(text) {
            mentions.push((found.pattern().as_usize(), id));
        }
    }
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
    let best_city = city_votes
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(key, _)| key);
    let best_province = province_votes
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(province, _)| province);
    let mut by_pattern: Vec<(usize, Vec<u32>)> = Vec::new();
    for (pattern, id) in mentions {
        match by_pattern.iter_mut().find(|(p, _)| *p == pattern) {
            Some((_, ids)) => ids.push(id),
            None => by_pattern.push((pattern, vec![id])),
        }
    }
    let mut places: Vec<Place> = by_pattern
        .into_iter()
        .map(|(pattern, ids)| {
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
        })
        .collect();
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
    PlaceReport { places, region }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counties_of_one_city_point_to_it() {
        let report = places_in(
            [
                (1, "特殊是君山区,城市低保人数削减了 3300 多人。岳阳楼区、岳阳经济开发区都作出了贡献。"),
                (2, "湘阴县通过主动发展福利企业。平江县、华容县烈士陵园。特殊是云溪区。"),
                (3, "华容县、岳阳县、云溪区、平江县、临湘市都做到了时间过半。华容县、湘阴县、云溪区。"),
            ]
            .into_iter(),
        );
        assert_eq!(report.region.as_deref(), Some("湖南省岳阳市"));
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
        let report = places_in([(1, "城区居民和郊区农民都参与了。")].into_iter());
        assert!(report.places.is_empty(), "{:?}", report.places);
        assert_eq!(report.region, None);
    }
}
