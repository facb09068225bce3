// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// Burns gas in a loop of arithmetic (wrapping: unchecked), about 40 gas an iteration: several
/// million gas for iterative execution.
contract Burner {
    uint256 public result;

    function burn(uint256 n) external {
        uint256 x = 1;
        unchecked {
            for (uint256 i = 0; i < n; i++) {
                x = x * 3 + i;
            }
        }
        result = x;
    }
}
