/** harness/run/call-slots.ts: a profile's `callsAtOnce` as turns at the bot, first come first served. */
import { test, expect } from '@playwright/test';
import { callSlots } from '../harness/run/call-slots.js';

test('no limit in the profile: no slots, so runs never wait', () => {
  expect(callSlots(undefined)).toBeUndefined();
});

test('at most the limit hold a turn; waiting runs get theirs in the order they asked; giving back twice frees one turn', async () => {
  const slots = callSlots(2)!;
  const order: string[] = [];
  const first = await slots.take();
  const second = await slots.take();
  const third = slots.take().then((giveBack) => (order.push('third'), giveBack));
  const fourth = slots.take().then((giveBack) => (order.push('fourth'), giveBack));
  await new Promise((r) => setTimeout(r, 10));
  expect(order).toEqual([]); // both turns are held
  first();
  first(); // a second give-back of the same turn frees nothing more
  const thirdBack = await third;
  await new Promise((r) => setTimeout(r, 10));
  expect(order).toEqual(['third']);
  second();
  (await fourth)();
  expect(order).toEqual(['third', 'fourth']);
  thirdBack();
  // Both turns free again: two takes resolve at once, a third waits.
  await slots.take();
  await slots.take();
  let fifthGot = false;
  void slots.take().then(() => (fifthGot = true));
  await new Promise((r) => setTimeout(r, 10));
  expect(fifthGot).toBe(false);
});
