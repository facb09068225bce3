// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// A BubbleSort-style benchmark (as in revm's suite), written for isthmus-evm: sorts `n`
/// pseudo-random words in memory and returns a checksum, so the work cannot be skipped.
contract BenchSort {
    function run(uint256 n) external pure returns (uint256 checksum) {
        uint256[] memory values = new uint256[](n);
        uint256 seed = 0x9e3779b97f4a7c15;
        for (uint256 i = 0; i < n; i++) {
            seed = uint256(keccak256(abi.encode(seed)));
            values[i] = seed;
        }
        for (uint256 i = 0; i < n; i++) {
            for (uint256 j = 0; j + 1 < n - i; j++) {
                if (values[j] > values[j + 1]) {
                    (values[j], values[j + 1]) = (values[j + 1], values[j]);
                }
            }
        }
        unchecked {
            for (uint256 i = 0; i < n; i++) {
                checksum = checksum * 31 + (values[i] >> 192) * (i + 1);
            }
        }
    }
}
