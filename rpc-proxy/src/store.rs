//! The embedded database (SQLite through rusqlite): the indexed chain (blocks, transactions,
//! receipts, logs), the mempool's accepted transactions, and, in embedded mode, the Solana
//! accounts of the embedded VM. A block and everything it changed are written in one SQLite
//! transaction, so a crash leaves either all of a block or none of it.

use alloy_primitives::{Address, Bloom, B256};
use rusqlite::OpenFlags;
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Read connections: reads (receipts, blocks, logs, history) run beside each other and beside
/// the writer (WAL: a reader sees the last committed block, never waits for the next).
const READERS: usize = 4;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (
  number INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, parent_hash BLOB NOT NULL,
  timestamp INTEGER NOT NULL, gas_used INTEGER NOT NULL, base_fee INTEGER NOT NULL,
  bloom BLOB NOT NULL, tx_count INTEGER NOT NULL, solana_txs INTEGER NOT NULL,
  compute_units INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS transactions (
  hash BLOB PRIMARY KEY, block_number INTEGER NOT NULL, block_hash BLOB NOT NULL,
  tx_index INTEGER NOT NULL, sender BLOB NOT NULL, raw BLOB NOT NULL, status INTEGER NOT NULL,
  outcome INTEGER NOT NULL, gas_used INTEGER NOT NULL, cumulative_gas_used INTEGER NOT NULL,
  effective_gas_price TEXT NOT NULL, contract_address BLOB, bloom BLOB NOT NULL,
  log_index_start INTEGER NOT NULL, solana_txs INTEGER NOT NULL, compute_units INTEGER NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS transactions_position ON transactions(block_number, tx_index);
CREATE TABLE IF NOT EXISTS logs (
  block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, block_hash BLOB NOT NULL,
  tx_hash BLOB NOT NULL, tx_index INTEGER NOT NULL, address BLOB NOT NULL,
  topics BLOB NOT NULL, data BLOB NOT NULL, PRIMARY KEY (block_number, log_index));
DROP INDEX IF EXISTS logs_by_tx;
CREATE INDEX IF NOT EXISTS logs_by_tx_position ON logs(tx_hash, log_index);
CREATE INDEX IF NOT EXISTS logs_by_address ON logs(address, block_number);
CREATE TABLE IF NOT EXISTS pending (
  hash BLOB PRIMARY KEY, sender BLOB NOT NULL, nonce INTEGER NOT NULL, raw BLOB NOT NULL,
  seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS pending_by_seq ON pending(seq);
CREATE TABLE IF NOT EXISTS svm_history (
  address BLOB NOT NULL, block INTEGER NOT NULL, lamports INTEGER NOT NULL, owner BLOB NOT NULL,
  executable INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (address, block));
CREATE INDEX IF NOT EXISTS svm_history_by_block ON svm_history(block);
CREATE TABLE IF NOT EXISTS solana_sends (
  signature TEXT PRIMARY KEY, tx_hash BLOB NOT NULL, last_valid INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS solana_sends_by_tx ON solana_sends(tx_hash);
CREATE TABLE IF NOT EXISTS svm_accounts (
  address BLOB PRIMARY KEY, lamports INTEGER NOT NULL, owner BLOB NOT NULL,
  executable INTEGER NOT NULL, rent_epoch INTEGER NOT NULL, data BLOB NOT NULL);
";

/// An indexed block: one per Solana slot with transactions of ours.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockRecord {
    pub number: u64,
    pub hash: B256,
    pub parent_hash: B256,
    pub timestamp: u64,
    pub gas_used: u64,
    pub base_fee: u64,
    pub bloom: Bloom,
    pub tx_count: u64,
    pub solana_txs: u64,
    pub compute_units: u64,
}

/// An indexed transaction with its receipt.
#[derive(Clone, Debug, PartialEq)]
pub struct TxRecord {
    pub hash: B256,
    pub block_number: u64,
    pub block_hash: B256,
    pub index: u64,
    pub sender: Address,
    pub raw: Vec<u8>,
    pub status: bool,
    /// The program's outcome (0 success, 1 revert, 2 halt, 3 cancelled).
    pub outcome: u8,
    pub gas_used: u64,
    pub cumulative_gas_used: u64,
    pub effective_gas_price: u128,
    pub contract_address: Option<Address>,
    pub bloom: Bloom,
    /// The block-wide index of its first log.
    pub log_index_start: u64,
    pub solana_txs: u64,
    pub compute_units: u64,
}

/// An indexed log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogRecord {
    pub block_number: u64,
    pub block_hash: B256,
    pub log_index: u64,
    pub tx_hash: B256,
    pub tx_index: u64,
    pub address: Address,
    pub topics: Vec<B256>,
    pub data: Vec<u8>,
}

/// A Solana account of the embedded VM.
#[derive(Clone, Debug, PartialEq)]
pub struct SvmAccount {
    pub address: [u8; 32],
    pub lamports: u64,
    pub owner: [u8; 32],
    pub executable: bool,
    pub rent_epoch: u64,
    pub data: Vec<u8>,
}

/// Everything one produced block changes, written atomically.
#[derive(Default)]
pub struct BlockWrite {
    pub blocks: Vec<BlockRecord>,
    pub txs: Vec<TxRecord>,
    pub logs: Vec<LogRecord>,
    /// Pending transactions that are now included (or dropped).
    pub done: Vec<B256>,
    pub accounts: Vec<SvmAccount>,
    pub deleted_accounts: Vec<[u8; 32]>,
    /// The block whose state `accounts` and `deleted_accounts` are (kept in the account
    /// history for queries at past blocks); `None` keeps no history.
    pub history_block: Option<u64>,
    pub meta: Vec<(&'static str, Vec<u8>)>,
    /// Before the rest: forget every block after this one (its transactions, logs and account
    /// history), as reverting to a snapshot does.
    pub truncate_after: Option<u64>,
}

pub type DbResult<T> = Result<T, rusqlite::Error>;

pub struct Store {
    /// The one writer.
    db: Mutex<Connection>,
    /// Read-only connections, taken round-robin ([`READERS`]).
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// An ephemeral store's file (WAL needs one: an in-memory database has a single
    /// connection), removed on drop.
    temporary: Option<PathBuf>,
}

impl Store {
    /// Opens (or creates) the database at `path`; `None`: a temporary file removed when the
    /// store is dropped (`--ephemeral`).
    pub fn open(path: Option<&Path>) -> DbResult<Self> {
        let temporary = path.is_none().then(|| {
            remove_orphans();
            temporary_path()
        });
        let file = path.map(Path::to_path_buf).or(temporary.clone());
        let file = file.as_deref().expect("a path or a temporary one");
        let db = Connection::open(file)?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        let sync = if temporary.is_some() { "OFF" } else { "NORMAL" };
        db.pragma_update(None, "synchronous", sync)?;
        db.execute_batch(SCHEMA)?;
        let readers = (0..READERS)
            .map(|_| {
                let r = Connection::open_with_flags(
                    file,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                r.busy_timeout(std::time::Duration::from_secs(5))?;
                Ok(Mutex::new(r))
            })
            .collect::<DbResult<Vec<_>>>()?;
        Ok(Self {
            db: Mutex::new(db),
            readers,
            next_reader: AtomicUsize::new(0),
            temporary,
        })
    }

    /// The writer connection.
    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A read connection: the first free one from a rotating start, else the start's.
    fn reader(&self) -> MutexGuard<'_, Connection> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for i in 0..self.readers.len() {
            if let Ok(guard) = self.readers[(start + i) % self.readers.len()].try_lock() {
                return guard;
            }
        }
        self.readers[start % self.readers.len()]
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    pub fn meta(&self, key: &str) -> DbResult<Option<Vec<u8>>> {
        self.reader()
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()
    }

    /// Writes a produced block (or several) and everything it changed in one transaction.
    pub fn commit(&self, w: &BlockWrite) -> DbResult<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        if let Some(block) = w.truncate_after {
            for table in [
                "DELETE FROM blocks WHERE number > ?1",
                "DELETE FROM transactions WHERE block_number > ?1",
                "DELETE FROM logs WHERE block_number > ?1",
                "DELETE FROM svm_history WHERE block > ?1",
            ] {
                tx.prepare_cached(table)?.execute([block as i64])?;
            }
        }
        for b in &w.blocks {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO blocks VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
            )?
            .execute(params![
                b.number as i64,
                b.hash.as_slice(),
                b.parent_hash.as_slice(),
                b.timestamp as i64,
                b.gas_used as i64,
                b.base_fee as i64,
                b.bloom.as_slice(),
                b.tx_count as i64,
                b.solana_txs as i64,
                b.compute_units as i64
            ])?;
        }
        for t in &w.txs {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO transactions VALUES
                 (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
            )?
            .execute(params![
                t.hash.as_slice(),
                t.block_number as i64,
                t.block_hash.as_slice(),
                t.index as i64,
                t.sender.as_slice(),
                t.raw,
                t.status,
                t.outcome,
                t.gas_used as i64,
                t.cumulative_gas_used as i64,
                t.effective_gas_price.to_string(),
                t.contract_address.as_ref().map(|a| a.to_vec()),
                t.bloom.as_slice(),
                t.log_index_start as i64,
                t.solana_txs as i64,
                t.compute_units as i64
            ])?;
        }
        for l in &w.logs {
            tx.prepare_cached("INSERT OR REPLACE INTO logs VALUES (?1,?2,?3,?4,?5,?6,?7,?8)")?
                .execute(params![
                    l.block_number as i64,
                    l.log_index as i64,
                    l.block_hash.as_slice(),
                    l.tx_hash.as_slice(),
                    l.tx_index as i64,
                    l.address.as_slice(),
                    l.topics.concat(),
                    l.data
                ])?;
        }
        for h in &w.done {
            tx.prepare_cached("DELETE FROM pending WHERE hash = ?1")?
                .execute([h.as_slice()])?;
            tx.prepare_cached("DELETE FROM solana_sends WHERE tx_hash = ?1")?
                .execute([h.as_slice()])?;
        }
        for a in &w.accounts {
            tx.prepare_cached("INSERT OR REPLACE INTO svm_accounts VALUES (?1,?2,?3,?4,?5,?6)")?
                .execute(params![
                    a.address.as_slice(),
                    a.lamports as i64,
                    a.owner.as_slice(),
                    a.executable,
                    a.rent_epoch as i64,
                    a.data
                ])?;
        }
        for a in &w.deleted_accounts {
            tx.prepare_cached("DELETE FROM svm_accounts WHERE address = ?1")?
                .execute([a.as_slice()])?;
        }
        if let Some(block) = w.history_block {
            for a in &w.accounts {
                tx.prepare_cached("INSERT OR REPLACE INTO svm_history VALUES (?1,?2,?3,?4,?5,?6)")?
                    .execute(params![
                        a.address.as_slice(),
                        block as i64,
                        a.lamports as i64,
                        a.owner.as_slice(),
                        a.executable,
                        a.data
                    ])?;
            }
            for a in &w.deleted_accounts {
                tx.prepare_cached("INSERT OR REPLACE INTO svm_history VALUES (?1,?2,0,?3,0,x'')")?
                    .execute(params![a.as_slice(), block as i64, [0u8; 32].as_slice()])?;
            }
        }
        for (k, v) in &w.meta {
            tx.prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?
                .execute(params![k, v])?;
        }
        tx.commit()
    }

    pub fn block_by_number(&self, number: u64) -> DbResult<Option<BlockRecord>> {
        self.reader()
            .prepare_cached("SELECT * FROM blocks WHERE number = ?1")?
            .query_row([number as i64], block_row)
            .optional()
    }

    /// How many logs block `number` holds.
    pub fn log_count(&self, number: u64) -> DbResult<u64> {
        self.reader()
            .prepare_cached("SELECT COUNT(*) FROM logs WHERE block_number = ?1")?
            .query_row([number as i64], |r| r.get::<_, i64>(0).map(|n| n as u64))
    }

    pub fn block_by_hash(&self, hash: &B256) -> DbResult<Option<BlockRecord>> {
        self.reader()
            .prepare_cached("SELECT * FROM blocks WHERE hash = ?1")?
            .query_row([hash.as_slice()], block_row)
            .optional()
    }

    /// Indexed blocks with numbers in `from..=to`, ascending.
    pub fn blocks_in(&self, from: u64, to: u64) -> DbResult<Vec<BlockRecord>> {
        let conn = self.reader();
        let mut q = conn.prepare_cached(
            "SELECT * FROM blocks WHERE number BETWEEN ?1 AND ?2 ORDER BY number",
        )?;
        let rows = q.query_map([from as i64, to as i64], block_row)?;
        rows.collect()
    }

    /// The first indexed block numbered `number` or later.
    pub fn block_from(&self, number: u64) -> DbResult<Option<BlockRecord>> {
        self.reader()
            .prepare_cached("SELECT * FROM blocks WHERE number >= ?1 ORDER BY number LIMIT 1")?
            .query_row([number as i64], block_row)
            .optional()
    }

    pub fn block_txs(&self, number: u64) -> DbResult<Vec<TxRecord>> {
        let conn = self.reader();
        let mut q = conn.prepare_cached(
            "SELECT * FROM transactions WHERE block_number = ?1 ORDER BY tx_index",
        )?;
        let rows = q.query_map([number as i64], tx_row)?;
        rows.collect()
    }

    pub fn tx(&self, hash: &B256) -> DbResult<Option<TxRecord>> {
        self.reader()
            .prepare_cached("SELECT * FROM transactions WHERE hash = ?1")?
            .query_row([hash.as_slice()], tx_row)
            .optional()
    }

    pub fn tx_at(&self, block: u64, index: u64) -> DbResult<Option<TxRecord>> {
        self.reader()
            .prepare_cached("SELECT * FROM transactions WHERE block_number = ?1 AND tx_index = ?2")?
            .query_row([block as i64, index as i64], tx_row)
            .optional()
    }

    pub fn tx_logs(&self, hash: &B256) -> DbResult<Vec<LogRecord>> {
        let conn = self.reader();
        let mut q =
            conn.prepare_cached("SELECT * FROM logs WHERE tx_hash = ?1 ORDER BY log_index")?;
        let rows = q.query_map([hash.as_slice()], log_row)?;
        rows.collect()
    }

    /// Logs of blocks `from..=to` (ascending), optionally of the given addresses, that `keep`
    /// accepts; at most `limit + 1` of them, so the caller can tell the limit was passed. Every
    /// row of the range is looked at until then: the answer is never cut short silently.
    pub fn logs_in(
        &self,
        from: u64,
        to: u64,
        addresses: &[Address],
        keep: impl Fn(&LogRecord) -> bool,
        limit: usize,
    ) -> DbResult<Vec<LogRecord>> {
        let conn = self.reader();
        let mut out = Vec::new();
        if addresses.is_empty() {
            let mut q = conn.prepare_cached(
                "SELECT * FROM logs WHERE block_number BETWEEN ?1 AND ?2
                 ORDER BY block_number, log_index",
            )?;
            for r in q.query_map(params![from as i64, to as i64], log_row)? {
                let log = r?;
                if keep(&log) {
                    out.push(log);
                    if out.len() > limit {
                        break;
                    }
                }
            }
        } else {
            let mut q = conn.prepare_cached(
                "SELECT * FROM logs WHERE block_number BETWEEN ?1 AND ?2 AND address = ?3
                 ORDER BY block_number, log_index",
            )?;
            'addresses: for a in addresses {
                for r in q.query_map(params![from as i64, to as i64, a.as_slice()], log_row)? {
                    let log = r?;
                    if keep(&log) {
                        out.push(log);
                        if out.len() > limit {
                            break 'addresses;
                        }
                    }
                }
            }
            out.sort_by_key(|l| (l.block_number, l.log_index));
        }
        Ok(out)
    }

    /// Records an accepted transaction so that a restart takes it up again. An ephemeral store
    /// keeps none: its file goes with the process, so no restart ever reads them, and each row
    /// would be a write (and a WAL frame) on every submission.
    pub fn add_pending(
        &self,
        hash: &B256,
        sender: &Address,
        nonce: u64,
        raw: &[u8],
    ) -> DbResult<()> {
        if self.temporary.is_some() {
            return Ok(());
        }
        self.conn()
            .prepare_cached(
                "INSERT OR REPLACE INTO pending VALUES (?1, ?2, ?3, ?4,
                 (SELECT COALESCE(MAX(seq), 0) + 1 FROM pending))",
            )?
            .execute(params![
                hash.as_slice(),
                sender.as_slice(),
                nonce as i64,
                raw
            ])?;
        Ok(())
    }

    pub fn remove_pending(&self, hash: &B256) -> DbResult<()> {
        let conn = self.conn();
        if self.temporary.is_none() {
            // (an ephemeral store keeps none: add_pending)
            conn.prepare_cached("DELETE FROM pending WHERE hash = ?1")?
                .execute([hash.as_slice()])?;
        }
        conn.prepare_cached("DELETE FROM solana_sends WHERE tx_hash = ?1")?
            .execute([hash.as_slice()])?;
        Ok(())
    }

    /// Forgets the Solana transactions sent for `tx_hash`: none of them can land any more.
    pub fn forget_sends(&self, tx_hash: &B256) -> DbResult<()> {
        self.conn().execute(
            "DELETE FROM solana_sends WHERE tx_hash = ?1",
            [tx_hash.as_slice()],
        )?;
        Ok(())
    }

    /// The Ethereum transactions with Solana transactions sent for them ([`Store::add_send`]).
    pub fn sent(&self) -> DbResult<Vec<B256>> {
        let conn = self.reader();
        let mut q = conn.prepare("SELECT DISTINCT tx_hash FROM solana_sends")?;
        let rows = q.query_map([], |r| Ok(B256::from(bytes32(r, 0)?)))?;
        rows.collect()
    }

    /// Records a Solana transaction about to be sent for Ethereum transaction `tx_hash`, and the
    /// last block height its blockhash is valid at: until then it may land, even after a restart
    /// (the record goes when the Ethereum transaction is indexed or dropped).
    pub fn add_send(&self, tx_hash: &B256, signature: &str, last_valid: u64) -> DbResult<()> {
        self.conn().execute(
            "INSERT OR REPLACE INTO solana_sends VALUES (?1, ?2, ?3)",
            params![signature, tx_hash.as_slice(), last_valid as i64],
        )?;
        Ok(())
    }

    /// The Solana transactions sent for `tx_hash` ([`Store::add_send`]): signature and last
    /// valid block height, in the order sent.
    pub fn sends(&self, tx_hash: &B256) -> DbResult<Vec<(String, u64)>> {
        let conn = self.reader();
        let mut q = conn.prepare(
            "SELECT signature, last_valid FROM solana_sends WHERE tx_hash = ?1 ORDER BY rowid",
        )?;
        let rows = q.query_map([tx_hash.as_slice()], |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        rows.collect()
    }

    /// Accepted transactions not yet in a block, in the order they were accepted.
    /// Forgets every accepted transaction (a revert puts back the snapshot's).
    pub fn clear_pending(&self) -> DbResult<()> {
        self.conn().execute("DELETE FROM pending", []).map(|_| ())
    }

    /// Every tracked account as it was after block `block` (a reset to genesis reads block 0).
    pub fn accounts_at(&self, block: u64) -> DbResult<Vec<SvmAccount>> {
        let conn = self.reader();
        let mut q = conn.prepare(
            "SELECT h.address, h.lamports, h.owner, h.executable, h.data FROM svm_history h
             WHERE h.block = (SELECT MAX(block) FROM svm_history
                              WHERE address = h.address AND block <= ?1)
               AND h.lamports > 0",
        )?;
        let rows = q.query_map([block as i64], |r| {
            Ok(SvmAccount {
                address: bytes32(r, 0)?,
                lamports: r.get::<_, i64>(1)? as u64,
                owner: bytes32(r, 2)?,
                executable: r.get(3)?,
                rent_epoch: u64::MAX,
                data: r.get(4)?,
            })
        })?;
        rows.collect()
    }

    pub fn pending(&self) -> DbResult<Vec<Vec<u8>>> {
        let conn = self.reader();
        let mut q = conn.prepare("SELECT raw FROM pending ORDER BY seq")?;
        let rows = q.query_map([], |r| r.get(0))?;
        rows.collect()
    }

    /// The account as it was after block `block`: `None` when the history has no version of
    /// it up to then, `Some(None)` when it did not exist (closed), else its version.
    pub fn account_at(
        &self,
        address: &[u8; 32],
        block: u64,
    ) -> DbResult<Option<Option<SvmAccount>>> {
        let row = self
            .reader()
            .prepare_cached(
                "SELECT lamports, owner, executable, data FROM svm_history
                 WHERE address = ?1 AND block <= ?2 ORDER BY block DESC LIMIT 1",
            )?
            .query_row(params![address.as_slice(), block as i64], |r| {
                Ok(SvmAccount {
                    address: *address,
                    lamports: r.get::<_, i64>(0)? as u64,
                    owner: bytes32(r, 1)?,
                    executable: r.get(2)?,
                    rent_epoch: u64::MAX,
                    data: r.get(3)?,
                })
            })
            .optional()?;
        Ok(row.map(|a| (a.lamports > 0).then_some(a)))
    }

    pub fn svm_accounts(&self) -> DbResult<Vec<SvmAccount>> {
        let conn = self.reader();
        let mut q = conn.prepare("SELECT * FROM svm_accounts")?;
        let rows = q.query_map([], |r| {
            Ok(SvmAccount {
                address: bytes32(r, 0)?,
                lamports: r.get::<_, i64>(1)? as u64,
                owner: bytes32(r, 2)?,
                executable: r.get(3)?,
                rent_epoch: r.get::<_, i64>(4)? as u64,
                data: r.get(5)?,
            })
        })?;
        rows.collect()
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(file) = &self.temporary {
            for suffix in ["", "-wal", "-shm"] {
                let mut name = file.clone().into_os_string();
                name.push(suffix);
                let _ = std::fs::remove_file(name);
            }
        }
    }
}

/// A new file name for an ephemeral store (the process id and a counter: tests open several).
fn temporary_path() -> PathBuf {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "isthmus-ephemeral-{}-{n}.sqlite",
        std::process::id()
    ))
}

/// Removes the ephemeral stores of processes that are gone (killed before their drop ran).
fn remove_orphans() {
    // Without /proc whether a process is gone is unknown: leave the files.
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name
            .to_str()
            .and_then(|n| n.strip_prefix("isthmus-ephemeral-"))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next() else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn bytes32(r: &Row, i: usize) -> rusqlite::Result<[u8; 32]> {
    let v: Vec<u8> = r.get(i)?;
    v.try_into().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Blob,
            "not 32 bytes".into(),
        )
    })
}

fn b256(r: &Row, i: usize) -> rusqlite::Result<B256> {
    bytes32(r, i).map(B256::from)
}

fn address(r: &Row, i: usize) -> rusqlite::Result<Address> {
    let v: Vec<u8> = r.get(i)?;
    if v.len() != 20 {
        return Err(rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Blob,
            "not 20 bytes".into(),
        ));
    }
    Ok(Address::from_slice(&v))
}

fn bloom(r: &Row, i: usize) -> rusqlite::Result<Bloom> {
    let v: Vec<u8> = r.get(i)?;
    Ok(Bloom::from_slice(&v))
}

fn u64_at(r: &Row, i: usize) -> rusqlite::Result<u64> {
    r.get::<_, i64>(i).map(|v| v as u64)
}

fn block_row(r: &Row) -> rusqlite::Result<BlockRecord> {
    Ok(BlockRecord {
        number: u64_at(r, 0)?,
        hash: b256(r, 1)?,
        parent_hash: b256(r, 2)?,
        timestamp: u64_at(r, 3)?,
        gas_used: u64_at(r, 4)?,
        base_fee: u64_at(r, 5)?,
        bloom: bloom(r, 6)?,
        tx_count: u64_at(r, 7)?,
        solana_txs: u64_at(r, 8)?,
        compute_units: u64_at(r, 9)?,
    })
}

fn tx_row(r: &Row) -> rusqlite::Result<TxRecord> {
    let contract: Option<Vec<u8>> = r.get(11)?;
    let price: String = r.get(10)?;
    Ok(TxRecord {
        hash: b256(r, 0)?,
        block_number: u64_at(r, 1)?,
        block_hash: b256(r, 2)?,
        index: u64_at(r, 3)?,
        sender: address(r, 4)?,
        raw: r.get(5)?,
        status: r.get(6)?,
        outcome: r.get(7)?,
        gas_used: u64_at(r, 8)?,
        cumulative_gas_used: u64_at(r, 9)?,
        effective_gas_price: price.parse().unwrap_or(0),
        contract_address: contract.map(|c| Address::from_slice(&c)),
        bloom: bloom(r, 12)?,
        log_index_start: u64_at(r, 13)?,
        solana_txs: u64_at(r, 14)?,
        compute_units: u64_at(r, 15)?,
    })
}

fn log_row(r: &Row) -> rusqlite::Result<LogRecord> {
    let topics: Vec<u8> = r.get(6)?;
    Ok(LogRecord {
        block_number: u64_at(r, 0)?,
        log_index: u64_at(r, 1)?,
        block_hash: b256(r, 2)?,
        tx_hash: b256(r, 3)?,
        tx_index: u64_at(r, 4)?,
        address: address(r, 5)?,
        topics: topics.chunks(32).map(B256::from_slice).collect(),
        data: r.get(7)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(number: u64) -> BlockRecord {
        BlockRecord {
            number,
            hash: B256::repeat_byte(number as u8),
            parent_hash: B256::repeat_byte(number as u8 - 1),
            timestamp: 1_700_000_000 + number,
            gas_used: 21_000,
            base_fee: 1,
            bloom: Bloom::ZERO,
            tx_count: 1,
            solana_txs: 1,
            compute_units: 5_000,
        }
    }

    fn log(number: u64, index: u64, address: u8) -> LogRecord {
        LogRecord {
            block_number: number,
            block_hash: B256::repeat_byte(number as u8),
            log_index: index,
            tx_hash: B256::repeat_byte(0xaa),
            tx_index: 0,
            address: Address::repeat_byte(address),
            topics: vec![B256::repeat_byte(1), B256::repeat_byte(2)],
            data: vec![9; 40],
        }
    }

    #[test]
    fn a_committed_block_survives_reopening() {
        let dir = std::env::temp_dir().join(format!("isthmus-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("chain.sqlite");
        let _ = std::fs::remove_file(&path);
        let hash = B256::repeat_byte(0xaa);
        {
            let store = Store::open(Some(&path)).unwrap();
            store
                .add_pending(&hash, &Address::repeat_byte(7), 0, b"raw")
                .unwrap();
            assert_eq!(store.pending().unwrap(), vec![b"raw".to_vec()]);
            store
                .commit(&BlockWrite {
                    blocks: vec![block(5)],
                    logs: vec![log(5, 0, 3), log(5, 1, 4)],
                    done: vec![hash],
                    accounts: vec![SvmAccount {
                        address: [1; 32],
                        lamports: u64::MAX,
                        owner: [2; 32],
                        executable: false,
                        rent_epoch: u64::MAX,
                        data: vec![3; 366],
                    }],
                    meta: vec![("slot", 5u64.to_le_bytes().to_vec())],
                    history_block: Some(5),
                    ..Default::default()
                })
                .unwrap();
        }
        let store = Store::open(Some(&path)).unwrap();
        assert_eq!(store.block_by_number(5).unwrap(), Some(block(5)));
        assert_eq!(store.block_by_hash(&block(5).hash).unwrap(), Some(block(5)));
        assert!(store.pending().unwrap().is_empty());
        assert_eq!(store.svm_accounts().unwrap()[0].lamports, u64::MAX);
        assert_eq!(store.account_at(&[1; 32], 4).unwrap(), None);
        assert_eq!(
            store
                .account_at(&[1; 32], 9)
                .unwrap()
                .unwrap()
                .unwrap()
                .data,
            vec![3; 366]
        );
        assert_eq!(
            store.meta("slot").unwrap(),
            Some(5u64.to_le_bytes().to_vec())
        );
        let logs = store
            .logs_in(0, 10, &[Address::repeat_byte(4)], |_| true, 100)
            .unwrap();
        assert_eq!(logs, vec![log(5, 1, 4)]);
        assert_eq!(store.logs_in(6, 10, &[], |_| true, 100).unwrap(), vec![]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
