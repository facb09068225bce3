//! Block production by backend: each relays a batch of ready transactions its own way, then
//! `App::commit` indexes the block(s) they landed in.

pub mod cluster;
pub mod embedded;
