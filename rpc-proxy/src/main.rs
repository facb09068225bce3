//! `rpc-proxy`: the Ethereum JSON-RPC endpoint of Isthmus. With no arguments it starts an
//! embedded Solana VM (LiteSVM) with `target/deploy/isthmus.so` deployed and initialized (chain id
//! 1337, one operator), funds the ten development accounts of the mnemonic `test test ... junk`
//! (as anvil and Hardhat do) and serves JSON-RPC over HTTP and WebSocket on 127.0.0.1:8545.
//!
//! This first slice keeps the chain and the receipts in memory (see README.md, "rpc-proxy").

mod eth;
mod net;
mod node;
mod rpc;
mod web3;

use clap::Parser;
use jsonrpsee::server::Server;
use jsonrpsee::RpcModule;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

#[derive(Parser, Debug)]
#[command(
    name = "rpc-proxy",
    version,
    about = "Isthmus Ethereum JSON-RPC endpoint"
)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (HTTP and WebSocket).
    #[arg(long, default_value_t = 8545)]
    port: u16,
    /// Start a fresh chain. This slice keeps no state on disk: every start is fresh.
    #[arg(long)]
    ephemeral: bool,
    /// Where the embedded chain will keep its state (not used yet: state is in memory).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// The program to load (default: $ISTHMUS_SO, else target/deploy/isthmus.so).
    #[arg(long)]
    program: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    if !args.ephemeral || args.data_dir.is_some() {
        tracing::warn!(
            "state is kept in memory only in this version: the chain starts fresh and is lost on exit"
        );
    }
    if let Some(so) = &args.program {
        std::env::set_var("ISTHMUS_SO", so);
    }
    let node = node::Node::start(node::CHAIN_ID)?;
    node.print_accounts();
    let node = Arc::new(Mutex::new(node));

    let mut module = RpcModule::new(node.clone());
    eth::register(&mut module)?;
    net::register(&mut module)?;
    web3::register(&mut module)?;

    let addr: SocketAddr = format!("{}:{}", args.host, args.port).parse()?;
    let server = Server::builder().build(addr).await?;
    let local = server.local_addr()?;
    let handle = server.start(module);
    println!("Listening on {local}");
    tracing::info!(%local, "JSON-RPC over HTTP and WebSocket");
    tokio::select! {
        _ = handle.clone().stopped() => {}
        _ = tokio::signal::ctrl_c() => {
            tracing::info!("shutting down");
            let _ = handle.stop();
        }
    }
    Ok(())
}
