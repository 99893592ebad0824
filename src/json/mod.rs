//! Reading JSON input: [`pointer`] builds the JSON Pointers every issue
//! carries, [`read`] reads untyped values while reporting each problem at
//! its pointer (one wording and one code per kind of problem).

pub mod pointer;
pub mod read;
