// Hardhat's sample project as a developer runs it against a local node: the `localhost`
// network is a URL and nothing else (no keys), so the node's own accounts sign, and
// @nomicfoundation/hardhat-network-helpers drive the node's development methods. RPC_URL moves it
// off 127.0.0.1:8545. Solidity is compiled with solc-js from npm (no compiler download here).
require("@nomicfoundation/hardhat-ethers");
require("@nomicfoundation/hardhat-chai-matchers");
const { subtask } = require("hardhat/config");
const SOLC_VERSION = "0.8.24";

require("../hardhat/solc-offline")(subtask, require, SOLC_VERSION);

/** @type import('hardhat/config').HardhatUserConfig */
module.exports = {
  solidity: { version: SOLC_VERSION, settings: { evmVersion: "cancun" } },
  networks: {
    localhost: { url: process.env.RPC_URL || "http://127.0.0.1:8545" },
  },
  mocha: { timeout: 120_000 },
};
