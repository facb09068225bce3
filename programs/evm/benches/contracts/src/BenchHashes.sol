// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// revm's "ten thousand hashes" benchmark, written for isthmus-evm: keccak256 chained ten
/// thousand times over a 32-byte word in memory.
contract BenchHashes {
    function run() external pure returns (bytes32 h) {
        for (uint256 i = 0; i < 10_000; i++) {
            h = keccak256(abi.encodePacked(h));
        }
    }
}
