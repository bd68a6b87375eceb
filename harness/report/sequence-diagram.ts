/**
 * A scenario run drawn as a sequence diagram: one self-contained HTML page (inline SVG and CSS,
 * no scripts, no external resources) that a person can open from a report attachment.
 * Everything here is pure: the same transcript gives the same bytes, so diagrams can be diffed.
 * Every string that reaches the page may come from the bot under test and is escaped.
 */
import type { ControlCall, Finding, GraphExchange, NotificationDelivery, ProbeRead, TranscriptEvent } from '../model/transcript.js';

/** What a diagram shows: the run's title, its events, and optionally the schedule and findings. */
export interface SequenceDiagramInput {
  title: string;
  transcript: TranscriptEvent[];
  /** Labels of the deliveries in the order the run used, e.g. `established`, `establishing(dup)`. */
  schedule?: string[];
  findings?: Finding[];
}

type Lifeline = 'harness' | 'bot' | 'graph';

/** One arrow of the diagram, in words: what a person reads, before any geometry. */
interface Arrow {
  seq: number;
  at: number;
  kind: TranscriptEvent['type'];
  from: Lifeline;
  to: Lifeline;
  /** Above the arrow: what was sent. */
  label: string;
  /** Below the arrow: how it was answered, and what was wrong with it. */
  outcome: string;
  failing: boolean;
  /** Hover text: the full label and outcome, and a body excerpt. */
  tooltip: string;
}

const WIDTH = 900;
const TIME_MARGIN = 78;
const LIFELINE_X: Record<Lifeline, number> = { harness: 150, bot: 470, graph: 830 };
const LIFELINE_NAME: Record<Lifeline, string> = { harness: 'harness (Graph notifications)', bot: 'bot', graph: 'fake Graph' };
const HEAD_HEIGHT = 30;
const TOP = 14 + HEAD_HEIGHT + 14;
const ROW_HEIGHT = 46;
const LABEL_FONT_PX = 12;
const OUTCOME_FONT_PX = 11;
/** Advance of one character in the monospace fonts the CSS asks for (about 0.6em in all of them). */
const CHAR_EM = 0.61;
const BODY_EXCERPT_CHARS = 600;

/** The diagram as a standalone HTML document: title, schedule, findings, legend and the SVG. */
export function sequenceDiagramHtml(input: SequenceDiagramInput): string {
  const arrows = arrowsOf(input.transcript, input.findings ?? []);
  const failures = arrows.filter((a) => a.failing).length;
  const schedule = input.schedule?.length
    ? `<p class="schedule" data-testid="schedule"><span class="caption">Schedule</span> ${input.schedule.map(escapeText).join(' <span class="then">→</span> ')}</p>`
    : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Belt and braces: even if some bot-supplied text escaped escaping, nothing could run or load.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeText(input.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeText(input.title)}</h1>`,
    `<p class="summary">${arrows.length} event${arrows.length === 1 ? '' : 's'}${failures ? `, <span class="bad">${failures} failing</span>` : ''}${input.findings?.length ? `, ${findingCount(input.findings)}` : ''}</p>`,
    schedule,
    findingsHtml(input.findings ?? []),
    LEGEND,
    sequenceDiagramSvg(input),
    '</body>',
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n')
    .concat('\n');
}

/** The diagram alone, as an inline `<svg>` element: three lifelines, one arrow per event, time on the left. */
export function sequenceDiagramSvg(input: Pick<SequenceDiagramInput, 'transcript' | 'findings'>): string {
  const arrows = arrowsOf(input.transcript, input.findings ?? []);
  const bodyHeight = Math.max(arrows.length, 1) * ROW_HEIGHT;
  const bottomHeadY = TOP + bodyHeight + 10;
  const height = bottomHeadY + HEAD_HEIGHT + 14;
  const rows = arrows.length ? arrows.map((a, i) => arrowSvg(a, TOP + i * ROW_HEIGHT)) : [`<text class="empty" x="${LIFELINE_X.bot}" y="${TOP + ROW_HEIGHT / 2}" text-anchor="middle">no events: nothing was sent or received</text>`];
  const lifelines = (Object.keys(LIFELINE_X) as Lifeline[]).map((l) => `<line class="lifeline" x1="${LIFELINE_X[l]}" y1="${14 + HEAD_HEIGHT}" x2="${LIFELINE_X[l]}" y2="${bottomHeadY}"/>`);
  return [
    `<svg data-testid="sequence-diagram" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="sequence diagram of ${arrows.length} events">`,
    `<text class="time-caption" x="${TIME_MARGIN - 10}" y="${14 + HEAD_HEIGHT / 2 + 4}" text-anchor="end">ms</text>`,
    `<line class="time-rule" x1="${TIME_MARGIN}" y1="${14}" x2="${TIME_MARGIN}" y2="${height - 14}"/>`,
    ...lifelines,
    ...rows,
    ...(Object.keys(LIFELINE_X) as Lifeline[]).flatMap((l) => [lifelineHead(l, 14), lifelineHead(l, bottomHeadY)]),
    '</svg>',
  ].join('\n');
}

/** The transcript sorted by `seq`, without touching the caller's array. */
function inTimeOrder(transcript: TranscriptEvent[]): TranscriptEvent[] {
  return [...transcript].sort((a, b) => number(a.seq) - number(b.seq));
}

/** The arrows of a run, in `seq` order. */
function arrowsOf(transcript: TranscriptEvent[], findings: Finding[]): Arrow[] {
  const events = inTimeOrder(transcript);
  const failedSteps = failedStepEvents(events, findings);
  return events.map((e) => arrowOf(e, failedSteps));
}

function arrowOf(event: TranscriptEvent, failedSteps: Map<number, number>): Arrow {
  switch (event.type) {
    case 'notification':
      return notificationArrow(event, failedSteps);
    case 'graph':
      return graphArrow(event);
    case 'control':
      return controlArrow(event, failedSteps);
    case 'probe':
      return probeArrow(event, failedSteps);
  }
}

function notificationArrow(e: NotificationDelivery, failedSteps: Map<number, number>): Arrow {
  const answered = e.status ? `${arrowText(e.status)} in ${formatMs(e.latencyMs)}` : `no answer${e.error ? `: ${e.error}` : ''}`;
  const failing = !isSuccess(e.status) || failedSteps.has(e.seq);
  return finish({ seq: e.seq, at: e.at, kind: 'notification', from: 'harness', to: 'bot', label: `notify ${e.recording}`, outcome: answered + stepNote(e.seq, failedSteps), failing }, e.body);
}

function graphArrow(e: GraphExchange): Arrow {
  const problems = [
    ...(e.authProblem ? [`auth: ${e.authProblem}`] : []),
    ...(e.schemaProblems.length ? [`schema: ${schemaProblemText(e.schemaProblems)}`] : []),
  ];
  const failing = !isSuccess(e.response.status) || problems.length > 0;
  const label = `${e.method} ${shortenPath(e.rawPath)}`;
  return finish({ seq: e.seq, at: e.at, kind: 'graph', from: 'bot', to: 'graph', label, outcome: [arrowText(e.response.status), ...problems].join(' · '), failing }, e.body ?? e.rawBody);
}

function controlArrow(e: ControlCall, failedSteps: Map<number, number>): Arrow {
  const failing = !isSuccess(e.status) || failedSteps.has(e.seq);
  const outcome = (e.status ? arrowText(e.status) : `no answer${e.error ? `: ${e.error}` : ''}`) + stepNote(e.seq, failedSteps);
  return finish({ seq: e.seq, at: e.at, kind: 'control', from: 'harness', to: 'bot', label: `control ${e.method} ${shortenPath(pathOfUrl(e.url))}`, outcome, failing }, e.body);
}

function probeArrow(e: ProbeRead, failedSteps: Map<number, number>): Arrow {
  const state = (e.view as { state?: unknown } | undefined)?.state;
  const label = e.error ? 'probe' : `probe → ${state === undefined ? 'no state' : typeof state === 'string' ? state : JSON.stringify(state)}`;
  const outcome = (e.error ? e.error : `HTTP ${statusText(e.status)}`) + stepNote(e.seq, failedSteps);
  const failing = !isSuccess(e.status) || e.error !== undefined || failedSteps.has(e.seq);
  return finish({ seq: e.seq, at: e.at, kind: 'probe', from: 'harness', to: 'bot', label, outcome, failing }, e.view);
}

function finish(arrow: Omit<Arrow, 'tooltip'>, body: unknown): Arrow {
  const excerpt = body === undefined ? '' : `\n${truncate(typeof body === 'string' ? body : stableJson(body), BODY_EXCERPT_CHARS)}`;
  return { ...arrow, tooltip: `#${number(arrow.seq)} at ${formatMs(arrow.at)}\n${arrow.label}\n${arrow.outcome}${excerpt}` };
}

/**
 * The events that failed steps made: the last event each failing finding's step made. Its status
 * alone may look fine (a probe that read the wrong state); and a duplicate delivery shares its
 * step with the first one, which did nothing wrong, so only the last is marked.
 */
function failedStepEvents(events: TranscriptEvent[], findings: Finding[]): Map<number, number> {
  const marked = new Map<number, number>();
  for (const f of findings) {
    if (f.severity !== 'failure' || f.stepIndex === undefined) continue;
    const last = events.filter((e) => e.type !== 'graph' && e.stepIndex === f.stepIndex).at(-1);
    if (last) marked.set(last.seq, f.stepIndex);
  }
  return marked;
}

function stepNote(seq: number, failedSteps: Map<number, number>): string {
  const step = failedSteps.get(seq);
  return step === undefined ? '' : ` · step ${step + 1} failed`;
}

function schemaProblemText(problems: Array<{ path: string; message: string }>): string {
  const first = problems[0]!;
  return `${first.path || '(body)'} ${first.message}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function arrowText(status: number): string {
  return `→ ${statusText(status)}`;
}

function statusText(status: number): string {
  return Number.isInteger(status) ? String(status) : '?';
}

/**
 * A path short enough for one line: ids (segments with digits or punctuation, longer than 8
 * characters) cut to their first 8, since their start is enough to tell them apart in one run.
 * Graph's own segment names are letters only, so they stay whole.
 */
function shortenPath(path: string): string {
  const [route, query] = splitOnce(path, '?');
  const short = route
    .split('/')
    .map((segment) => (segment.length > 8 && /[^A-Za-z]/.test(segment) ? `${segment.slice(0, 8)}…` : segment))
    .join('/');
  return query === undefined ? short : `${short}?${truncate(query, 24)}`;
}

/** The path and query of a URL; the host is always the bot's control API, so it says nothing. */
function pathOfUrl(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(url);
  return match ? match[1] || '/' : url;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

function arrowSvg(a: Arrow, top: number): string {
  const y = top + 25;
  const x1 = LIFELINE_X[a.from];
  const x2 = LIFELINE_X[a.to];
  const dir = Math.sign(x2 - x1);
  const head = `${x2},${y} ${x2 - dir * 9},${y - 4.5} ${x2 - dir * 9},${y + 4.5}`;
  const classes = `event ${a.kind}${a.failing ? ' failing' : ''}`;
  const mark = a.failing ? `<text class="mark" x="${x2 + dir * 8}" y="${y + 4}" text-anchor="${dir > 0 ? 'start' : 'end'}">✗</text>` : '';
  return [
    `<g class="${classes}" data-testid="event" data-seq="${number(a.seq)}" data-kind="${a.kind}"${a.failing ? ' data-failing="true"' : ''}>`,
    `<title>${escapeText(a.tooltip)}</title>`,
    `<rect class="row" x="${TIME_MARGIN + 1}" y="${top + 1}" width="${WIDTH - TIME_MARGIN - 2}" height="${ROW_HEIGHT - 2}" rx="3"/>`,
    `<text class="time" x="${TIME_MARGIN - 8}" y="${y + 4}" text-anchor="end">${escapeText(formatMs(a.at, false))}</text>`,
    `<text class="seq" x="${TIME_MARGIN - 8}" y="${y + 17}" text-anchor="end">#${number(a.seq)}</text>`,
    `<line class="arrow" x1="${x1}" y1="${y}" x2="${x2 - dir * 8}" y2="${y}"/>`,
    `<polygon class="head" points="${head}"/>`,
    mark,
    textOnRow('label', a.label, LABEL_FONT_PX, Math.min(x1, x2), y - 7),
    textOnRow('outcome', a.outcome, OUTCOME_FONT_PX, Math.min(x1, x2), y + 16),
    '</g>',
  ]
    .filter((part) => part !== '')
    .join('');
}

/**
 * Text that starts just after the arrow's left end and, when longer than the room to the
 * Graph lifeline, moves left into the row's empty part (one event per row, so nothing is hidden);
 * only text longer than the whole row is cut, in the middle, keeping the path's action name.
 */
function textOnRow(cls: string, text: string, fontPx: number, arrowLeft: number, y: number): string {
  const charPx = fontPx * CHAR_EM;
  const left = TIME_MARGIN + 8;
  // Text stops short of the Graph lifeline: right of it is the failure mark's column.
  const right = LIFELINE_X.graph - 6;
  const maxChars = Math.floor((right - left) / charPx);
  const shown = middleTruncate(text, maxChars);
  const width = codePoints(shown).length * charPx;
  const x = Math.max(left, Math.min(arrowLeft + 10, right - width));
  return `<text class="${cls}" x="${round1(x)}" y="${y}">${escapeText(shown)}</text>`;
}

function lifelineHead(l: Lifeline, y: number): string {
  const name = LIFELINE_NAME[l];
  const width = Math.round(name.length * 12 * CHAR_EM + 24);
  const x = Math.min(Math.max(LIFELINE_X[l] - width / 2, TIME_MARGIN + 4), WIDTH - 4 - width);
  return `<g class="head-box ${l}"><rect x="${round1(x)}" y="${y}" width="${width}" height="${HEAD_HEIGHT}" rx="6"/><text x="${round1(x + width / 2)}" y="${y + HEAD_HEIGHT / 2 + 4.5}" text-anchor="middle">${escapeText(name)}</text></g>`;
}

function findingsHtml(findings: Finding[]): string {
  if (!findings.length) return '';
  const items = findings.map(
    (f) =>
      `<li class="${f.severity === 'failure' ? 'failure' : 'warning'}">` +
      `<div class="rule"><span class="badge">${escapeText(f.severity)}</span> ${escapeText(f.stepIndex !== undefined && (f.rule === 'STEP' || f.rule === 'PREMISE') ? `${f.rule === 'PREMISE' ? 'PREMISE ' : ''}step ${f.stepIndex + 1}` : f.rule)}${f.where ? ` <span class="where">${escapeText(f.where)}</span>` : ''}</div>` +
      `<div><span class="caption">bot did</span> ${escapeText(f.actual)}</div>` +
      `<div><span class="caption">required</span> ${escapeText(f.expected)}</div>` +
      (f.because ? `<div class="because"><span class="caption">because</span> ${escapeText(f.because)}</div>` : '') +
      '</li>',
  );
  return `<section class="findings" data-testid="findings"><h2>Findings</h2><ul>${items.join('')}</ul></section>`;
}

function findingCount(findings: Finding[]): string {
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}`;
}

/** Milliseconds for the eye: one decimal at most, `s` from ten seconds on. */
function formatMs(ms: number, unit = true): string {
  const value = number(ms);
  if (value >= 10_000) return `${(value / 1000).toFixed(2)} s`;
  return `${round1(value)}${unit ? ' ms' : ''}`;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Numbers reach attributes and must be finite: anything else becomes 0. */
function number(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** JSON with object keys in sorted order, so equal values print equally. */
function stableJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

function codePoints(text: string): string[] {
  return Array.from(text);
}

function truncate(text: string, max: number): string {
  const chars = codePoints(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function middleTruncate(text: string, max: number): string {
  const chars = codePoints(text);
  if (chars.length <= max) return text;
  const tail = Math.floor((max - 1) / 2);
  return `${chars.slice(0, max - 1 - tail).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/** Text safe in HTML and SVG text and attributes; control characters, never meant to be shown, become U+FFFD. */
function escapeText(text: string): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const LEGEND = [
  '<p class="legend">',
  '<span class="key notification">notification</span>',
  '<span class="key control">control call</span>',
  '<span class="key probe">probe</span>',
  '<span class="key graph">bot → Graph request</span>',
  '<span class="key failing">✗ failing: non-2xx, auth or schema problem, failed step</span>',
  '<span class="hint">hover for the body</span>',
  '</p>',
].join('');

const STYLE = `
:root { --notification: #1d4ed8; --control: #7c3aed; --probe: #047857; --graph: #334155; --bad: #dc2626; --ink: #0f172a; --muted: #64748b; }
* { box-sizing: border-box; }
body { margin: 24px; min-width: 948px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 15px; margin: 0 0 6px; }
.summary { margin: 0 0 10px; color: var(--muted); }
.bad { color: var(--bad); font-weight: 600; }
.caption { display: inline-block; min-width: 64px; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.schedule { margin: 0 0 12px; padding: 8px 12px; background: #f1f5f9; border-radius: 6px; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; overflow-wrap: anywhere; width: 900px; }
.schedule .then { color: var(--muted); }
.findings { width: 900px; margin: 0 0 12px; }
.findings ul { list-style: none; margin: 0; padding: 0; }
.findings li { margin: 0 0 8px; padding: 8px 12px; border-left: 4px solid var(--bad); background: #fef2f2; border-radius: 0 6px 6px 0; overflow-wrap: anywhere; }
.findings li.warning { border-left-color: #d97706; background: #fffbeb; }
.findings .rule { font-weight: 600; }
.findings .where { font-weight: 400; color: var(--muted); font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
.findings .badge { display: inline-block; padding: 0 6px; border-radius: 4px; background: var(--bad); color: #fff; font-size: 11px; text-transform: uppercase; }
.findings li.warning .badge { background: #d97706; }
.findings .because { color: var(--muted); }
.legend { width: 900px; margin: 0 0 8px; font-size: 12px; color: var(--muted); }
.legend .key { margin-right: 14px; white-space: nowrap; }
.legend .key::before { content: ""; display: inline-block; width: 18px; height: 3px; margin: 0 5px 3px 0; vertical-align: middle; background: currentColor; }
.legend .key.notification { color: var(--notification); } .legend .key.control { color: var(--control); }
.legend .key.probe { color: var(--probe); } .legend .key.graph { color: var(--graph); }
.legend .key.failing { color: var(--bad); } .legend .key.failing::before { display: none; }
.legend .hint { font-style: italic; }
svg { display: block; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
svg text { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.lifeline { stroke: #94a3b8; stroke-width: 1.2; stroke-dasharray: 5 4; }
.time-rule { stroke: #e2e8f0; }
.time-caption, .time { font-size: 11px; fill: var(--muted); }
.seq { font-size: 10px; fill: #94a3b8; }
.head-box rect { fill: #f8fafc; stroke: #475569; stroke-width: 1.2; }
.head-box text { font-size: 12px; font-weight: 600; fill: var(--ink); }
.head-box.harness rect { fill: #eff6ff; } .head-box.graph rect { fill: #f1f5f9; }
.event .row { fill: transparent; }
.event:hover .row { fill: #f8fafc; }
.event .label { font-size: ${LABEL_FONT_PX}px; }
.event .outcome { font-size: ${OUTCOME_FONT_PX}px; fill: var(--muted); }
.event .arrow { stroke-width: 1.8; }
.notification .arrow { stroke: var(--notification); } .notification .head, .notification .label { fill: var(--notification); }
.control .arrow { stroke: var(--control); } .control .head, .control .label { fill: var(--control); }
.probe .arrow { stroke: var(--probe); stroke-dasharray: 6 3; } .probe .head, .probe .label { fill: var(--probe); }
.graph .arrow { stroke: var(--graph); } .graph .head, .graph .label { fill: var(--graph); }
.event.failing .row { fill: #fef2f2; stroke: #fecaca; }
.event.failing .arrow { stroke: var(--bad); stroke-width: 2.4; }
.event.failing .head, .event.failing .label, .event.failing .mark { fill: var(--bad); }
.event.failing .outcome { fill: #b91c1c; font-weight: 600; }
.event.failing text { stroke: #fef2f2; }
.mark { font-size: 14px; font-weight: 700; }
.empty { font-size: 13px; fill: var(--muted); }
`
  .trim()
  .replace(/\n/g, ' ');
