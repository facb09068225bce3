// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// Adds to `n` storage slots from `start`, `rounds` times over: `n` distinct slots (so `n` storage
/// cells, each an account the Solana transaction must lock), `n * rounds` SLOAD/SSTORE pairs.
contract StorageRounds {
    mapping(uint256 => uint256) public values;

    function run(uint256 start, uint256 n, uint256 rounds) external {
        for (uint256 r = 0; r < rounds; r++) {
            for (uint256 i = start; i < start + n; i++) {
                values[i] += i + 1;
            }
        }
    }
}
