//! The secp256k1 keys this process recovered lately, so that a second recovery of the same
//! signature in the same process is a lookup. The embedded chain recovers every Ethereum sender
//! twice: when `eth_sendRawTransaction` accepts the transaction ([`crate::crypto`]) and when the
//! program checks it in the in-process SVM (`sol_secp256k1_recover`, isthmus-svm), moments later;
//! the second was a fifth of the block producer's time. Recovery is a pure function of (message
//! hash, signature, recovery id), so the remembered key is the one the syscall would compute; it
//! still charges the same compute units. Only successes are kept, the newest [`KEPT`] of them
//! (more than a full mempool holds, so every waiting transaction's key is there when it is
//! relayed): memory stays bounded.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Recoveries kept: above rpc-proxy's mempool bound (5,120) and the blocks being relayed.
pub const KEPT: usize = 8_192;

struct Entry {
    signature: [u8; 64],
    recovery_id: u8,
    key: [u8; 64],
}

/// Entries by message hash, and the hashes oldest first (which one goes when full).
#[derive(Default)]
struct Memo {
    entries: HashMap<[u8; 32], Entry>,
    order: VecDeque<[u8; 32]>,
}

static MEMO: Mutex<Option<Memo>> = Mutex::new(None);

/// Remembers that `signature` with `recovery_id` recovers `key` for `message`.
pub fn remember(message: &[u8; 32], signature: &[u8; 64], recovery_id: u8, key: &[u8; 64]) {
    let mut guard = MEMO.lock().unwrap_or_else(|p| p.into_inner());
    let memo = guard.get_or_insert_with(Memo::default);
    let entry = Entry {
        signature: *signature,
        recovery_id,
        key: *key,
    };
    if memo.entries.insert(*message, entry).is_none() {
        memo.order.push_back(*message);
        if memo.order.len() > KEPT {
            if let Some(oldest) = memo.order.pop_front() {
                memo.entries.remove(&oldest);
            }
        }
    }
}

/// The key [`remember`]ed for exactly these inputs, if it is still kept.
pub fn recall(message: &[u8; 32], signature: &[u8; 64], recovery_id: u8) -> Option<[u8; 64]> {
    let guard = MEMO.lock().unwrap_or_else(|p| p.into_inner());
    let entry = guard.as_ref()?.entries.get(message)?;
    (entry.signature == *signature && entry.recovery_id == recovery_id).then_some(entry.key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recalls_only_the_same_inputs_and_the_newest() {
        let message = [0x5a; 32];
        let signature = [7; 64];
        let key = [9; 64];
        remember(&message, &signature, 1, &key);
        assert_eq!(recall(&message, &signature, 1), Some(key));
        assert_eq!(recall(&message, &signature, 0), None);
        let mut other = signature;
        other[63] ^= 1;
        assert_eq!(recall(&message, &other, 1), None);
        let mut moved = message;
        moved[31] ^= 1;
        assert_eq!(recall(&moved, &signature, 1), None);
        // KEPT newer ones push it out; the newest are there.
        for i in 0..KEPT as u64 {
            let mut m = [0u8; 32];
            m[..8].copy_from_slice(&i.to_le_bytes());
            remember(&m, &signature, 0, &[i as u8; 64]);
        }
        assert_eq!(recall(&message, &signature, 1), None);
        // (other tests of this binary recover keys meanwhile: the oldest few may be gone)
        for i in 1_000..KEPT as u64 {
            let mut m = [0u8; 32];
            m[..8].copy_from_slice(&i.to_le_bytes());
            assert_eq!(recall(&m, &signature, 0), Some([i as u8; 64]));
        }
    }
}
