//! Installed filters (eth_newFilter, eth_newBlockFilter, eth_newPendingTransactionFilter) and
//! the log queries they and eth_getLogs share. Filters not polled for [`FILTER_TIMEOUT`] are
//! removed, as geth does.

use crate::store::{LogRecord, Store};
use alloy_primitives::{B256, U128};
use alloy_rpc_types_eth::{BlockNumberOrTag, Filter, FilterBlockOption};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const FILTER_TIMEOUT: Duration = Duration::from_secs(300);
/// The widest block range one eth_getLogs may ask for.
pub const MAX_LOG_RANGE: u64 = 10_000;
/// The most logs one eth_getLogs returns.
pub const MAX_LOGS: usize = 10_000;
/// The most filters installed at once (polled ones; unpolled ones expire after
/// [`FILTER_TIMEOUT`]): filters live in memory, and HTTP clients have no connection to bound
/// them by.
pub const MAX_FILTERS: usize = 10_000;

/// Why a log query was refused.
#[derive(Debug, PartialEq)]
pub enum QueryError {
    /// -32005, as Infura and Alchemy answer a range or result set past their bound.
    LimitExceeded(String),
    InvalidParams(String),
}

pub enum Kind {
    Blocks,
    Logs(Box<Filter>),
    Pending(Vec<B256>),
}

struct Installed {
    kind: Kind,
    /// The first block not yet reported.
    next_block: u64,
    polled: Instant,
}

/// What eth_getFilterChanges answers.
pub enum Changes {
    Blocks(Vec<B256>),
    Logs(Vec<LogRecord>),
    Pending(Vec<B256>),
}

#[derive(Default)]
pub struct Filters {
    installed: Mutex<HashMap<U128, Installed>>,
    counter: AtomicU64,
}

impl Filters {
    /// Installs a filter that reports from block `latest + 1` on; returns its id, or -32005 when
    /// [`MAX_FILTERS`] are installed.
    pub fn install(&self, kind: Kind, latest: u64) -> Result<U128, QueryError> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
        let salt = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let id = U128::from(salt) << 64 | U128::from(n);
        let mut map = self.installed.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, f| f.polled.elapsed() < FILTER_TIMEOUT);
        if map.len() >= MAX_FILTERS {
            return Err(QueryError::LimitExceeded(format!(
                "{MAX_FILTERS} filters are installed: uninstall some (eth_uninstallFilter)"
            )));
        }
        map.insert(
            id,
            Installed {
                kind,
                next_block: latest + 1,
                polled: Instant::now(),
            },
        );
        Ok(id)
    }

    pub fn uninstall(&self, id: U128) -> bool {
        self.installed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id)
            .is_some()
    }

    pub fn push_pending(&self, hash: B256) {
        let mut map = self.installed.lock().unwrap_or_else(|p| p.into_inner());
        for f in map.values_mut() {
            if let Kind::Pending(hashes) = &mut f.kind {
                hashes.push(hash);
            }
        }
    }

    /// What happened since the last poll; `None` for an unknown (or expired) filter.
    pub fn changes(
        &self,
        id: U128,
        store: &Store,
        latest: u64,
    ) -> Option<Result<Changes, QueryError>> {
        let mut map = self.installed.lock().unwrap_or_else(|p| p.into_inner());
        let f = map.get_mut(&id)?;
        if f.polled.elapsed() >= FILTER_TIMEOUT {
            map.remove(&id);
            return None;
        }
        f.polled = Instant::now();
        let from = f.next_block;
        let result = match &mut f.kind {
            Kind::Pending(hashes) => Ok(Changes::Pending(std::mem::take(hashes))),
            _ if from > latest => Ok(match &f.kind {
                Kind::Blocks => Changes::Blocks(Vec::new()),
                _ => Changes::Logs(Vec::new()),
            }),
            Kind::Blocks => store
                .blocks_in(from, latest)
                .map(|b| Changes::Blocks(b.into_iter().map(|b| b.hash).collect()))
                .map_err(|e| QueryError::InvalidParams(e.to_string())),
            Kind::Logs(filter) => {
                let (lo, hi) = match range(filter, store, latest) {
                    Ok(r) => r,
                    Err(e) => return Some(Err(e)),
                };
                let (lo, hi) = (lo.max(from), hi.min(latest));
                if lo > hi {
                    Ok(Changes::Logs(Vec::new()))
                } else {
                    query(filter, store, lo, hi.min(lo + MAX_LOG_RANGE - 1)).map(Changes::Logs)
                }
            }
        };
        if result.is_ok() {
            f.next_block = latest + 1;
        }
        Some(result)
    }

    /// All logs of a log filter (eth_getFilterLogs).
    pub fn logs(
        &self,
        id: U128,
        store: &Store,
        latest: u64,
    ) -> Option<Result<Vec<LogRecord>, QueryError>> {
        let map = self.installed.lock().unwrap_or_else(|p| p.into_inner());
        match &map.get(&id)?.kind {
            Kind::Logs(filter) => Some(get_logs(filter, store, latest)),
            _ => Some(Err(QueryError::InvalidParams(
                "filter is not a log filter".into(),
            ))),
        }
    }
}

/// eth_getLogs: the matching logs of the filter's blocks, bounded.
pub fn get_logs(filter: &Filter, store: &Store, latest: u64) -> Result<Vec<LogRecord>, QueryError> {
    let (from, to) = range(filter, store, latest)?;
    if from > to {
        return Ok(Vec::new());
    }
    if to - from + 1 > MAX_LOG_RANGE {
        return Err(QueryError::LimitExceeded(format!(
            "block range too large: {} blocks ({from}..{to}), at most {MAX_LOG_RANGE}",
            to - from + 1
        )));
    }
    query(filter, store, from, to)
}

fn query(filter: &Filter, store: &Store, from: u64, to: u64) -> Result<Vec<LogRecord>, QueryError> {
    let addresses: Vec<_> = filter.address.iter().copied().collect();
    let logs = store
        .logs_in(
            from,
            to,
            &addresses,
            |l| filter.matches_topics(&l.topics),
            MAX_LOGS,
        )
        .map_err(|e| QueryError::InvalidParams(format!("database: {e}")))?;
    if logs.len() > MAX_LOGS {
        return Err(QueryError::LimitExceeded(format!(
            "query returned more than {MAX_LOGS} results"
        )));
    }
    Ok(logs)
}

/// The filter's block range, tags resolved against `latest`.
fn range(filter: &Filter, store: &Store, latest: u64) -> Result<(u64, u64), QueryError> {
    match &filter.block_option {
        FilterBlockOption::AtBlockHash(hash) => match store.block_by_hash(hash) {
            Ok(Some(b)) => Ok((b.number, b.number)),
            _ => Err(QueryError::InvalidParams(format!("unknown block {hash}"))),
        },
        FilterBlockOption::Range {
            from_block,
            to_block,
        } => {
            let resolve = |tag: &Option<BlockNumberOrTag>| match tag {
                None
                | Some(BlockNumberOrTag::Latest)
                | Some(BlockNumberOrTag::Pending)
                | Some(BlockNumberOrTag::Safe)
                | Some(BlockNumberOrTag::Finalized) => latest,
                Some(BlockNumberOrTag::Earliest) => 0,
                Some(BlockNumberOrTag::Number(n)) => *n,
            };
            let (from, to) = (resolve(from_block), resolve(to_block).min(latest));
            if from_block.is_some() && to_block.is_some() && resolve(from_block) > resolve(to_block)
            {
                return Err(QueryError::InvalidParams(
                    "invalid block range params".into(),
                ));
            }
            Ok((from, to))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::BlockWrite;
    use alloy_primitives::Address;

    fn log(block: u64, index: u64, topic: u8) -> LogRecord {
        LogRecord {
            block_number: block,
            block_hash: B256::repeat_byte(block as u8),
            log_index: index,
            tx_hash: B256::repeat_byte(0xaa),
            tx_index: 0,
            address: Address::repeat_byte(7),
            topics: vec![B256::repeat_byte(topic)],
            data: Vec::new(),
        }
    }

    /// Matching logs behind many that do not match are all found: the topic filter runs before
    /// any bound; past the bound the answer is -32005, never a shorter list.
    #[test]
    fn a_topic_filtered_query_is_complete_or_refused() {
        let store = Store::open(None).unwrap();
        let mut logs: Vec<LogRecord> = (0..45_000).map(|i| log(1 + i / 5_000, i, 1)).collect();
        logs.extend((0..3).map(|i| log(10, 100_000 + i, 2)));
        store
            .commit(&BlockWrite {
                logs,
                ..Default::default()
            })
            .unwrap();
        let rare = Filter::new()
            .from_block(1)
            .to_block(10)
            .event_signature(B256::repeat_byte(2));
        let found = get_logs(&rare, &store, 10).unwrap();
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|l| l.topics[0] == B256::repeat_byte(2)));
        let common = Filter::new()
            .from_block(1)
            .to_block(10)
            .event_signature(B256::repeat_byte(1));
        assert!(matches!(
            get_logs(&common, &store, 10),
            Err(QueryError::LimitExceeded(_))
        ));
        let by_address = rare.address(Address::repeat_byte(7));
        assert_eq!(get_logs(&by_address, &store, 10).unwrap().len(), 3);
    }
}

#[cfg(test)]
mod cap {
    use super::*;

    #[test]
    fn at_most_max_filters_are_installed_at_once() {
        let filters = Filters::default();
        let ids: Vec<U128> = (0..MAX_FILTERS)
            .map(|_| filters.install(Kind::Blocks, 1).unwrap())
            .collect();
        assert!(matches!(
            filters.install(Kind::Blocks, 1),
            Err(QueryError::LimitExceeded(_))
        ));
        assert!(filters.uninstall(ids[0]));
        assert!(filters.install(Kind::Blocks, 1).is_ok());
    }
}
