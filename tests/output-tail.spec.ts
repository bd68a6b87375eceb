/** A started bot's output is kept as its last 64 KB, whatever the chunks it comes in. */
import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { outputTail } from '../harness/run/target-process.js';

test('the tail is the last `limit` bytes of everything written, read at any point', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.string({ unit: 'binary-ascii', maxLength: 40 }), fc.boolean())), fc.integer({ min: 1, max: 64 }), (writes, limit) => {
      const tail = outputTail(limit);
      let all = '';
      for (const [text, readNow] of writes) {
        tail.keep(Buffer.from(text));
        all += text;
        if (readNow) expect(tail.text()).toBe(all.slice(-limit));
      }
      expect(tail.text()).toBe(all.slice(-limit));
    }),
  );
});
