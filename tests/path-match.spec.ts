/**
 * Path matching is run for every request of every schedule run, with patterns that carry the run's
 * fresh ids: it must stay exact (case aside) and keep matching right past its regex cache's bound.
 */
import { randomUUID } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { pathMatches } from '../harness/oracle/request-match.js';

test('a pattern without wildcards matches its path exactly, ignoring case only', () => {
  const id = randomUUID();
  expect(pathMatches(`/communications/calls/${id}/transfer`, `/communications/calls/${id}/transfer`)).toBe(true);
  expect(pathMatches(`/communications/calls/${id}/transfer`, `/Communications/Calls/${id.toUpperCase()}/Transfer`)).toBe(true);
  expect(pathMatches(`/communications/calls/${id}/transfer`, `/communications/calls/${id}/transfer/`)).toBe(false);
  expect(pathMatches(`/communications/calls/${id}`, `/communications/calls/${id}/transfer`)).toBe(false);
  expect(pathMatches('/communications/calls/a.c', '/communications/calls/abc')).toBe(false);
});

test('wildcard patterns with fresh ids keep matching right across thousands of runs', () => {
  for (let run = 0; run < 3000; run++) {
    const id = randomUUID();
    expect(pathMatches(`/communications/calls/${id}/participants/*/startHoldMusic`, `/communications/calls/${id}/participants/p-${run}/startHoldMusic`)).toBe(true);
    expect(pathMatches(`/communications/calls/${id}/participants/*/startHoldMusic`, `/communications/calls/${id}/participants/a/b/startHoldMusic`)).toBe(false);
    expect(pathMatches(`/communications/calls/${id}/**`, `/communications/calls/${id}/participants/x/mute`)).toBe(true);
  }
});
