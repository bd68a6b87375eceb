/**
 * A small glossary of the documents' section and example headings, in English, each with a short
 * slug for recording ids. Headings it does not know keep their original text.
 */
import type { DocLine } from './scan-document.js';

/** A heading in English, with the slug used in recording ids. */
export interface Title {
  en: string;
  slug: string;
}

const SECTION_TITLES: Record<string, Title> = {
  // Russian
  'Запрос': { en: 'Request', slug: 'request' },
  'Отклик': { en: 'Response', slug: 'response' },
  'Уведомление, отправленное приложению после завершения startHoldMusicOperation': {
    en: 'Notification sent to the application after the startHoldMusicOperation completes',
    slug: 'start-hold-music-completed',
  },
  'Уведомление — передача': { en: 'Notification - transferring', slug: 'transferring' },
  'Уведомление — передача принята': { en: 'Notification - transfer accepted', slug: 'transfer-accepted' },
  'Уведомление — передача завершена': { en: 'Notification - transfer completed', slug: 'transfer-completed' },
  'Уведомление — сбой передачи': { en: 'Notification - transfer failed', slug: 'transfer-failed' },
  // Chinese
  '请求': { en: 'Request', slug: 'request' },
  '响应': { en: 'Response', slug: 'response' },
  '通知 - 建立': { en: 'Notification - establishing', slug: 'establishing' },
  '通知 - 已建立': { en: 'Notification - established', slug: 'established' },
  '通知 - 内容共享已开始': { en: 'Notification - content sharing started', slug: 'content-sharing-started' },
  '通知 - 内容共享已更新': { en: 'Notification - content sharing updated', slug: 'content-sharing-updated' },
  '通知 - 内容共享已结束': { en: 'Notification - content sharing ended', slug: 'content-sharing-ended' },
  '通知 - 名单': { en: 'Notification - roster', slug: 'roster' },
  // "Roster (delta roster disabled, the default)", rendered with its parentheses turned around.
  '默认) 禁用增量名单 (': { en: 'Roster (delta roster disabled, the default)', slug: 'roster' },
  '已启用增量名单': { en: 'Delta roster enabled', slug: 'delta-roster' },
  // English
  'Request': { en: 'Request', slug: 'request' },
  'Response': { en: 'Response', slug: 'response' },
};

const EXAMPLE_HEADINGS: Record<string, Title> = {
  'Пример 1. Передача звонка из однорангового вызова': {
    en: 'Example 1: Call transfer from a peer-to-peer call', slug: 'peer-to-peer',
  },
  'Пример 2. Консультативная передача из однорангового вызова': {
    en: 'Example 2: Consultative transfer from a peer-to-peer call', slug: 'consultative',
  },
  'Пример 3. Передача звонков из однорангового вызова на номер ТСОП': {
    en: 'Example 3: Call transfer from a peer-to-peer call to a PSTN number', slug: 'pstn',
  },
  'Пример 4. Консультативная передача из однорангового вызова на номер ТСОП': {
    en: 'Example 4: Consultative transfer from a peer-to-peer call to a PSTN number', slug: 'consultative-pstn',
  },
  'Пример 5. Перенос звонка из группового вызова': {
    en: 'Example 5: Call transfer from a group call', slug: 'group-call',
  },
  '示例 6:使用 joinMeetingId 和密码加入计划的会议': {
    en: 'Example 6: Join a scheduled meeting with joinMeetingId and passcode', slug: 'join-meeting-id-passcode',
  },
  '示例 7:使用 joinMeetingId 加入计划的会议': {
    en: 'Example 7: Join a scheduled meeting with joinMeetingId', slug: 'join-meeting-id',
  },
};

/**
 * The examples of each page by number, for headings a document does not show: the create-call
 * document lost ten of its twelve example headings in rendering, and the hold-music pages have a
 * single example under a bare "Example". Keyed by the last segment of the page's request path.
 */
const PAGE_EXAMPLES: Record<string, Title[]> = {
  calls: [
    { en: 'Example 1: Create peer-to-peer VoIP call with service hosted media', slug: 'peer-to-peer-service-hosted-media' },
    { en: 'Example 2: Create peer-to-peer VoIP call with application hosted media', slug: 'peer-to-peer-app-hosted-media' },
    { en: 'Example 3: Create a group call with service hosted media', slug: 'group-call-service-hosted-media' },
    { en: 'Example 4: Create a group call with application hosted media', slug: 'group-call-app-hosted-media' },
    { en: 'Example 5: Join scheduled meeting with service hosted media', slug: 'join-meeting-service-hosted-media' },
    { en: 'Example 6: Join a scheduled meeting with joinMeetingId and passcode', slug: 'join-meeting-id-passcode' },
    { en: 'Example 7: Join a scheduled meeting with joinMeetingId', slug: 'join-meeting-id' },
    { en: 'Example 8: Join scheduled meeting with app hosted media', slug: 'join-meeting-app-hosted-media' },
    { en: 'Example 9: Join channel meeting with service hosted media', slug: 'join-channel-meeting' },
    { en: 'Example 10: Join channel meeting as a guest with service hosted media', slug: 'join-channel-meeting-as-guest' },
    { en: 'Example 11: Create peer-to-peer PSTN call with service hosted media', slug: 'pstn-service-hosted-media' },
    { en: 'Example 12: Create peer-to-peer PSTN call with application hosted media', slug: 'pstn-app-hosted-media' },
  ],
  startHoldMusic: [{ en: 'Example: Start hold music', slug: 'start-hold-music' }],
  stopHoldMusic: [{ en: 'Example: Stop hold music', slug: 'stop-hold-music' }],
};

// Headings that only say "Example(s)", which name no particular example.
const BARE_EXAMPLE_HEADING = /^(Примеры?|Examples?|示例)$/;
// Lines above an example that are notes or lead-in sentences, never its title.
const NOT_A_TITLE = /^(Примечание|Note|注意|Важно|Important|Ниже показан|The following example|以下示例|下面)/;

// A page in English writes the English titles: they name the same things.
const KNOWN_HEADINGS: Record<string, Title> = Object.fromEntries(
  [...Object.entries(SECTION_TITLES), ...Object.entries(EXAMPLE_HEADINGS)].flatMap(([text, title]) => [[title.en, title], [text, title]]),
);

/** English title and slug of a heading; unknown headings keep their text. */
export function translateHeading(text: string): Title & { known: boolean } {
  const known = KNOWN_HEADINGS[text];
  if (known) return { ...known, known: true };
  return { en: text, slug: slugify(text), known: false };
}

/** The section title among the lines above an example: the nearest known heading, else the nearest line that is not a note. */
export function pickSectionTitle(linesAbove: DocLine[]): DocLine | undefined {
  const nearestFirst = [...linesAbove].reverse();
  return nearestFirst.find((l) => KNOWN_HEADINGS[l.text]) ?? nearestFirst.find((l) => !NOT_A_TITLE.test(l.text));
}

/** English title of an example from its heading, or from the page's list when the heading is missing or bare. */
export function exampleTitle(page: string, ordinal: number, heading?: string): Title {
  if (heading && KNOWN_HEADINGS[heading]) return KNOWN_HEADINGS[heading];
  const number = Number(/\d+/.exec(heading ?? '')?.[0] ?? ordinal);
  const listed = PAGE_EXAMPLES[page]?.[number - 1];
  if (listed) return listed;
  if (heading && !BARE_EXAMPLE_HEADING.test(heading)) return { en: heading, slug: slugify(heading) || `example-${number}` };
  return { en: `Example ${number}`, slug: `example-${number}` };
}

/** Lower-case ASCII words joined by dashes; empty for text with no ASCII letters or digits. */
export function slugify(text: string): string {
  return text
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
