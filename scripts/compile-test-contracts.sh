#!/usr/bin/env bash
# Compiles the Solidity contracts of the program tests and cu-report (tests/contracts/src, solc
# 0.8.24 and OpenZeppelin 5.0.2 pinned in tests/contracts/package.json, EVM version cancun) and
# copies the Uniswap v2 factory and pair that @uniswap/v2-core ships, into tests/contracts/build
# (<Name>.bin: creation code as hex; <Name>.abi.json). build/ is checked in: cargo needs no node.
set -euo pipefail
cd "$(dirname "$0")/../tests/contracts"
npm ci --no-audit --no-fund
node compile.js
