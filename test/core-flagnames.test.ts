// Flag names for every bit, including bit 31 (a negative number after `&` in JavaScript).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flagNames } from '../src/core/index.js';

test('flagNames names bit 31', () => {
  assert.deepEqual(flagNames(0x80000000, { IF_READY: 0x80000000 }), ['IF_READY']);
  assert.deepEqual(flagNames(0x80000010, { IF_RS_SENT: 0x10, IF_READY: 0x80000000 }), ['IF_RS_SENT', 'IF_READY']);
});

test('flagNames names a multi-bit mask that includes bit 31 only when all its bits are set', () => {
  const names = { HIGH: 0xc0000000 };
  assert.deepEqual(flagNames(0xc0000000, names), ['HIGH']);
  assert.deepEqual(flagNames(0x80000000, names), ['0x80000000']);
});
