//! JSON-RPC helpers shared by the namespaces: parameters, quantities, errors.

use crate::node::Node;
use jsonrpsee::types::{ErrorObjectOwned, Params};
use serde_json::Value;
use std::sync::{Arc, Mutex};

pub type Ctx = Arc<Mutex<Node>>;
pub type RpcResult = Result<Value, ErrorObjectOwned>;

/// The positional parameters; missing or null parameters are an empty list.
pub fn args(params: &Params) -> Result<Vec<Value>, ErrorObjectOwned> {
    if params.as_str().is_none() {
        return Ok(Vec::new());
    }
    match params.parse::<Option<Vec<Value>>>() {
        Ok(v) => Ok(v.unwrap_or_default()),
        Err(e) => Err(e),
    }
}

/// Parameter `i` as `T` (-32602 when missing or malformed).
pub fn arg<T: serde::de::DeserializeOwned>(
    args: &[Value],
    i: usize,
) -> Result<T, ErrorObjectOwned> {
    let v = args.get(i).cloned().unwrap_or(Value::Null);
    serde_json::from_value(v).map_err(|e| invalid_params(format!("parameter {i}: {e}")))
}

pub fn invalid_params(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(-32602, message.into(), None::<()>)
}

/// A server-side error as geth reports it (-32000).
pub fn server_error(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(-32000, message.into(), None::<()>)
}

/// geth's revert error: code 3, "execution reverted[: reason]", data the revert bytes.
pub fn revert_error(data: &[u8]) -> ErrorObjectOwned {
    let message = match revert_reason(data) {
        Some(reason) => format!("execution reverted: {reason}"),
        None => "execution reverted".to_string(),
    };
    ErrorObjectOwned::owned(3, message, Some(hex(data)))
}

/// The string of an `Error(string)` revert.
fn revert_reason(data: &[u8]) -> Option<String> {
    if data.len() < 68 || data[..4] != [0x08, 0xc3, 0x79, 0xa0] {
        return None;
    }
    let len = u64::from_be_bytes(data[60..68].try_into().ok()?) as usize;
    let bytes = data.get(68..68usize.checked_add(len)?)?;
    String::from_utf8(bytes.to_vec()).ok()
}

pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(2 + 2 * bytes.len());
    s.push_str("0x");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

pub fn quantity(n: impl Into<u128>) -> Value {
    Value::String(format!("{:#x}", n.into()))
}
