import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import {
  compileGraphRequestValidator,
  GRAPH_REQUEST_KINDS,
  graphRequestKindOf,
  graphRequestSchemaFile,
  graphRequestValidator,
  graphSchemaDir,
  precompiledGraphValidators,
  validateGraphRequest,
  type GraphRequestKind,
} from '../harness/graph/request-schemas.js';
import { defaultCsdlPath, generateGraphSchemas } from '../scripts/generate-graph-schemas.js';

// Request bodies copied from the documents (/work/shared/docs and research/graph-calling.md),
// with the documents' trailing commas removed.
const documented: Array<{ source: string; path: string; body: unknown }> = [
  {
    source: '001 call: create, peer-to-peer with service-hosted media',
    path: '/communications/calls',
    body: {
      '@odata.type': '#microsoft.graph.call',
      callbackUri: 'https://bot.contoso.com/callback',
      targets: [
        {
          '@odata.type': '#microsoft.graph.invitationParticipantInfo',
          identity: {
            '@odata.type': '#microsoft.graph.identitySet',
            user: { '@odata.type': '#microsoft.graph.identity', displayName: 'John', id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8' },
          },
        },
      ],
      requestedModalities: ['audio'],
      callOptions: { '@odata.type': '#microsoft.graph.outgoingCallOptions', isContentSharingNotificationEnabled: true },
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    },
  },
  {
    // A target typed participantInfo where invitationParticipantInfo is declared (quirk Q15), and a
    // beta-only property on mediaConfig: both as the document shows them.
    source: '001 call: create, group call with service-hosted media',
    path: '/communications/calls',
    body: {
      '@odata.type': '#microsoft.graph.call',
      direction: 'outgoing',
      subject: 'Create a group call with service hosted media',
      callbackUri: 'https://bot.contoso.com/callback',
      source: {
        '@odata.type': '#microsoft.graph.participantInfo',
        identity: {
          '@odata.type': '#microsoft.graph.identitySet',
          application: { '@odata.type': '#microsoft.graph.identity', displayName: 'TestBot', id: 'dd3885da-f9ab-486b-bfae-85de3d445555' },
        },
      },
      targets: [
        {
          '@odata.type': '#microsoft.graph.invitationParticipantInfo',
          identity: {
            '@odata.type': '#microsoft.graph.identitySet',
            user: { '@odata.type': '#microsoft.graph.identity', displayName: 'user1', id: '98da8a1a-1b87-452c-a713-65d3f10b5555' },
          },
        },
        {
          '@odata.type': '#microsoft.graph.participantInfo',
          identity: {
            '@odata.type': '#microsoft.graph.identitySet',
            user: { '@odata.type': '#microsoft.graph.identity', displayName: 'user2', id: 'bf5aae9a-d11d-47a8-93b1-782504c95555' },
          },
        },
      ],
      requestedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig', removeFromDefaultAudioGroup: false },
      tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a',
    },
  },
  {
    // Explicit nulls, including a null enum (endpointType).
    source: '001 call: create, PSTN with service-hosted media',
    path: '/communications/calls',
    body: {
      '@odata.type': '#microsoft.graph.call',
      callbackUri: 'https://bot.contoso.com/callback',
      source: {
        '@odata.type': '#microsoft.graph.participantInfo',
        identity: {
          '@odata.type': '#microsoft.graph.identitySet',
          applicationInstance: { '@odata.type': '#microsoft.graph.identity', displayName: 'Calling Bot', id: '3d913abb-aec0-4964-8fa6-3c6850c4f278' },
        },
        countryCode: null,
        endpointType: null,
        region: null,
        languageId: null,
      },
      targets: [
        {
          '@odata.type': '#microsoft.graph.invitationParticipantInfo',
          identity: { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: '+12345678901' } },
        },
      ],
      requestedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
      tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a',
    },
  },
  {
    source: '003 call: transfer, blind peer-to-peer',
    path: '/communications/calls/{id}/transfer',
    body: {
      transferTarget: {
        endpointType: 'default',
        identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', displayName: 'Heidi Steen' } },
        languageId: 'languageId-value',
        region: 'region-value',
      },
    },
  },
  {
    source: '003 call: transfer, consultative',
    path: '/communications/calls/341a0500-d4bf-4224-8b19-1581168d328b/transfer',
    body: {
      transferTarget: {
        '@odata.type': '#microsoft.graph.invitationParticipantInfo',
        endpointType: 'default',
        identity: {
          '@odata.type': '#microsoft.graph.identitySet',
          user: {
            '@odata.type': '#microsoft.graph.identity',
            id: '550fae72-d251-43ec-868c-373732c2704f',
            tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
            displayName: 'Heidi Steen',
          },
        },
        languageId: 'en-us',
        region: 'amer',
        replacesCallId: 'e5d39592-99bd-4db8-bca8-30fb894ec51d',
      },
    },
  },
  {
    source: '003 call: transfer, to PSTN',
    path: '/communications/calls/{id}/transfer',
    body: {
      transferTarget: {
        endpointType: 'default',
        identity: { phone: { '@odata.type': '#microsoft.graph.identity', id: '+12345678901' } },
        languageId: 'languageId-value',
        region: 'region-value',
      },
    },
  },
  {
    source: '003 call: transfer, consultative to PSTN',
    path: '/communications/calls/341a0500-d4bf-4224-8b19-1581168d328b/transfer',
    body: {
      transferTarget: {
        '@odata.type': '#microsoft.graph.invitationParticipantInfo',
        endpointType: 'default',
        identity: { '@odata.type': '#microsoft.graph.identitySet', phone: { '@odata.type': '#microsoft.graph.identity', id: '+12345678901' } },
        languageId: 'en-us',
        region: 'amer',
        replacesCallId: 'e5d39592-99bd-4db8-bca8-30fb894ec51d',
      },
    },
  },
  {
    source: '003 call: transfer, from a group call (transferee)',
    path: '/communications/calls/{id}/transfer',
    body: {
      transferTarget: {
        endpointType: 'default',
        identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', displayName: 'Heidi Steen' } },
      },
      transferee: {
        identity: { user: { id: '751f6800-3180-414d-bd94-333364659951', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' } },
        participantId: '909c6581-5130-43e9-88f3-fcb3582cde37',
      },
      languageId: 'languageId-value',
      region: 'region-value',
    },
  },
  {
    source: '000 participant: startHoldMusic',
    path: '/communications/calls/e141b67c-90fd-455d-858b-b48a40b9cc8d/participants/fa1e9582-7145-4ca3-bcd8-577f561fcb6e/startHoldMusic',
    body: {
      customPrompt: {
        '@odata.type': '#microsoft.graph.mediaPrompt',
        mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://bot.contoso.com/onHold.wav' },
      },
      clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c',
    },
  },
  {
    source: '002 participant: stopHoldMusic',
    path: '/communications/calls/e141b67c-90fd-455d-858b-b48a40b9cc8d/participants/fa1e9582-7145-4ca3-bcd8-577f561fcb6e/stopHoldMusic',
    body: { clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c' },
  },
  {
    source: 'graph-calling.md call: answer, service-hosted media',
    path: '/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/answer',
    body: {
      callbackUri: 'https://bot.contoso.com/api/calls',
      acceptedModalities: ['audio'],
      mediaConfig: {
        '@odata.type': '#microsoft.graph.serviceHostedMediaConfig',
        preFetchMedia: [
          { uri: 'https://cdn.contoso.com/beep.wav', resourceId: '1D6DE2D4-CD51-4309-8DAA-70768651088E' },
          { uri: 'https://cdn.contoso.com/cool.wav', resourceId: '1D6DE2D4-CD51-4309-8DAA-70768651088F' },
        ],
      },
    },
  },
];

/** The kind a documented request's path routes to; the test fails if it routes nowhere. */
function kindOfPath(path: string): GraphRequestKind {
  const kind = graphRequestKindOf('POST', path);
  expect(kind, `no request kind for POST ${path}`).toBeDefined();
  return kind!;
}

const p2pCreateCall = documented[0]!.body as Record<string, unknown>;
const blindTransfer = documented[3]!.body as { transferTarget: Record<string, unknown> };
const groupTransfer = documented[7]!.body as { transferee: Record<string, unknown> };
const answer = documented[10]!.body as Record<string, unknown>;

test.describe('Graph request schemas', () => {
  for (const { source, path, body } of documented) {
    test(`documented body validates: ${source}`, () => {
      expect(validateGraphRequest(kindOfPath(path), body)).toEqual([]);
    });
  }

  test('acceptedModalities given as a string is caught at its path', () => {
    expect(validateGraphRequest('answer', { ...answer, acceptedModalities: 'audio' })).toEqual([
      { path: '/acceptedModalities', message: 'must be array or null, got string "audio"' },
    ]);
  });

  test('a transfer without transferTarget names the missing parameter', () => {
    expect(validateGraphRequest('transfer', {})).toEqual([{ path: '/transferTarget', message: 'is required but missing' }]);
  });

  test('an unknown endpointType member is caught, and unknownFutureValue is not a value to send', () => {
    const bogus = { ...groupTransfer, transferee: { ...groupTransfer.transferee, endpointType: 'hologram' } };
    expect(validateGraphRequest('transfer', bogus)).toEqual([
      {
        path: '/transferee/endpointType',
        message: 'must be one of "default", "voicemail", "skypeForBusiness", "skypeForBusinessVoipPhone"; got string "hologram"',
      },
    ]);
    const sentinel = { ...groupTransfer, transferee: { ...groupTransfer.transferee, endpointType: 'unknownFutureValue' } };
    expect(validateGraphRequest('transfer', sentinel).map((p) => p.path)).toEqual(['/transferee/endpointType']);
  });

  test('clientContext given as a number is caught', () => {
    expect(validateGraphRequest('stopHoldMusic', { clientContext: 42 })).toEqual([{ path: '/clientContext', message: 'must be string or null, got number 42' }]);
  });

  test('every error is reported, each at its own path', () => {
    const problems = validateGraphRequest('createCall', { ...p2pCreateCall, callbackUri: undefined, requestedModalities: 'audio', targets: [{}] });
    expect(problems.map((p) => p.path).sort()).toEqual(['/callbackUri', '/requestedModalities', '/targets/0/identity']);
  });

  test('a derived type named by @odata.type is checked as that type, and as the base type without it', () => {
    const appHosted = { ...answer, mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: 42 } };
    expect(validateGraphRequest('answer', appHosted)).toEqual([{ path: '/mediaConfig/blob', message: 'must be string or null, got number 42' }]);
    const untyped = { ...answer, mediaConfig: { blob: 42 } };
    expect(validateGraphRequest('answer', untyped)).toEqual([]);
    const meeting = { ...p2pCreateCall, meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', passcode: 'psw123' } };
    expect(validateGraphRequest('createCall', meeting)).toEqual([{ path: '/meetingInfo/joinMeetingId', message: 'is required but missing' }]);
  });

  test('a wrongly typed nested value is located precisely', () => {
    const body = { ...blindTransfer, transferTarget: { ...blindTransfer.transferTarget, identity: { user: { id: 7 } } } };
    expect(validateGraphRequest('transfer', body)).toEqual([{ path: '/transferTarget/identity/user/id', message: 'must be string or null, got number 7' }]);
  });

  test('a request without a body is an empty parameter set', () => {
    expect(validateGraphRequest('keepAlive', undefined)).toEqual([]);
    expect(validateGraphRequest('transfer', undefined)).toEqual([{ path: '/transferTarget', message: 'is required but missing' }]);
  });

  test('paths route to request kinds', () => {
    expect(graphRequestKindOf('POST', '/communications/calls')).toBe('createCall');
    expect(graphRequestKindOf('post', '/communications/calls/')).toBe('createCall');
    expect(graphRequestKindOf('POST', '/communications/calls/abc/answer')).toBe('answer');
    expect(graphRequestKindOf('POST', '/communications/calls/abc/microsoft.graph.answer')).toBe('answer');
    expect(graphRequestKindOf('POST', '/communications/calls/abc/mute')).toBe('mute');
    expect(graphRequestKindOf('POST', '/communications/calls/abc/participants/p1/mute')).toBe('mute');
    expect(graphRequestKindOf('POST', '/communications/calls/abc/participants/p1/startHoldMusic')).toBe('startHoldMusic');
    expect(graphRequestKindOf('POST', '/communications/calls/abc/participants/invite')).toBe('invite');
    expect(graphRequestKindOf('POST', '/communications/calls/abc/participants/p1/invite')).toBeUndefined();
    expect(graphRequestKindOf('POST', '/communications/calls/abc/startHoldMusic')).toBeUndefined();
    expect(graphRequestKindOf('GET', '/communications/calls/abc')).toBeUndefined();
    expect(graphRequestKindOf('DELETE', '/communications/calls/abc')).toBeUndefined();
    expect(graphRequestKindOf('POST', '/communications/calls/abc/operations/op1')).toBeUndefined();
    expect(graphRequestKindOf('POST', '/communications/calls//answer')).toBeUndefined();
  });

  test('every generated schema has a request kind, compiles in strict mode, and its documented paths route to it', () => {
    const files = readdirSync(graphSchemaDir()).filter((f) => f.endsWith('.schema.json') && f !== 'definitions.schema.json');
    expect(files.sort()).toEqual(GRAPH_REQUEST_KINDS.map(graphRequestSchemaFile).sort());
    for (const kind of GRAPH_REQUEST_KINDS) {
      expect(compileGraphRequestValidator(kind)).toBeInstanceOf(Function);
      const schema = JSON.parse(readFileSync(join(graphSchemaDir(), graphRequestSchemaFile(kind)), 'utf8')) as { description: string };
      const paths = [...schema.description.matchAll(/POST (\S+?):?(?= |$)/g)].map((m) => m[1]!);
      expect(paths.length, kind).toBeGreaterThan(0);
      for (const path of paths) expect(graphRequestKindOf('POST', path.replace(/\{\w+\}/g, 'x')), path).toBe(kind);
    }
  });

  test("the build's precompiled validators are used, and judge as a fresh compile does", () => {
    expect(precompiledGraphValidators()?.schemasSha256, 'npm run build writes dist/harness/graph/validators/graph-requests.cjs').toMatch(/^[0-9a-f]{64}$/);
    const judged = (validate: ReturnType<typeof graphRequestValidator>, value: unknown) => ({ valid: validate(value), errors: validate.errors ?? null });
    for (const kind of GRAPH_REQUEST_KINDS) {
      const built = graphRequestValidator(kind);
      expect(built, kind).toBe(precompiledGraphValidators()![kind]);
      const fresh = compileGraphRequestValidator(kind);
      for (const { path, body } of documented) expect(judged(built, body), `${kind} on ${path}`).toEqual(judged(fresh, body));
      // Random bodies: mostly wrong, in the ways the schemas can say (types, enums, formats, required members).
      const member = fc.constantFrom('@odata.type', 'callbackUri', 'targets', 'identity', 'user', 'id', 'endpointType', 'clientContext', 'mediaConfig', 'acceptedModalities', 'transferTarget', 'transferee', 'x');
      const value = fc.letrec((tie) => ({ node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), fc.constantFrom('2026-01-01T00:00:00Z', 'not-a-date', '#microsoft.graph.identitySet', 'audio'), fc.dictionary(member, tie('node'), { maxKeys: 4 }), fc.array(tie('node'), { maxLength: 2 })) }));
      fc.assert(fc.property(fc.dictionary(member, value.node, { maxKeys: 5 }), (body) => void expect(judged(built, body)).toEqual(judged(fresh, body))), { numRuns: 60, seed: 17 });
    }
  });

  const csdlPath = defaultCsdlPath();
  test('the committed schemas are exactly what the CSDL extract generates', () => {
    test.skip(!existsSync(csdlPath), `the CSDL extract is not here (${csdlPath}); it lives beside the repo, in ../shared/graph-metadata`);
    const generated = generateGraphSchemas(readFileSync(csdlPath, 'utf8'));
    const committed = readdirSync(graphSchemaDir()).filter((f) => f.endsWith('.schema.json')).sort();
    expect(committed).toEqual(generated.map((f) => f.name));
    for (const file of generated) expect(readFileSync(join(graphSchemaDir(), file.name), 'utf8'), file.name).toBe(file.text);
  });
});
