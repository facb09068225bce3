// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// Writes `n` storage slots from `start` (each a separate slot, so a separate storage cell).
contract StorageLoop {
    mapping(uint256 => uint256) public values;

    function run(uint256 start, uint256 n) external {
        for (uint256 i = start; i < start + n; i++) {
            values[i] = i + 1;
        }
    }
}
