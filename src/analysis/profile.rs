//! A profile: the most frequent terms of a speech (or of the collection) with their counts,
//! most frequent first, packed into one string and one array, since every speech keeps
//! hundreds of them and a string apiece would cost several times their text.

/// Terms and counts, most frequent first (ties by term).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Profile {
    /// Every term, one after the other.
    text: String,
    /// Where each term ends in `text`, and its count.
    entries: Vec<(u32, u32)>,
}

impl Profile {
    /// The profile of `terms`, given in order.
    pub fn of<'t>(terms: impl IntoIterator<Item = (&'t str, u32)>) -> Profile {
        let mut profile = Profile::default();
        for (term, count) in terms {
            profile.text.push_str(term);
            let end = u32::try_from(profile.text.len()).unwrap_or(u32::MAX);
            profile.entries.push((end, count));
        }
        profile.text.shrink_to_fit();
        profile.entries.shrink_to_fit();
        profile
    }

    /// Every term with its count, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        let starts = std::iter::once(0).chain(self.entries.iter().map(|(end, _)| *end));
        starts.zip(&self.entries).map(|(start, &(end, count))| {
            let term = self.text.get(start as usize..end as usize);
            (term.unwrap_or_default(), count)
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The count of `term`, if it is in the profile.
    pub fn count_of(&self, term: &str) -> Option<u32> {
        self.iter()
            .find(|(t, _)| *t == term)
            .map(|(_, count)| count)
    }

    /// The count of the last, least frequent term.
    pub fn last_count(&self) -> Option<u32> {
        self.entries.last().map(|(_, count)| *count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_gives_back_its_terms_and_counts_in_order() {
        let terms = [("发展", 9), ("a", 5), ("改革开放", 5), ("", 1), ("人民", 1)];
        let profile = Profile::of(terms);
        assert_eq!(profile.iter().collect::<Vec<_>>(), terms);
        assert_eq!(profile.len(), 5);
        assert_eq!(profile.count_of("改革开放"), Some(5));
        assert_eq!(profile.count_of("改革"), None);
        assert_eq!(profile.last_count(), Some(1));
        assert!(Profile::of([]).is_empty() && Profile::of([]).last_count().is_none());
    }
}
