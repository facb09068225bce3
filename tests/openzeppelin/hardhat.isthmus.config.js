// OpenZeppelin Contracts' own Hardhat configuration, unchanged, plus what running it here needs:
// the compiler Hardhat would download answered by npm's solc-js (tests/hardhat/solc-offline.js),
// and the URL-only `localhost` network pointed at $RPC_URL (rpc-proxy or anvil). Copied into an
// OpenZeppelin checkout by scripts/test-openzeppelin.sh.
const config = require("./hardhat.config.js");
const { subtask } = require("hardhat/config");

require(process.env.ISTHMUS_SOLC_OFFLINE)(subtask, require, config.solidity.version);

config.networks.localhost = {
  url: process.env.RPC_URL ?? "http://127.0.0.1:8545",
  timeout: 600_000,
};

module.exports = config;
