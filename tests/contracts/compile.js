// Compiles src/*.sol with solc-js (the version pinned in package.json; EVM version cancun,
// optimizer on, 200 runs, no CBOR metadata) and writes, for every contract, build/<Name>.bin (creation bytecode,
// hex) and build/<Name>.abi.json. Also copies the compiled artifacts @uniswap/v2-core ships
// (solc 0.5.16, as deployed on mainnet): UniswapV2Factory and UniswapV2Pair. Run through
// scripts/compile-test-contracts.sh; build/ is checked in so cargo needs no node.
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require("solc");

const here = __dirname;
const out = path.join(here, "build");
fs.mkdirSync(out, { recursive: true });

const files = fs.readdirSync(path.join(here, "src")).filter((f) => f.endsWith(".sol")).sort();
const sources = {};
for (const file of files) {
  sources[file] = { content: fs.readFileSync(path.join(here, "src", file), "utf8") };
}
const input = {
  language: "Solidity",
  sources,
  settings: {
    evmVersion: "cancun",
    optimizer: { enabled: true, runs: 200 },
    // No metadata hash appended: ~50 bytes less, so small deploys fit one Solana transaction.
    metadata: { appendCBOR: false },
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
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

function write(name, bytecode, abi, origin) {
  fs.writeFileSync(path.join(out, `${name}.bin`), bytecode + "\n");
  fs.writeFileSync(path.join(out, `${name}.abi.json`), JSON.stringify(abi, null, 1) + "\n");
  console.log(`${name}: ${bytecode.length / 2} bytes of creation code (${origin})`);
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter((e) => e.severity === "error");
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}
for (const file of files) {
  for (const [name, c] of Object.entries(output.contracts[file])) {
    write(name, c.evm.bytecode.object, c.abi, `solc ${solc.version()}`);
  }
}

for (const name of ["UniswapV2Factory", "UniswapV2Pair"]) {
  const artifact = require(`@uniswap/v2-core/build/${name}.json`);
  const version = require("@uniswap/v2-core/package.json").version;
  write(name, artifact.evm.bytecode.object, artifact.abi, `@uniswap/v2-core ${version}`);
}
