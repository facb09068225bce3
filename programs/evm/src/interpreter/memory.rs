//! Frame memory: a byte vector grown (and paid for) a word at a time.

use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// The most a memory buffer grows beyond what is asked of it.
const MAX_SPARE: usize = 32 * 1024;

/// Bytes a memory buffer takes at its first growth, at least. Off-chain 512: compiled code's
/// memory grows a few words at a time (the free memory pointer, then each call's arguments), each
/// growth a reallocation and a copy, and 512 bytes hold a typical call's; it also keeps memories
/// out of the allocator's size class of the stacks' first 1 KiB (glibc caches seven blocks a
/// class per thread: a 10-deep call chain took 20 of one class). With [`crate::ONCHAIN_HEAP`],
/// what is asked.
const FIRST_CAPACITY: usize = if crate::ONCHAIN_HEAP { 0 } else { 512 };

#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Memory {
    data: Vec<u8>,
}

impl Memory {
    /// Size in bytes (always a multiple of 32).
    #[inline]
    /// Bytes the buffer can still grow by without allocating.
    pub fn spare(&self) -> usize {
        self.data.capacity() - self.data.len()
    }

    pub fn len(&self) -> usize {
        self.data.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Size in words.
    #[inline]
    pub fn words(&self) -> u64 {
        (self.data.len() / 32) as u64
    }

    /// Grows to `words` words (callers have paid for them). The buffer grows by at most
    /// [`MAX_SPARE`] beyond what is needed (a `Vec` doubles): on-chain the old and the new buffer
    /// must fit the 256 KiB heap together, so doubling an 85 KB memory would not fit.
    #[inline]
    pub fn resize_words(&mut self, words: u64) {
        let new_len = words as usize * 32;
        let len = self.data.len();
        if new_len > self.data.capacity() {
            let spare = len.min(MAX_SPARE);
            let first = FIRST_CAPACITY.saturating_sub(len);
            self.data
                .reserve_exact((new_len - len).max(spare).max(first));
        }
        self.data.resize(new_len, 0);
    }

    #[inline]
    pub fn slice(&self, offset: usize, len: usize) -> &[u8] {
        &self.data[offset..offset + len]
    }

    #[inline]
    pub fn slice_mut(&mut self, offset: usize, len: usize) -> &mut [u8] {
        &mut self.data[offset..offset + len]
    }

    /// Reads the word at `offset`.
    #[inline]
    pub fn word(&self, offset: usize) -> [u8; 32] {
        self.data[offset..offset + 32].try_into().expect("32 bytes")
    }

    /// Copies `data` to `offset`, zero-filling up to `len` bytes when `data` is shorter
    /// (CALLDATACOPY, CODECOPY, ... past the end of their source).
    #[inline]
    pub fn set_padded(&mut self, offset: usize, len: usize, data: &[u8]) {
        let copied = data.len().min(len);
        self.data[offset..offset + copied].copy_from_slice(&data[..copied]);
        self.data[offset + copied..offset + len].fill(0);
    }

    /// MCOPY: overlapping copy within memory.
    #[inline]
    pub fn copy_within(&mut self, src: usize, dst: usize, len: usize) {
        self.data.copy_within(src..src + len, dst);
    }
}
