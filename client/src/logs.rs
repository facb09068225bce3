//! What a transaction's logs say: the program's compute units, its events ("Program data:"
//! lines), the receipt of an executed Ethereum transaction, a step's progress.

use crate::PROGRAM_ID;
use base64::Engine;
use isthmus_interface::event::{Event, Receipt, StepProgress};
use isthmus_interface::DecodeError;

/// Compute units the program consumed in a transaction, from its "Program <id> consumed N of M
/// compute units" lines (its CPIs included, other programs' instructions not).
pub fn program_cu(logs: &[String]) -> u64 {
    let prefix = format!("Program {PROGRAM_ID} consumed ");
    logs.iter()
        .filter_map(|line| {
            line.strip_prefix(&prefix)?
                .split(' ')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .sum()
}

/// The "Program data: <base64>" payloads, decoded (a line that is not base64 is left out: only
/// the program writes such lines, and never so).
pub fn event_bytes(logs: &[String]) -> Vec<Vec<u8>> {
    logs.iter()
        .filter_map(|l| l.strip_prefix("Program data: "))
        .filter_map(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .collect()
}

/// The program's events in the logs.
pub fn events(logs: &[String]) -> Result<Vec<Event>, DecodeError> {
    event_bytes(logs).iter().map(|b| Event::decode(b)).collect()
}

/// The receipt an executing instruction logged, if it finished a transaction.
pub fn receipt(logs: &[String]) -> Result<Option<Receipt>, DecodeError> {
    let bytes = event_bytes(logs);
    Receipt::find(bytes.iter().map(Vec::as_slice))
}

/// The `StepProgress` of a step that paused.
pub fn step_progress(logs: &[String]) -> Option<StepProgress> {
    events(logs).ok()?.into_iter().find_map(|e| match e {
        Event::StepProgress(p) => Some(p),
        _ => None,
    })
}

/// The heap an executing instruction used, from its `Program log: 0x68656170, 0x<bytes>, ...`
/// line ("heap").
pub fn heap_used(logs: &[String]) -> Option<u64> {
    logs.iter()
        .find_map(|l| l.strip_prefix("Program log: 0x68656170, 0x"))
        .and_then(|rest| u64::from_str_radix(rest.split(',').next()?, 16).ok())
}
