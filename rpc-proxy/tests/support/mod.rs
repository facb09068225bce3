//! Shared by the rpc-proxy integration tests: the built `rpc-proxy` binary started on a free
//! port (with a data directory or `--ephemeral`), JSON-RPC over HTTP (jsonrpsee's client), and
//! the development accounts as signing wallets.
#![allow(dead_code)]

use isthmus_evm::TxEnv;
use isthmus_test_support::{tx1559, EthWallet};
use jsonrpsee::core::client::ClientT;
use jsonrpsee::http_client::{HttpClient, HttpClientBuilder};
use jsonrpsee::rpc_params;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const CHAIN_ID: u64 = 1337;

/// The first development keys of `test test ... junk` (anvil's and Hardhat's).
pub const DEV_KEYS: [&str; 4] = [
    "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
];

pub fn dev_wallet(i: usize) -> EthWallet {
    let bytes: Vec<u8> = (0..32)
        .map(|k| u8::from_str_radix(&DEV_KEYS[i][2 * k..2 * k + 2], 16).unwrap())
        .collect();
    let key = k256::ecdsa::SigningKey::from_slice(&bytes).unwrap();
    let point = key.verifying_key().to_encoded_point(false);
    let address = isthmus_test_support::keccak(&point.as_bytes()[1..])[12..]
        .try_into()
        .unwrap();
    EthWallet { key, address }
}

pub fn hex(bytes: &[u8]) -> String {
    format!("0x{}", alloy_primitives::hex::encode(bytes))
}

pub fn quantity(v: &Value) -> u128 {
    u128::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

/// An ETH transfer of `value` wei from `wallet` at `nonce`, signed.
pub fn transfer(wallet: &EthWallet, nonce: u64, to: [u8; 20], value: u128) -> Vec<u8> {
    wallet.sign(&tx1559(
        CHAIN_ID,
        nonce,
        Some(to),
        value,
        Vec::new(),
        21_000,
    ))
}

pub fn sign(wallet: &EthWallet, tx: &TxEnv) -> Vec<u8> {
    wallet.sign(tx)
}

/// A running rpc-proxy, killed (SIGKILL) on drop.
pub struct Proxy {
    child: Child,
    pub url: String,
    pub client: HttpClient,
    pub log: PathBuf,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Proxy {
    /// Starts rpc-proxy on `data_dir` (`None`: `--ephemeral`) and waits until it answers.
    /// With `ISTHMUS_TEST_SOLANA_URL` and `ISTHMUS_TEST_OPERATOR_KEYPAIR` set (tests that allow
    /// it, see [`Proxy::start_on_any`]), against that cluster instead of the embedded VM.
    pub async fn start(data_dir: Option<&Path>) -> Self {
        Self::launch(data_dir, false, &[]).await
    }

    /// [`Proxy::start`] (ephemeral, embedded) with more command-line arguments.
    #[allow(dead_code)] // not every test binary uses it
    pub async fn start_with(args: &[&str]) -> Self {
        Self::launch(None, false, args).await
    }

    /// [`Proxy::start`], against the cluster the environment names if any.
    pub async fn start_on_any(data_dir: Option<&Path>) -> Self {
        Self::launch(data_dir, true, &[]).await
    }

    /// The cluster the environment names (`ISTHMUS_TEST_SOLANA_URL`,
    /// `ISTHMUS_TEST_OPERATOR_KEYPAIR`), if any: its URL and operator keypair file.
    pub fn cluster_from_env() -> Option<(std::ffi::OsString, std::ffi::OsString)> {
        Some((
            std::env::var_os("ISTHMUS_TEST_SOLANA_URL")?,
            std::env::var_os("ISTHMUS_TEST_OPERATOR_KEYPAIR")?,
        ))
    }

    /// [`Proxy::start`] against the cluster at `url`, relaying as the operator in keypair file
    /// `key` (the development accounts funded by it).
    pub async fn start_remote(
        data_dir: Option<&Path>,
        url: &std::ffi::OsStr,
        key: &std::ffi::OsStr,
    ) -> Self {
        Self::launch_on(data_dir, Some((url.into(), key.into())), &[]).await
    }

    /// [`Proxy::start_remote`] with more command-line arguments (more `--operator-keypair`s).
    #[allow(dead_code)] // not every test binary uses it
    pub async fn start_remote_with(
        data_dir: Option<&Path>,
        url: &std::ffi::OsStr,
        key: &std::ffi::OsStr,
        args: &[&str],
    ) -> Self {
        Self::launch_on(data_dir, Some((url.into(), key.into())), args).await
    }

    async fn launch(data_dir: Option<&Path>, remote_allowed: bool, args: &[&str]) -> Self {
        let remote = if remote_allowed {
            Self::cluster_from_env()
        } else {
            None
        };
        Self::launch_on(data_dir, remote, args).await
    }

    async fn launch_on(
        data_dir: Option<&Path>,
        remote: Option<(std::ffi::OsString, std::ffi::OsString)>,
        args: &[&str],
    ) -> Self {
        let port = free_port();
        let log = std::env::temp_dir().join(format!("rpc-proxy-test-{port}.log"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rpc-proxy"));
        cmd.args(["--port", &port.to_string()]);
        cmd.args(args);
        if let Some((url, key)) = remote {
            cmd.arg("--solana-url")
                .arg(url)
                .arg("--operator-keypair")
                .arg(key)
                .arg("--fund-dev-accounts");
        }
        match data_dir {
            Some(d) => cmd.arg("--data-dir").arg(d),
            None => cmd.arg("--ephemeral"),
        };
        let file = std::fs::File::create(&log).unwrap();
        let child = cmd
            .stdout(Stdio::from(file.try_clone().unwrap()))
            .stderr(Stdio::from(file))
            .spawn()
            .expect("rpc-proxy starts");
        let url = format!("http://127.0.0.1:{port}");
        let client = HttpClientBuilder::default()
            .request_timeout(Duration::from_secs(120))
            .build(&url)
            .unwrap();
        let mut proxy = Self {
            child,
            url,
            client,
            log,
        };
        let started = Instant::now();
        loop {
            if proxy.try_call("eth_chainId", rpc_params![]).await.is_ok() {
                return proxy;
            }
            if let Ok(Some(status)) = proxy.child.try_wait() {
                panic!(
                    "rpc-proxy exited ({status}):\n{}",
                    std::fs::read_to_string(&proxy.log).unwrap_or_default()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "rpc-proxy did not start"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub async fn try_call(
        &self,
        method: &str,
        params: jsonrpsee::core::params::ArrayParams,
    ) -> Result<Value, jsonrpsee::core::client::Error> {
        self.client.request(method, params).await
    }

    pub async fn call(&self, method: &str, params: jsonrpsee::core::params::ArrayParams) -> Value {
        self.try_call(method, params)
            .await
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// The JSON-RPC error message of a call that must fail.
    pub async fn error(
        &self,
        method: &str,
        params: jsonrpsee::core::params::ArrayParams,
    ) -> String {
        match self.try_call(method, params).await {
            Ok(v) => panic!("{method} succeeded with {v}"),
            Err(jsonrpsee::core::client::Error::Call(e)) => e.message().to_string(),
            Err(e) => panic!("{method}: {e}"),
        }
    }

    pub async fn nonce(&self, address: [u8; 20], tag: &str) -> u64 {
        quantity(
            &self
                .call("eth_getTransactionCount", rpc_params![hex(&address), tag])
                .await,
        ) as u64
    }

    pub async fn balance(&self, address: [u8; 20]) -> u128 {
        quantity(
            &self
                .call("eth_getBalance", rpc_params![hex(&address), "latest"])
                .await,
        )
    }

    /// Signs an EIP-1559 transaction from `wallet` (its next nonce) to `to` with `data` and
    /// `gas`, sends it, and returns its receipt (waiting at most `limit`).
    pub async fn send_and_wait(
        &self,
        wallet: &EthWallet,
        to: [u8; 20],
        data: Vec<u8>,
        gas: u64,
        limit: Duration,
    ) -> Value {
        let nonce = self.nonce(wallet.address, "latest").await;
        let raw = sign(wallet, &tx1559(CHAIN_ID, nonce, Some(to), 0, data, gas));
        let hash = self
            .call("eth_sendRawTransaction", rpc_params![hex(&raw)])
            .await;
        self.receipt(hash.as_str().unwrap(), limit)
            .await
            .expect("a receipt")
    }

    /// Polls for the receipt of `hash` (at most `limit`).
    pub async fn receipt(&self, hash: &str, limit: Duration) -> Option<Value> {
        let started = Instant::now();
        loop {
            let r = self
                .call("eth_getTransactionReceipt", rpc_params![hash])
                .await;
            if !r.is_null() {
                return Some(r);
            }
            if started.elapsed() > limit {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGKILL: no chance to flush anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A fresh temporary directory.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("isthmus-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An address only this test process sends to (`tag`, then the process id): its balance
/// starts from what earlier runs left, read before the test.
pub fn run_recipient(tag: u8) -> [u8; 20] {
    let mut recipient = [tag; 20];
    recipient[..8].copy_from_slice(&(std::process::id() as u64).to_be_bytes());
    recipient
}

/// Waits (at most `limit`) until `done` holds.
pub async fn until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Each sender's transaction hashes by nonce, and its task giving the acknowledged ones.
pub type Senders = (
    Vec<BTreeMap<u64, String>>,
    Vec<tokio::task::JoinHandle<Vec<(u64, String)>>>,
);

/// Sends `count` transfers of `value` wei to `to` from each development account `s`, from nonce
/// `bases[s]` on, one task a sender, each transfer once the one before is answered; counts the
/// acknowledgements in `accepted`. A sender stops at its first error (the node is gone).
pub fn send_transfers(
    client: &HttpClient,
    bases: &[u64],
    count: u64,
    to: [u8; 20],
    value: u128,
    accepted: &Arc<AtomicUsize>,
) -> Senders {
    let mut signed = Vec::new();
    let mut tasks = Vec::new();
    for (s, &base) in bases.iter().enumerate() {
        let wallet = dev_wallet(s);
        let txs: BTreeMap<u64, Vec<u8>> = (base..base + count)
            .map(|n| (n, transfer(&wallet, n, to, value)))
            .collect();
        signed.push(
            txs.iter()
                .map(|(n, raw)| (*n, hex(&isthmus_test_support::keccak(raw))))
                .collect(),
        );
        let client = client.clone();
        let accepted = accepted.clone();
        tasks.push(tokio::spawn(async move {
            let mut ok = Vec::new();
            for (n, raw) in txs {
                let r: Result<Value, _> = client
                    .request("eth_sendRawTransaction", rpc_params![hex(&raw)])
                    .await;
                match r {
                    Ok(hash) => {
                        ok.push((n, hash.as_str().unwrap().to_string()));
                        accepted.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(_) => break,
                }
            }
            ok
        }));
    }
    (signed, tasks)
}

/// The receipts of `hashes` (a sender's transactions by nonce) for nonces `from..to`: each there,
/// successful, in a block no earlier than the nonce before's (gap-free, in order).
pub async fn receipts_in_order(
    proxy: &Proxy,
    hashes: &BTreeMap<u64, String>,
    from: u64,
    to: u64,
) -> Vec<Value> {
    let mut last_block = 0;
    let mut out = Vec::new();
    for n in from..to {
        let receipt = proxy
            .receipt(&hashes[&n], Duration::from_secs(60))
            .await
            .unwrap_or_else(|| panic!("nonce {n}: no receipt"));
        assert_eq!(quantity(&receipt["status"]), 1, "nonce {n}");
        let block = quantity(&receipt["blockNumber"]);
        assert!(block >= last_block, "nonce {n} in an earlier block");
        last_block = block;
        out.push(receipt);
    }
    out
}
