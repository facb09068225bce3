//! geth's default tracer, the struct logger, as JSON: `{gas, failed, returnValue, structLogs}`.

use super::Trace;
use alloy_primitives::hex;
use isthmus_evm::opcode;
use serde_json::{json, Map, Value};

pub fn to_json(trace: &Trace) -> Value {
    let (gas, failed, output) = trace.summary();
    let logs: Vec<Value> = trace
        .steps
        .iter()
        .map(|step| {
            let mut fields = Map::new();
            fields.insert("pc".into(), json!(step.pc));
            let op = match opcode::name(step.op) {
                Some(name) => name.to_string(),
                None => format!("opcode {:#x} not defined", step.op),
            };
            fields.insert("op".into(), json!(op));
            fields.insert("gas".into(), json!(step.gas));
            fields.insert("gasCost".into(), json!(step.gas_cost));
            fields.insert("depth".into(), json!(step.depth));
            if step.refund != 0 {
                fields.insert("refund".into(), json!(step.refund));
            }
            if let Some(stack) = &step.stack {
                let words: Vec<String> = stack.iter().map(|w| format!("{w:#x}")).collect();
                fields.insert("stack".into(), json!(words));
            }
            if let Some(memory) = &step.memory {
                let words: Vec<String> = memory.chunks(32).map(hex::encode).collect();
                fields.insert("memory".into(), json!(words));
            }
            if let Some(storage) = &step.storage {
                let slots: Map<String, Value> = storage
                    .iter()
                    .map(|(k, v)| (hex::encode(k), json!(hex::encode(v))))
                    .collect();
                fields.insert("storage".into(), Value::Object(slots));
            }
            if let Some(data) = &step.return_data {
                if !data.is_empty() {
                    fields.insert(
                        "returnData".into(),
                        json!(format!("0x{}", hex::encode(data))),
                    );
                }
            }
            Value::Object(fields)
        })
        .collect();
    json!({
        "gas": gas,
        "failed": failed,
        "returnValue": format!("0x{}", hex::encode(output)),
        "structLogs": logs,
    })
}
