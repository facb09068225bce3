// Compiles src/*.sol with solc-js (the version pinned in package.json) and writes each contract's
// creation bytecode as hex to <Name>.bin beside this file. Run through
// scripts/compile-bench-contracts.sh; the .bin files are checked in so the benches and tests need
// no node at run time.
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require("solc");

const here = __dirname;
const contracts = {
  "BenchToken.sol": "ERC20",
  "BenchNft.sol": "ERC721",
  "BenchHashes.sol": "Hashes",
  "BenchSort.sol": "Sort",
  "BenchSnail.sol": "Snail",
};

const sources = {};
for (const file of Object.keys(contracts)) {
  sources[file] = { content: fs.readFileSync(path.join(here, "src", file), "utf8") };
}
const input = {
  language: "Solidity",
  sources,
  settings: {
    evmVersion: "cancun",
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { "*": { "*": ["evm.bytecode.object"] } },
  },
};

function findImports(importPath) {
  try {
    const resolved = require.resolve(importPath, { paths: [here] });
    return { contents: fs.readFileSync(resolved, "utf8") };
  } catch (e) {
    return { error: `not found: ${importPath}` };
  }
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === "error");
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}
for (const [file, binName] of Object.entries(contracts)) {
  const name = path.basename(file, ".sol");
  const bytecode = output.contracts[file][name].evm.bytecode.object;
  fs.writeFileSync(path.join(here, `${binName}.bin`), bytecode + "\n");
  console.log(`${binName}.bin: ${name}, ${bytecode.length / 2} bytes of creation code (solc ${solc.version()})`);
}
