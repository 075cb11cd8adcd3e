//! The index's schema, and building it: a speech's headings and paragraphs as documents,
//! added from many threads at once.

use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tantivy::directory::{MmapDirectory, RamDirectory};
use tantivy::indexer::{NoMergePolicy, UserOperation};
use tantivy::schema::{
    IndexRecordOption, NumericOptions, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument};

use super::tokenizers::{
    CHARS_TOKENIZER, CharTokenizer, SPEECH_WORDS_TOKENIZER, SpeechWordsTokenizer, WORDS_TOKENIZER,
    WordTokenizer,
};
use super::{Fields, Place, SearchError, SearchIndex, speech_key};
use crate::analysis::segment::Segmenter;
use crate::corpus::Corpus;
use crate::model::Speech;

pub(super) fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let numeric = NumericOptions::default().set_fast();
    let indexed_numeric = NumericOptions::default().set_fast().set_indexed();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        speech: builder.add_u64_field("speech", indexed_numeric),
        paragraph: builder.add_u64_field("paragraph", numeric.clone()),
        section: builder.add_u64_field("section", numeric),
        section_path: builder.add_text_field("section_path", STRING),
        chars: builder.add_text_field(
            "chars",
            text(CHARS_TOKENIZER, IndexRecordOption::WithFreqsAndPositions),
        ),
        words: builder.add_text_field("words", text(WORDS_TOKENIZER, IndexRecordOption::WithFreqs)),
        speech_words: builder.add_text_field(
            "speech_words",
            text(SPEECH_WORDS_TOKENIZER, IndexRecordOption::Basic),
        ),
    };
    (builder.build(), fields)
}

/// Memory for tantivy's indexing threads while the index is built (freed afterwards).
const WRITER_MEMORY_BYTES: usize = 128 * 1024 * 1024;
/// Memory for the one indexing thread that applies a few speeches' changes.
const UPDATE_MEMORY_BYTES: usize = 32 * 1024 * 1024;
/// Up to this many speeches added, one indexing thread does.
const FEW_SPEECHES: usize = 64;
/// Speeches whose documents may wait for the writer at once (see `add_all`).
const SPEECHES_IN_FLIGHT: usize = 1_000;

/// Builds the index; speeches may be added from many threads at once.
pub struct SearchIndexBuilder {
    index: Index,
    /// Where the index is built.
    place: Place,
    writer: IndexWriter,
    fields: Fields,
    segmenter: Segmenter,
    failure: Mutex<Option<SearchError>>,
}

impl SearchIndexBuilder {
    /// A builder of an index in `folder`, an empty folder of the cache (see
    /// `IndexCache::staging`), or in memory.
    pub fn new(
        segmenter: &Segmenter,
        folder: Option<PathBuf>,
    ) -> Result<SearchIndexBuilder, SearchError> {
        let (schema, fields) = schema();
        let settings = IndexSettings::default();
        let (index, place) = match folder {
            Some(folder) => (
                Index::create(
                    MmapDirectory::open(&folder).map_err(tantivy::TantivyError::from)?,
                    schema,
                    settings,
                )?,
                Place::Staged(folder),
            ),
            None => (
                Index::create(RamDirectory::create(), schema, settings)?,
                Place::Memory,
            ),
        };
        register_tokenizers(&index, segmenter);
        let writer = writer_for(&index, usize::MAX)?;
        // The batches' segments are merged once, at the end (`SearchIndex::merged`), not as
        // they come.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        Ok(SearchIndexBuilder {
            index,
            place,
            writer,
            fields,
            segmenter: segmenter.clone(),
            failure: Mutex::new(None),
        })
    }

    /// Adds every speech's headings and paragraphs, from many threads. The writer queues
    /// whatever it is given, and documents are made far faster than they are indexed, so
    /// every speech's text would wait in the queue at once (a third of a gigabyte at 10,000
    /// speeches): speeches go in `SPEECHES_IN_FLIGHT` at a time, each batch committed (a
    /// commit returns when the queue is indexed). A failure is kept and reported by `finish`.
    pub fn add_all(&mut self, speeches: &[Arc<Speech>]) -> Result<(), SearchError> {
        for some in speeches.chunks(SPEECHES_IN_FLIGHT) {
            some.par_iter().for_each(|speech| self.add(speech));
            self.writer.commit()?;
        }
        Ok(())
    }

    fn add(&self, speech: &Speech) {
        if let Err(error) = add_documents(&self.writer, self.fields, speech)
            && let Ok(mut failure) = self.failure.lock()
        {
            failure.get_or_insert(error);
        }
    }

    /// Commits everything added and opens the index for searching `corpus`, the collection
    /// whose speeches were added: one segment for each batch and indexing thread, until
    /// `SearchIndex::merged`.
    pub fn finish(mut self, corpus: &Corpus) -> Result<SearchIndex, SearchError> {
        if let Some(error) = self.failure.lock().ok().and_then(|mut f| f.take()) {
            return Err(error);
        }
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        let search =
            SearchIndex::ready(self.index, self.fields, self.segmenter, self.place, corpus)?;
        search.log_size();
        Ok(search)
    }
}

/// A writer of `index` for adding `speeches` speeches: one thread with a little memory for a
/// few, every core (up to eight) for many.
pub(super) fn writer_for(index: &Index, speeches: usize) -> tantivy::Result<IndexWriter> {
    if speeches <= FEW_SPEECHES {
        return index.writer_with_num_threads(1, UPDATE_MEMORY_BYTES);
    }
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    index.writer_with_num_threads(threads, WRITER_MEMORY_BYTES)
}

/// Lets `index` tokenize its two fields, with the shared dictionary.
pub(super) fn register_tokenizers(index: &Index, segmenter: &Segmenter) {
    index.tokenizers().register(CHARS_TOKENIZER, CharTokenizer);
    index
        .tokenizers()
        .register(WORDS_TOKENIZER, WordTokenizer(segmenter.clone()));
    index
        .tokenizers()
        .register(SPEECH_WORDS_TOKENIZER, SpeechWordsTokenizer);
}

/// Adds a speech's headings and paragraphs to the index `writer` writes, as documents of the
/// speech's key. They are added as one batch, which one indexing thread writes in order: a
/// speech's documents are a run of consecutive documents in one segment (which counting the
/// speeches that match relies on), and stay one when segments merge.
pub(super) fn add_documents(
    writer: &IndexWriter,
    fields: Fields,
    speech: &Speech,
) -> Result<(), SearchError> {
    let key = speech_key(&speech.slug);
    let flat = speech.sections_flat();
    let mut documents = Vec::new();
    let mut add = |section: Option<usize>, paragraph: u32, text: &str| {
        let mut document = TantivyDocument::default();
        document.add_u64(fields.speech, key);
        document.add_u64(fields.paragraph, u64::from(paragraph));
        document.add_u64(fields.section, section.map_or(0, |s| s as u64 + 1));
        if let Some(position) = section {
            for ancestor in flat[position].id.lineage() {
                document.add_text(fields.section_path, ancestor.to_string());
            }
        }
        document.add_text(fields.chars, text);
        document.add_text(fields.words, text);
        documents.push(UserOperation::Add(document));
    };
    for (position, section) in flat.iter().enumerate() {
        add(Some(position), 0, &section.label());
    }
    for (section, paragraph) in speech.paragraphs() {
        let position = section.and_then(|s| flat.iter().position(|f| std::ptr::eq(*f, s)));
        add(position, paragraph.id, &paragraph.text);
    }
    // The words of its headings and paragraphs, as the tokenizer of the words field found
    // them in the documents above (see `SpeechWordsTokenizer`): the text is not needed.
    let mut whole = TantivyDocument::default();
    whole.add_u64(fields.speech, key);
    whole.add_text(fields.speech_words, "");
    documents.push(UserOperation::Add(whole));
    writer.run(documents)?;
    Ok(())
}
