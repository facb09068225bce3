// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// The few forge cheatcodes these tests and scripts use (forge-std is not on npm in a usable
/// form, and nothing is fetched from elsewhere). Signatures as in forge-std's Vm.sol.
interface Vm {
    function assertEq(uint256 left, uint256 right) external pure;
    function assertEq(address left, address right) external pure;
    function assertTrue(bool condition) external pure;
    function expectRevert(bytes calldata revertData) external;
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData) external;
    function prank(address msgSender) external;
    function deal(address account, uint256 newBalance) external;
    function addr(uint256 privateKey) external pure returns (address keyAddr);
    function envOr(string calldata name, uint256 defaultValue) external view returns (uint256 value);
    function startBroadcast(uint256 privateKey) external;
    function startBroadcast() external;
    function stopBroadcast() external;
}

abstract contract CheatCodes {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
}
