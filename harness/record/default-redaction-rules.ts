import type { RedactionRule } from '../model/redaction.js';

/**
 * The rules every capture gets unless a rules file says `defaults: false`: credentials (bearer
 * tokens, JWTs, client secrets) and personal identifiers (names, phone numbers, user ids, emails).
 * Application identities stay: a bot finds itself in a roster by its app id.
 */
export const DEFAULT_REDACTION_RULES: readonly RedactionRule[] = [
  { pattern: /Bearer\s+[A-Za-z0-9._~+/=-]+/g, as: 'token' },
  { pattern: /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, as: 'token' },
  { pointer: '/**/client_secret', as: 'secret' },
  { pointer: '/**/clientSecret', as: 'secret' },
  { pointer: '/**/displayName', as: 'name' },
  { pointer: '/**/user/id', as: 'user-id' },
  { pointer: '/**/guest/id', as: 'user-id' },
  { pointer: '/**/acsUser/id', as: 'user-id' },
  { pointer: '/**/spoolUser/id', as: 'user-id' },
  { pointer: '/**/encrypted/id', as: 'user-id' },
  { pointer: '/**/onPremises/id', as: 'user-id' },
  { pointer: '/**/phone/id', as: 'phone' },
  { pointer: '/**/userPrincipalName', as: 'email' },
  { pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, as: 'email' },
  { pattern: /(?<![0-9A-Za-z-])\+[0-9]{7,15}(?![0-9])/g, as: 'phone' },
];

/** A rule that redacts one known secret (the target's client secret) wherever it appears. */
export function literalSecretRule(secret: string): RedactionRule {
  return { pattern: new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'), as: 'secret' };
}
