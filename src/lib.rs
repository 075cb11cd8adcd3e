//! Rostrum (讲坛): turns a folder of speech files into clean, structured speeches and serves them
//! as a reading room on the local network.
//!
//! Data flows one way: [`ingest`] parses files into the [`model`]; [`corpus`] loads a folder.

pub mod analysis;
pub mod cli;
pub mod corpus;
pub mod ingest;
pub mod model;
pub mod report;
pub mod web;
