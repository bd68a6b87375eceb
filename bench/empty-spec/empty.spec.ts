// The baseline of figure (c): what `npx playwright test` costs on a spec that does nothing.
import { test } from '@playwright/test';

test('empty', () => {});
