#!/usr/bin/env bash
# Compiles the Solidity contracts used by isthmus-evm's benchmarks and differential tests
# (OpenZeppelin ERC-20 and ERC-721, solc 0.8.24 from npm) and writes their creation bytecode to
# programs/evm/benches/contracts/*.bin, which are checked in: cargo needs no node.
set -euo pipefail
cd "$(dirname "$0")/../programs/evm/benches/contracts"
npm ci --no-audit --no-fund
node compile.js
