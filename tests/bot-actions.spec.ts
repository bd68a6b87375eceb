/**
 * Actions through a bot's own API, piece by piece: which action a control step is, templates and
 * their JSON types, the Teams join URL (round trip through the join bot's own parser), what a
 * trigger carries of a control body, the mapped probe view, start.env, and which scenarios apply.
 */
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { actionOf } from '../harness/model/suite.js';
import { expandTemplate } from '../harness/model/trigger-template.js';
import { teamsJoinUrl } from '../harness/model/teams-join-url.js';
import { carriedPointers, projectOnto } from '../harness/model/trigger-carries.js';
import { applicability } from '../harness/model/applicability.js';
import { mappedView } from '../harness/run/bot-probe.js';
import { loadProject } from '../harness/load/load-project.js';
import { parseTarget } from '../harness/load/load-target.js';
import type { TargetProfile } from '../harness/model/target.js';
import { ROOT } from './support/cli.js';

const project = loadProject({ root: ROOT, recordingsDir: 'recordings', suitePatterns: ['suites/*.yaml'], targetFile: 'targets/reference-bot.yaml' }).project;
const scenario = (id: string) => project.suites.flatMap((s) => s.scenarios).find((s) => `${s.suiteId}/${s.id}` === id)!;
const joinMeetingBody = project.recordings.get('create-call/request-join-meeting-service-hosted-media')!.body as Record<string, any>;

test('a control step names its action: createCall or joinMeeting by the body, hangUp, and the verb of any other path', () => {
  expect(actionOf('POST', '/calls', { targets: [] })).toEqual({ action: 'createCall' });
  expect(actionOf('POST', '/calls', joinMeetingBody)).toEqual({ action: 'joinMeeting' });
  expect(actionOf('POST', '/calls', { meetingInfo: { joinMeetingId: '1' } })).toEqual({ action: 'joinMeeting' });
  expect(actionOf('DELETE', '/calls/c1', undefined)).toEqual({ action: 'hangUp', callId: 'c1' });
  expect(actionOf('POST', '/calls/c1/transfer', {})).toEqual({ action: 'transfer', callId: 'c1' });
  expect(actionOf('POST', '/calls/c1/participants/p1/startHoldMusic', {})).toEqual({ action: 'startHoldMusic', callId: 'c1', participantId: 'p1' });
  expect(actionOf('POST', '/calls/c1/playPrompt', {})).toEqual({ action: 'playPrompt', callId: 'c1' });
  expect(actionOf('GET', '/calls/c1', undefined)).toBeUndefined();
  expect(actionOf('POST', '/health', {})).toBeUndefined();
});

test('a string that is exactly one placeholder keeps the value\'s JSON type; inside text it is text; a URL encodes it', () => {
  const values = { body: { n: 3, flag: true, obj: { a: 1 }, 'a/b': 'slash' }, callId: 'c 1', profile: { 'auth.appId': 'app' } };
  expect(expandTemplate({ n: '${/n}', flag: '${/flag}', obj: '${/obj}', text: 'n=${/n} ${/obj}', esc: '${/a~1b}', app: '${auth.appId}' }, values).value).toEqual({ n: 3, flag: true, obj: { a: 1 }, text: 'n=3 {"a":1}', esc: 'slash', app: 'app' });
  expect(expandTemplate('http://bot/calls/${call.id}', values, encodeURIComponent).value).toBe('http://bot/calls/c%201');
  expect(expandTemplate({ x: '${/missing}', y: '${joinUrl}' }, values).missing.map((m) => m.placeholder)).toEqual(['/missing', 'joinUrl']);
});

test('the Teams join URL of a meeting carries its thread, message and organizer, and the join bot reads them back', async () => {
  const url = teamsJoinUrl(joinMeetingBody)!;
  expect(url).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\/19%3Ameeting_[^/]+%40thread\.v2\/0\?context=%7B%22Tid%22/);
  const { parseJoinLink } = await import(join(ROOT, 'tests/fixtures/join-bot/teams-link.mjs'));
  expect(parseJoinLink(url)).toEqual({ threadId: joinMeetingBody.chatInfo.threadId, messageId: '0', tenantId: joinMeetingBody.meetingInfo.organizer.user.tenantId, organizerId: joinMeetingBody.meetingInfo.organizer.user.id });
  // A join by meeting id has no chat thread: no join URL.
  expect(teamsJoinUrl(project.recordings.get('create-call/request-join-meeting-id')!.body)).toBeUndefined();
});

test('an expectation on a body the trigger passed on in part requires only what it carried', () => {
  const byUrl = { http: { method: 'POST', url: 'http://bot/join', body: { joinUrl: '${joinUrl}' } } };
  const pointers = carriedPointers(byUrl)!;
  expect(projectOnto(joinMeetingBody, pointers)).toEqual({
    chatInfo: { threadId: joinMeetingBody.chatInfo.threadId, messageId: '0' },
    meetingInfo: { organizer: { user: { id: joinMeetingBody.meetingInfo.organizer.user.id, tenantId: joinMeetingBody.meetingInfo.organizer.user.tenantId } } },
  });
  expect(carriedPointers({ http: { method: 'POST', url: 'http://bot/calls', body: '${body}' } })).toBeUndefined();
  expect(carriedPointers({ command: { run: 'join.sh' } })).toBeUndefined();
  expect(carriedPointers({ http: { method: 'POST', url: 'http://bot/t', body: { to: '${/transferTarget}' } } })).toEqual(['/transferTarget']);
});

test('a mapped probe reads the bot\'s own status onto the probe view', () => {
  const mapping = { url: 'http://bot/${call.id}', state: '/meeting/status', participants: '/people', participantId: '/participantId', isInLobby: '/waitingInLobby', isMuted: '/muted' };
  expect(mappedView(mapping, { meeting: { status: 'established' }, people: [{ participantId: 'p1', muted: true, waitingInLobby: false }] })).toEqual({ state: 'established', participants: [{ id: 'p1', isInLobby: false, isMuted: true }] });
});

test('start.env values: numbers and booleans as strings, profile fields filled in', () => {
  const text = ['name: t', 'callbackUri: http://127.0.0.1:1/cb', 'graph: { listen: "127.0.0.1:2" }', 'auth: { appId: 11111111-2222-3333-4444-555555555555, tenantId: aa67bd4c-8475-432d-bd41-39f255720e0a, clientSecret: s3 }', 'start:', '  command: node bot.mjs', '  ready: tcp://127.0.0.1:1', '  env: { PORT: 8080, DEBUG: false, APP: "${auth.appId}", URL: "cb=${callbackUri}", SECRET: "${auth.clientSecret}" }', ''].join('\n');
  const { value, problems } = parseTarget('t.yaml', text);
  expect(problems).toEqual([]);
  expect(value!.start!.env).toEqual({ PORT: '8080', DEBUG: 'false', APP: '11111111-2222-3333-4444-555555555555', URL: 'cb=http://127.0.0.1:1/cb', SECRET: 's3' });
});

test('which scenarios apply: the control API drives all; a join bot only what it declares and can trigger', () => {
  const reference = project.target!;
  for (const s of project.suites.flatMap((x) => x.scenarios)) expect(applicability(s, reference, project.recordings), `${s.suiteId}/${s.id}`).toEqual({ applies: true });
  const joinBot: TargetProfile = { ...reference, control: undefined, probe: undefined, capabilities: ['joinsMeetings', 'hangsUp'], actions: { joinMeeting: { http: { method: 'POST', url: 'http://bot/join', body: { joinUrl: '${joinUrl}' } } } } };
  expect(applicability(scenario('roster/delta-roster'), joinBot, project.recordings)).toEqual({ applies: true });
  expect(applicability(scenario('inbound-auth/forged-none'), joinBot, project.recordings)).toEqual({ applies: true });
  expect(applicability(scenario('incoming-call/answer'), joinBot, project.recordings)).toEqual({ applies: false, reason: 'the bot does not declare answersIncomingCalls (step 1 notifies an incoming call)' });
  expect(applicability(scenario('create-call/join-meeting-id'), joinBot, project.recordings)).toMatchObject({ applies: false, reason: expect.stringContaining('no Teams join URL') });
  // A scenario's own needs count too.
  expect(applicability({ ...scenario('roster/full-roster'), needs: ['playsPrompts'] }, joinBot, project.recordings)).toEqual({ applies: false, reason: 'the bot does not declare playsPrompts (the scenario needs it)' });
  // Declared but not mapped, and no control API: the step cannot be triggered.
  const noHangUp = { ...joinBot, capabilities: [...joinBot.capabilities!, 'answersIncomingCalls' as const] };
  expect(applicability(scenario('incoming-call/bot-hangs-up'), noHangUp, project.recordings)).toMatchObject({ applies: false, reason: expect.stringContaining('maps no trigger for it') });
});

test('a command trigger gets the values in its environment; exit 0 is done (its JSON stdout may give the call id), another exit a refusal', async () => {
  const { triggerAction } = await import('../harness/run/bot-action.js');
  const values = { body: { chatInfo: { threadId: 't' } }, callId: 'c-1', participantId: 'p-1', joinUrl: 'https://teams.microsoft.com/l/meetup-join/x/0?context=%7B%7D', profile: { 'auth.appId': 'app-1' } };
  const echo = `node -e "console.log(JSON.stringify({ id: process.env.CONFCALL_CALL_ID + '/' + process.env.CONFCALL_PARTICIPANT_ID, action: process.env.CONFCALL_ACTION, url: process.env.CONFCALL_JOIN_URL, body: JSON.parse(process.env.CONFCALL_CONTROL_BODY), app: process.env.APP }))"`;
  const done = await triggerAction({ command: { run: echo, env: { APP: '${auth.appId}' } }, result: { callId: '/id' } }, values, 'joinMeeting');
  expect(done).toMatchObject({ outcome: 'done', status: 0, callId: 'c-1/p-1', responseBody: { action: 'joinMeeting', url: values.joinUrl, body: values.body, app: 'app-1' } });
  const refused = await triggerAction({ command: { run: 'echo "meeting is full" >&2; exit 3' } }, values, 'joinMeeting');
  expect(refused).toMatchObject({ outcome: 'refused', status: 3, said: 'exited with code 3: "meeting is full"' });
});
