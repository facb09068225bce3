//! COINBASE, TIMESTAMP, NUMBER, PREVRANDAO, GASLIMIT, CHAINID, BASEFEE, BLOBBASEFEE.

use crate::interpreter::Interp;
use crate::primitives::{address_to_word, U256};

pub fn coinbase(it: &mut Interp<'_>) {
    push!(it, address_to_word(&it.block.coinbase));
}

pub fn timestamp(it: &mut Interp<'_>) {
    push!(it, U256::from(it.block.timestamp));
}

pub fn number(it: &mut Interp<'_>) {
    push!(it, U256::from(it.block.number));
}

pub fn prevrandao(it: &mut Interp<'_>) {
    push!(it, U256::from_be_bytes(it.block.prevrandao));
}

pub fn gaslimit(it: &mut Interp<'_>) {
    push!(it, U256::from(it.block.gas_limit));
}

pub fn chainid(it: &mut Interp<'_>) {
    push!(it, U256::from(it.block.chain_id));
}

pub fn basefee(it: &mut Interp<'_>) {
    push!(it, it.block.base_fee);
}

pub fn blobbasefee(it: &mut Interp<'_>) {
    push!(it, U256::from(it.block.blob_base_fee()));
}
