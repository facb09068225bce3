//! The state reads answer from without a lock: after each block (and each direct edit of the
//! state) the embedded chain publishes an immutable [`Snapshot`] of its Solana accounts. Each one
//! shares what did not change with the one before (a persistent map, `imbl`), so a block costs a
//! copy of only the accounts it changed (which the block's commit already knows); eth_call, balances, code,
//! storage and blocks read the newest snapshot while the producer relays the next block.

use crate::chain::{Backend, Chain};
use crate::store::SvmAccount;
use crate::view::{ChainInfo, View};
use isthmus_client::{Account, AccountSource, SYSVAR_OWNER};
use solana_account::{AccountSharedData, ReadableAccount};
use solana_address::Address;
use std::sync::{Arc, RwLock};

/// The embedded chain's accounts as of one moment, with the figures reads need.
pub struct Snapshot {
    accounts: imbl::HashMap<Address, Arc<Account>>,
    pub info: ChainInfo,
    /// The newest block when it was taken.
    pub latest: u64,
    /// That block's timestamp, if indexed.
    pub latest_timestamp: Option<u64>,
}

impl Snapshot {
    /// The state of `chain` now, built from `previous` by copying only the accounts that differ
    /// from it (`None`: every account, once at start).
    pub fn take(
        previous: Option<&Snapshot>,
        chain: &Chain,
        latest: u64,
        latest_timestamp: Option<u64>,
    ) -> Self {
        let accounts = previous.map(|p| p.accounts.clone()).unwrap_or_default();
        Self::refreshed(accounts, chain, |_| true, latest, latest_timestamp)
    }

    /// The state of `chain` now, built from `previous` and what the block's commit found changed
    /// among the chain's own accounts (`changed`, `deleted`: [`Chain::changed_accounts`]), so
    /// those are not compared again; only the runtime's few accounts (sysvars: the clock, slot
    /// hashes) are: a block changes no other (programs and builtins change only by a state edit,
    /// which publishes with [`Snapshot::take`]).
    pub fn apply(
        previous: &Snapshot,
        chain: &Chain,
        changed: &[SvmAccount],
        deleted: &[[u8; 32]],
        latest: u64,
        latest_timestamp: Option<u64>,
    ) -> Self {
        let mut accounts = previous.accounts.clone();
        for a in changed {
            let account = Account {
                lamports: a.lamports,
                data: a.data.clone(),
                owner: Address::new_from_array(a.owner),
                executable: a.executable,
                rent_epoch: a.rent_epoch,
            };
            accounts.insert(Address::new_from_array(a.address), Arc::new(account));
        }
        for address in deleted {
            accounts.remove(&Address::new_from_array(*address));
        }
        let sysvar = |a: &AccountSharedData| *a.owner() == SYSVAR_OWNER;
        Self::refreshed(accounts, chain, sysvar, latest, latest_timestamp)
    }

    /// `accounts` with those of the VM that `compare` picks copied where they differ, and those
    /// the VM no longer has dropped.
    fn refreshed(
        mut accounts: imbl::HashMap<Address, Arc<Account>>,
        chain: &Chain,
        compare: impl Fn(&AccountSharedData) -> bool,
        latest: u64,
        latest_timestamp: Option<u64>,
    ) -> Self {
        if let Backend::Embedded(h) = &chain.backend {
            let db = &h.svm.accounts_db().inner;
            let mut live = 0;
            for (address, account) in db.iter() {
                if account.lamports() == 0 {
                    continue;
                }
                live += 1;
                if compare(account) && !accounts.get(address).is_some_and(|old| same(old, account))
                {
                    accounts.insert(*address, Arc::new(account.clone().into()));
                }
            }
            if accounts.len() != live {
                // Some went away (closed, or a revert): drop those no longer there.
                accounts.retain(|address, _| db.get(address).is_some_and(|a| a.lamports() > 0));
            }
        }
        Self {
            accounts,
            info: ChainInfo::of(chain),
            latest,
            latest_timestamp,
        }
    }

    /// Reads over this state.
    pub fn view(&self) -> View<'_> {
        View {
            info: &self.info,
            current: self,
            latest: self.latest,
            latest_timestamp: self.latest_timestamp,
        }
    }
}

/// Whether `old` (a snapshot's) is `account` (the VM's).
fn same(old: &Account, account: &AccountSharedData) -> bool {
    old.lamports == account.lamports()
        && old.owner == *account.owner()
        && old.executable == account.executable()
        && old.rent_epoch == account.rent_epoch()
        && old.data[..] == *account.data()
}

impl AccountSource for Snapshot {
    fn get_account(&self, address: &Address) -> Option<Account> {
        self.accounts.get(address).map(|a| Account::clone(a))
    }
}

/// The newest snapshot: readers clone the `Arc` (the lock is held only for that), the chain's
/// writer replaces it.
#[derive(Default)]
pub struct Published(RwLock<Option<Arc<Snapshot>>>);

impl Published {
    /// The newest snapshot (`None` on a cluster, which has none).
    pub fn load(&self) -> Option<Arc<Snapshot>> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn store(&self, snapshot: Snapshot) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(snapshot));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::dev_wallets;
    use crate::store::Store;
    use isthmus_client::interface::block::ChainRules;
    use isthmus_client::interface::fee_market::FeeMarketParams;
    use isthmus_test_support::tx1559;

    fn accounts_of(s: &Snapshot) -> Vec<(Address, Account)> {
        let mut all: Vec<_> = s
            .accounts
            .iter()
            .map(|(a, acc)| (*a, Account::clone(acc)))
            .collect();
        all.sort_by_key(|(a, _)| *a);
        all
    }

    /// A block's snapshot built from the accounts its commit found changed is the one a full
    /// comparison of the chain gives: new wallets, the senders', the operators', the clock's.
    #[test]
    fn a_block_snapshot_from_its_changed_accounts_is_the_full_one() {
        let store = Store::open(None).unwrap();
        let rules = ChainRules {
            chain_id: 1337,
            ..ChainRules::default()
        };
        let mut chain = Chain::open(&store, rules, FeeMarketParams::default(), 2).unwrap();
        let mut published = Snapshot::take(None, &chain, 1, None);
        for block in 0..3u64 {
            for (i, wallet) in dev_wallets().iter().take(3).enumerate() {
                let to = Some([0x90 + i as u8 + block as u8; 20]);
                let raw = wallet.sign(&tx1559(1337, block, to, 1, vec![], 21_000));
                assert_eq!(chain.relay(&raw).unwrap().receipt.status, 1);
            }
            chain.advance();
            let (changed, deleted) = chain.changed_accounts();
            assert!(!changed.is_empty());
            let applied = Snapshot::apply(&published, &chain, &changed, &deleted, block + 2, None);
            let full = Snapshot::take(Some(&published), &chain, block + 2, None);
            assert!(accounts_of(&applied) == accounts_of(&full), "block {block}");
            published = applied;
        }
    }
}
