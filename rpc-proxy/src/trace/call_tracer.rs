//! geth's `callTracer` as JSON: the tree of calls, each with type, from, to, value, gas,
//! gasUsed, input, output, error, revertReason and (with `withLog`) logs; `onlyTopCall` keeps
//! the root alone.

use super::CallFrame;
use alloy_primitives::{hex, Address, B256};
use serde_json::{json, Map, Value};

/// `{onlyTopCall, withLog}`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub only_top_call: bool,
    pub with_log: bool,
}

pub fn to_json(frame: &CallFrame, options: Options) -> Value {
    let mut fields = Map::new();
    fields.insert("type".into(), json!(frame.kind));
    fields.insert("from".into(), json!(Address::from(frame.from)));
    fields.insert("to".into(), json!(Address::from(frame.to)));
    if let Some(value) = frame.value {
        fields.insert("value".into(), json!(format!("{value:#x}")));
    }
    fields.insert("gas".into(), json!(format!("{:#x}", frame.gas)));
    fields.insert("gasUsed".into(), json!(format!("{:#x}", frame.gas_used)));
    fields.insert(
        "input".into(),
        json!(format!("0x{}", hex::encode(&frame.input))),
    );
    if !frame.output.is_empty() || frame.error.is_none() {
        fields.insert(
            "output".into(),
            json!(format!("0x{}", hex::encode(&frame.output))),
        );
    }
    if let Some(error) = &frame.error {
        fields.insert("error".into(), json!(error));
        if let Some(reason) = crate::rpc::revert_reason(&frame.output) {
            fields.insert("revertReason".into(), json!(reason));
        }
    }
    if options.with_log && !frame.logs.is_empty() {
        let logs: Vec<Value> = frame
            .logs
            .iter()
            .map(|log| {
                json!({
                    "address": Address::from(log.address),
                    "topics": log.topics.iter().map(|t| B256::from(*t)).collect::<Vec<_>>(),
                    "data": format!("0x{}", hex::encode(&log.data)),
                    "position": format!("{:#x}", log.position),
                })
            })
            .collect();
        fields.insert("logs".into(), json!(logs));
    }
    if !options.only_top_call && !frame.calls.is_empty() {
        let calls: Vec<Value> = frame.calls.iter().map(|c| to_json(c, options)).collect();
        fields.insert("calls".into(), json!(calls));
    }
    Value::Object(fields)
}
