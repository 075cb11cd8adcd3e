//! Rostrum (讲坛): turns a folder of speech files into clean, structured speeches and serves them
//! as a reading room on the local network.
//!
//! Data flows one way: [`corpus`] loads a folder, [`ingest`] parses each file into the
//! [`model`], [`analysis`] segments, indexes and counts, and [`web`] serves it all.

pub mod analysis;
pub mod cache;
pub mod cli;
pub mod corpus;
pub mod export;
pub mod ingest;
pub mod model;
mod patterns;
pub mod report;
pub mod text;
pub mod watch;
pub mod web;
