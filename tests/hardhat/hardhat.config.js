// Hardhat 2 against rpc-proxy (or any endpoint): `npx hardhat test --network isthmus`,
// `npx hardhat run scripts/deploy.js --network isthmus`, with RPC_URL (default
// http://127.0.0.1:8545). Solidity 0.8.24 is compiled with solc-js from npm (`solc`, pinned in
// package.json): Hardhat's compiler downloader cannot reach its server here, so the build it asks
// for is answered with the soljson.js that npm installed.
require("@nomicfoundation/hardhat-ethers");
require("@nomicfoundation/hardhat-chai-matchers");
const { subtask } = require("hardhat/config");
const SOLC_VERSION = "0.8.24";

require("./solc-offline")(subtask, require, SOLC_VERSION);

// The development accounts of `test test test test test test test test test test test junk`
// (m/44'/60'/0'/0/i), which rpc-proxy and anvil fund with 10000 ETH each.
const DEV_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
];

/** @type import('hardhat/config').HardhatUserConfig */
module.exports = {
  solidity: {
    version: SOLC_VERSION,
    settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 200 } },
  },
  networks: {
    isthmus: {
      url: process.env.RPC_URL || "http://127.0.0.1:8545",
      chainId: 1337,
      accounts: DEV_KEYS,
      timeout: 120_000, // one request; a transaction through the Solana VM can take seconds
    },
  },
  // per test (a few transactions each): generous, but a hang (e.g. on a method the endpoint lacks)
  // ends in minutes, not hours
  mocha: { timeout: 120_000 },
};
