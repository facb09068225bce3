//! Lookup tables belong to the operator that made them and give their rent back: deactivated
//! once the transaction is done, closed once the runtime allows.

use isthmus_relayer::lookup::{close_deactivated, create_table, release};
use isthmus_test_support::*;
use solana_address::Address;
use solana_signer::Signer;

#[test]
fn a_lookup_table_is_the_operators_and_its_rent_comes_back() {
    let (mut h, op) = Harness::with_operator();
    h.warp_to(100, 50, &[]);
    let before = h.lamports(&op.pubkey());
    let addresses: Vec<Address> = (0..30).map(|_| Address::new_unique()).collect();
    let (sent, _) = create_table(&mut h, &op, &addresses).unwrap();
    assert_eq!(sent, 3, "create and two extends");
    let table = h.lookup_tables.last().expect("in use").key;
    let data = h.account(&table).unwrap().data;
    assert_eq!(data[21], 1, "has an authority");
    assert_eq!(
        &data[22..54],
        op.pubkey().as_ref(),
        "the operator is its authority"
    );
    let rent = h.account(&table).unwrap().lamports;

    let (mut released, deactivations, _) = release(&mut h, &op);
    assert_eq!((released.clone(), deactivations), (vec![table], 1));
    assert!(h.lookup_tables.is_empty());
    let data = h.account(&table).unwrap().data;
    assert_ne!(
        u64::from_le_bytes(data[4..12].try_into().unwrap()),
        u64::MAX,
        "deactivated"
    );

    // Still deactivating while its slot is in SlotHashes: it stays listed.
    let recovered = close_deactivated(&mut h, &op, &mut released);
    assert_eq!((recovered, released.len()), (0, 1));
    // Once the slot has left SlotHashes it closes, its rent back to the operator.
    h.warp_to(700, 50, &[]);
    let recovered = close_deactivated(&mut h, &op, &mut released);
    assert_eq!(recovered, rent);
    assert!(released.is_empty());
    assert!(h.account(&table).is_none());
    // What the table cost in the end: the five transactions' signatures.
    assert_eq!(h.lamports(&op.pubkey()), before - 5 * 5_000);
}

/// An operator's tables are addressed by (operator, recent slot): two made in one slot must not
/// collide (the second would be the first, deactivated, which refuses to grow).
#[test]
fn two_tables_in_one_slot_get_two_addresses() {
    let (mut h, op) = Harness::with_operator();
    h.warp_to(100, 50, &[]);
    let first: Vec<Address> = (0..25).map(|_| Address::new_unique()).collect();
    create_table(&mut h, &op, &first).unwrap();
    let (released, _, _) = release(&mut h, &op);
    let second: Vec<Address> = (0..25).map(|_| Address::new_unique()).collect();
    // `create_table` moves one slot on; back to the same slot and SlotHashes.
    h.warp_to(100, 50, &[]);
    create_table(&mut h, &op, &second).unwrap();
    let table = h.lookup_tables.last().unwrap().key;
    assert_ne!(table, released[0]);
    let data = h.account(&table).unwrap().data;
    assert_eq!(
        u64::from_le_bytes(data[4..12].try_into().unwrap()),
        u64::MAX,
        "active"
    );
}
