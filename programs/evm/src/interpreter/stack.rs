//! The operand stack: grows on demand (at most 1024 words) instead of reserving 32 KiB a frame.

use crate::gas::STACK_LIMIT;
use crate::primitives::U256;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Stack {
    data: Vec<U256>,
}

impl Stack {
    #[inline]
    pub fn len(&self) -> usize {
        self.data.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Pushes `value`; `false` on overflow.
    #[inline]
    #[must_use]
    pub fn push(&mut self, value: U256) -> bool {
        if self.data.len() >= STACK_LIMIT {
            return false;
        }
        self.data.push(value);
        true
    }

    /// Pops the top `N` words, top first; `None` on underflow.
    #[inline]
    pub fn popn<const N: usize>(&mut self) -> Option<[U256; N]> {
        let len = self.data.len();
        if len < N {
            return None;
        }
        let mut out = [U256::ZERO; N];
        for (i, word) in out.iter_mut().enumerate() {
            *word = self.data[len - 1 - i];
        }
        self.data.truncate(len - N);
        Some(out)
    }

    /// Pops `N` words (top first) and returns them with a mutable reference to the new top:
    /// binary operators write their result in place.
    #[inline]
    pub fn popn_top<const N: usize>(&mut self) -> Option<([U256; N], &mut U256)> {
        let len = self.data.len();
        if len < N + 1 {
            return None;
        }
        let mut out = [U256::ZERO; N];
        for (i, word) in out.iter_mut().enumerate() {
            *word = self.data[len - 1 - i];
        }
        self.data.truncate(len - N);
        Some((out, self.data.last_mut().expect("length checked")))
    }

    /// The top word, in place.
    #[inline]
    pub fn top(&mut self) -> Option<&mut U256> {
        self.data.last_mut()
    }

    /// DUPn: `n` is 1-based.
    #[inline]
    #[must_use]
    pub fn dup(&mut self, n: usize) -> Option<bool> {
        let len = self.data.len();
        if len < n {
            return None;
        }
        Some(self.push(self.data[len - n]))
    }

    /// SWAPn: swaps the top with the `n`th word below it.
    #[inline]
    #[must_use]
    pub fn swap(&mut self, n: usize) -> bool {
        let len = self.data.len();
        if len <= n {
            return false;
        }
        self.data.swap(len - 1, len - 1 - n);
        true
    }

    /// Pushes up to 32 big-endian bytes as a word (PUSHn).
    #[inline]
    #[must_use]
    pub fn push_slice(&mut self, bytes: &[u8]) -> bool {
        let mut word = [0u8; 32];
        word[32 - bytes.len()..].copy_from_slice(bytes);
        self.push(U256::from_be_bytes(word))
    }

    pub fn as_slice(&self) -> &[U256] {
        &self.data
    }
}
