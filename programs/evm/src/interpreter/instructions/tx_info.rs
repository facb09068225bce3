//! ORIGIN, GASPRICE, BLOBHASH.

use crate::interpreter::Interp;
use crate::primitives::{address_to_word, as_usize, U256};

pub fn origin(it: &mut Interp<'_>) {
    push!(it, address_to_word(&it.tx.caller));
}

pub fn gasprice(it: &mut Interp<'_>) {
    push!(it, it.tx.effective_gas_price(it.block.base_fee));
}

pub fn blobhash(it: &mut Interp<'_>) {
    pop_top!(it; ; index);
    *index = as_usize(index)
        .and_then(|i| it.tx.blob_hashes.get(i))
        .map_or(U256::ZERO, |hash| U256::from_be_bytes(*hash));
}
