// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// Hashes a word `n` times; stores the result so the run has an effect.
contract KeccakLoop {
    bytes32 public last;

    function run(uint256 n) external returns (bytes32 h) {
        h = bytes32(n);
        for (uint256 i = 0; i < n; i++) {
            h = keccak256(abi.encodePacked(h));
        }
        last = h;
    }
}
