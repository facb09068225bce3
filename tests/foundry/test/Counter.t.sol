// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {Counter} from "../src/Counter.sol";
import {CheatCodes} from "./Vm.sol";

contract CounterTest is CheatCodes {
    Counter counter;
    address constant ALICE = address(0xA11CE);

    event Incremented(address indexed by, uint256 newNumber);
    event NumberSet(address indexed by, uint256 oldNumber, uint256 newNumber);
    event Deposited(address indexed from, uint256 amount);

    function setUp() public {
        counter = new Counter(7);
    }

    function test_Initial() public view {
        vm.assertEq(counter.number(), 7);
        vm.assertEq(counter.owner(), address(this));
    }

    function test_IncrementEmits() public {
        vm.expectEmit(true, false, false, true);
        emit Incremented(address(this), 8);
        counter.increment();
        vm.assertEq(counter.number(), 8);
    }

    function test_SetNumber() public {
        vm.expectEmit(true, false, false, true);
        emit NumberSet(address(this), 7, 42);
        counter.setNumber(42);
        vm.assertEq(counter.number(), 42);
    }

    function test_RevertWhen_NotOwner() public {
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(Counter.NotOwner.selector, ALICE));
        counter.setNumber(1);
    }

    function test_RevertWhen_TooLarge() public {
        vm.expectRevert(abi.encodeWithSelector(Counter.TooLarge.selector, 1_000_001, 1_000_000));
        counter.setNumber(1_000_001);
    }

    function test_RevertWhen_NoValue() public {
        vm.expectRevert(abi.encodeWithSignature("Error(string)", "no value"));
        counter.deposit();
    }

    function test_Deposit() public {
        vm.deal(ALICE, 5 ether);
        vm.prank(ALICE);
        vm.expectEmit(true, false, false, true);
        emit Deposited(ALICE, 2 ether);
        counter.deposit{value: 2 ether}();
        vm.assertEq(counter.deposits(ALICE), 2 ether);
        vm.assertEq(address(counter).balance, 2 ether);
        vm.assertEq(ALICE.balance, 3 ether);
    }

    function testFuzz_SetNumber(uint256 value) public {
        value = value % (counter.MAX() + 1);
        counter.setNumber(value);
        vm.assertEq(counter.number(), value);
    }
}
