//! The washed-wording benchmark: precision, recall and restoration on clean official texts
//! held out of the tables and washed by the benchmark's spinner; the same against the seed's
//! hand labels, with and without the swaps the seed itself taught `spinner.tsv`; and false
//! alarms on clean real texts. Prints each figure and each report on the seed.
//!
//!   cargo run --release --example wording-bench

#[path = "../tests/common/washing.rs"]
mod washing;

use rostrum::analysis::wording::detect_all;
use rostrum::analysis::wording::tables::{NGRAMS, SYNONYMS, TABLES, Tables};
use washing::*;

fn main() {
    let jieba = jieba_rs::Jieba::new();
    let clean: Vec<_> = HELD_OUT.iter().map(|name| held_out_speech(name)).collect();

    for rate in SPIN_RATES {
        println!("Spun held-out texts (the spinner replaces {rate} of the words it can):");
        let (spun, truth) = spun_held_out(&clean, rate);
        let wordings = detect_all(&spun, &jieba, &TABLES);
        let mut total = Score::default();
        for ((name, wording), truth) in HELD_OUT.iter().zip(&wordings).zip(&truth) {
            let s = score(&wording.rewordings, truth);
            println!("  {name:36} {s} washed {:.2}", wording.washed);
            total.add(s);
        }
        println!("  all                                  {total}");
    }

    let seed = seed_speech();
    let labels = seed_labels(&seed);
    let without_seed_swaps = Tables::parse(SYNONYMS, "found\tlikely\tevidence\n", NGRAMS);
    for (name, tables) in [
        ("all tables", &*TABLES),
        ("without the seed's swaps", &without_seed_swaps),
    ] {
        let wording = detect_all(std::slice::from_ref(&seed), &jieba, tables).remove(0);
        println!(
            "Seed against its {} hand labels, {name}: {} washed {:.2}",
            labels.len(),
            score(&wording.rewordings, &labels),
            wording.washed
        );
        for r in &wording.rewordings {
            let labelled = labels
                .iter()
                .any(|l| l.paragraph == r.paragraph && l.start < r.end && r.start < l.end);
            let mark = if labelled { "✓" } else { "✗" };
            println!(
                "    {mark} ¶{} {} → {} {:.2}",
                r.paragraph, r.found, r.likely, r.confidence
            );
        }
    }

    let mut clean_all = clean;
    clean_all.extend(CLEAN_SAMPLES.iter().map(|name| fixture_speech(name)));
    let clean_wordings = detect_all(&clean_all, &jieba, &TABLES);
    println!(
        "False alarms on {} clean texts: {:.3} per 1,000 characters",
        clean_all.len(),
        per_thousand(&clean_wordings, &clean_all)
    );
    for (speech, wording) in clean_all.iter().zip(&clean_wordings) {
        let alarms: Vec<String> = wording
            .rewordings
            .iter()
            .map(|r| format!("{}→{}", r.found, r.likely))
            .collect();
        println!(
            "  {:40} washed {:.2} {}",
            speech.slug,
            wording.washed,
            alarms.join(" ")
        );
    }
}
