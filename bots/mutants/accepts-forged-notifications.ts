/**
 * Mutant: skips inbound token validation.
 *
 * The real defect: a callback endpoint that trusts whoever POSTs to it (validation "to add later",
 * or turned off to get a tunnel working). Anyone who knows the callback URL can then forge call
 * notifications and make the bot act on them.
 */
import type { TokenCheck } from '../reference/inbound-auth.js';
import { runMutant } from '../reference/run-mutant.js';

const trustEveryone = async (): Promise<TokenCheck> => ({ ok: true, tenantId: 'unverified' });

await runMutant('accepts-forged-notifications', { verifyNotificationToken: trustEveryone });
