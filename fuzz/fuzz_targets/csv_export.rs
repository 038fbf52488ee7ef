//! Any cells written by the CSV export read back, through a CSV parser, as the neutralised cells:
//! quoting never breaks a row, and no cell starts like a formula.
#![no_main]

use domain::export::{csv, neutralise};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|cells: Vec<(String, String)>| {
    let rows: Vec<Vec<String>> = cells
        .iter()
        .map(|(a, b)| vec![a.clone(), b.clone()])
        .collect();
    let text = csv(&["first", "second"], &rows);
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let read: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("valid CSV")).collect();
    assert_eq!(read.len(), rows.len());
    for (record, row) in read.iter().zip(&rows) {
        for (cell, original) in record.iter().zip(row) {
            assert_eq!(cell, neutralise(original));
            let starts_like_a_formula = cell.starts_with(['=', '+', '@', '\t', '\r']);
            assert!(!starts_like_a_formula, "{cell:?}");
        }
    }
});
