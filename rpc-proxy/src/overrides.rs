//! eth_call's view of the state: the chain's, with the call's state overrides (geth's third
//! eth_call parameter) on top, recording every account and slot the run touches (for
//! eth_createAccessList).

use alloy_primitives::{keccak256, Address, B256 as AB256};
use alloy_rpc_types_eth::state::StateOverride;
use isthmus_evm::bytecode::Bytecode;
use isthmus_evm::primitives::KECCAK_EMPTY;
use isthmus_evm::{AccountInfo, State, StateError, B256, U256};
use std::collections::BTreeSet;
use std::rc::Rc;

pub struct Overridden<'a, S> {
    inner: S,
    overrides: &'a StateOverride,
    /// Every address and (address, slot) the run asked for.
    pub addresses: BTreeSet<[u8; 20]>,
    pub slots: BTreeSet<([u8; 20], [u8; 32])>,
}

impl<'a, S: State> Overridden<'a, S> {
    pub fn new(inner: S, overrides: &'a StateOverride) -> Self {
        Self {
            inner,
            overrides,
            addresses: BTreeSet::new(),
            slots: BTreeSet::new(),
        }
    }
}

fn to_evm(v: alloy_primitives::U256) -> U256 {
    U256::from_limbs(v.into_limbs())
}

impl<S: State> State for Overridden<'_, S> {
    fn account(&mut self, address: &[u8; 20]) -> Result<Option<AccountInfo>, StateError> {
        self.addresses.insert(*address);
        let base = self.inner.account(address)?;
        let Some(o) = self.overrides.get(&Address::from(*address)) else {
            return Ok(base);
        };
        let mut info = base.unwrap_or(AccountInfo {
            balance: U256::ZERO,
            nonce: 0,
            code_hash: KECCAK_EMPTY,
        });
        if let Some(b) = o.balance {
            info.balance = to_evm(b);
        }
        if let Some(n) = o.nonce {
            info.nonce = n;
        }
        if let Some(code) = &o.code {
            info.code_hash = if code.is_empty() {
                KECCAK_EMPTY
            } else {
                keccak256(code).0
            };
        }
        Ok(Some(info))
    }

    fn code(&mut self, address: &[u8; 20]) -> Result<Vec<u8>, StateError> {
        self.addresses.insert(*address);
        match self
            .overrides
            .get(&Address::from(*address))
            .and_then(|o| o.code.as_ref())
        {
            Some(code) => Ok(code.to_vec()),
            None => self.inner.code(address),
        }
    }

    /// The chain's code keeps the analysis stored with it; overridden code is analysed here.
    fn bytecode(&mut self, address: &[u8; 20]) -> Result<Rc<Bytecode>, StateError> {
        self.addresses.insert(*address);
        match self
            .overrides
            .get(&Address::from(*address))
            .and_then(|o| o.code.as_ref())
        {
            Some(code) => Ok(Rc::new(Bytecode::new(code.to_vec()))),
            None => self.inner.bytecode(address),
        }
    }

    fn storage(&mut self, address: &[u8; 20], slot: &U256) -> Result<U256, StateError> {
        let key: B256 = slot.to_be_bytes();
        self.addresses.insert(*address);
        self.slots.insert((*address, key));
        if let Some(o) = self.overrides.get(&Address::from(*address)) {
            if let Some(state) = &o.state {
                // `state` replaces the whole storage.
                return Ok(state
                    .get(&AB256::from(key))
                    .map(|v| U256::from_be_bytes(v.0))
                    .unwrap_or(U256::ZERO));
            }
            if let Some(v) = o.state_diff.as_ref().and_then(|d| d.get(&AB256::from(key))) {
                return Ok(U256::from_be_bytes(v.0));
            }
        }
        self.inner.storage(address, slot)
    }

    fn has_storage(&mut self, address: &[u8; 20]) -> Result<bool, StateError> {
        self.inner.has_storage(address)
    }

    fn block_hash(&mut self, number: u64) -> Result<B256, StateError> {
        self.inner.block_hash(number)
    }
}
