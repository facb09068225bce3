// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// Burns gas in a loop of arithmetic: about 100 gas an iteration (for iterative execution).
contract Burner {
    uint256 public result;

    function burn(uint256 n) external {
        uint256 x = 1;
        for (uint256 i = 0; i < n; i++) {
            x = x * 3 + i;
        }
        result = x;
    }
}
