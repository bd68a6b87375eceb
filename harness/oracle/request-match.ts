import type { GraphExchange } from '../model/transcript.js';
import { firstDifference } from './json-subset.js';

/** A request matcher with templates already filled in (ids mapped, `{call.id}` replaced). */
export interface ResolvedMatcher {
  method?: string;
  path: string;
  body?: unknown;
  ignore?: string[];
  /** Alternatives: the bot's choice among them (see RequestMatcher.or). */
  or?: Array<Omit<ResolvedMatcher, 'or'>>;
}

// Patterns carry each run's fresh ids, so a cache of their regexes must stay bounded: unbounded,
// it kept a compiled regex per run and matcher (about 5 KB a schedule run, without end).
const MAX_PATH_PATTERNS = 512;
const pathPatterns = new Map<string, RegExp>();

/** Whether a version-less request path matches a path pattern (`*` one segment, `**` any rest). */
export function pathMatches(pattern: string, path: string): boolean {
  // Most patterns have no wildcard: a case-insensitive comparison needs no regex at all.
  if (!pattern.includes('*')) return pattern.length === path.length && pattern.toLowerCase() === path.toLowerCase();
  let regex = pathPatterns.get(pattern);
  if (!regex) {
    const source = pattern
      .split(/(\*\*|\*)/)
      .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${source}$`, 'i');
    if (pathPatterns.size >= MAX_PATH_PATTERNS) pathPatterns.clear();
    pathPatterns.set(pattern, regex);
  }
  return regex.test(path);
}

/** Why an exchange does not match (the first alternative's first reason), or undefined when any alternative does. */
export function mismatch(matcher: ResolvedMatcher, exchange: Pick<GraphExchange, 'method' | 'path' | 'body'>): string | undefined {
  const why = mismatchOne(matcher, exchange);
  if (why === undefined || (matcher.or ?? []).some((alternative) => mismatchOne(alternative, exchange) === undefined)) return undefined;
  return why;
}

function mismatchOne(matcher: Omit<ResolvedMatcher, 'or'>, exchange: Pick<GraphExchange, 'method' | 'path' | 'body'>): string | undefined {
  if (matcher.method && matcher.method.toUpperCase() !== exchange.method) return `method ${exchange.method}, not ${matcher.method}`;
  if (!pathMatches(matcher.path, exchange.path)) return `path ${exchange.path}`;
  if (matcher.body !== undefined) return firstDifference(matcher.body, exchange.body, matcher.ignore ?? []);
  return undefined;
}

/** Describes a matcher for messages: `POST /communications/calls/…/transfer`. */
export function describeMatcher(matcher: ResolvedMatcher): string {
  return [matcher, ...(matcher.or ?? [])].map((m) => `${m.method ?? 'any'} ${m.path}`).join(' or ');
}

/** Whether a request of this method could match one of the matcher's alternatives. */
export function methodMatches(matcher: ResolvedMatcher, method: string): boolean {
  return [matcher, ...(matcher.or ?? [])].some((m) => !m.method || m.method.toUpperCase() === method);
}
