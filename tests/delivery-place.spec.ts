import { test, expect } from '@playwright/test';
import { deliveryPlace, isDeliverable, isLoopbackHost } from '../harness/notify/delivery-place.js';
import { parseTarget } from '../harness/load/load-target.js';

const policy = { callbackUri: 'http://127.0.0.1:3978/api/calls' };

test('loopback by spelling alone: 127.0.0.0/8, ::1, localhost; nothing else', () => {
  for (const host of ['127.0.0.1', '127.9.8.7', '[::1]', '::1', 'localhost', 'LOCALHOST', 'bot.localhost']) expect(isLoopbackHost(host), host).toBe(true);
  for (const host of ['bot.example.invalid', '10.0.0.1', '128.0.0.1', 'localhost.example.com', '[::2]', '0.0.0.0']) expect(isLoopbackHost(host), host).toBe(false);
});

test('a foreign callbackUri is replaced by the profile\'s, and named; loopback, the profile\'s origin and allowed hosts are kept', () => {
  expect(deliveryPlace('https://bot.example.invalid/api/calls', policy)).toEqual({ url: policy.callbackUri, refused: 'https://bot.example.invalid/api/calls' });
  expect(deliveryPlace(undefined, policy)).toEqual({ url: policy.callbackUri });
  expect(deliveryPlace('http://localhost:4000/cb', policy)).toEqual({ url: 'http://localhost:4000/cb' });
  const remote = { callbackUri: 'https://bot.contoso.com/api/calls' };
  expect(deliveryPlace('https://bot.contoso.com/other', remote)).toEqual({ url: 'https://bot.contoso.com/other' });
  expect(isDeliverable('https://bot.contoso.com:8443/x', remote)).toBe(false);
  expect(isDeliverable('https://media.contoso.com/x', { ...policy, allowHosts: ['Media.Contoso.com'] })).toBe(true);
  expect(isDeliverable('not a url', policy)).toBe(false);
});

test('notify.allowHosts: a bad host is a problem at its file:line:col', () => {
  const text = 'name: t\ncallbackUri: http://127.0.0.1:3978/api/calls\ngraph: { listen: 127.0.0.1:4455 }\nauth: { appId: 11111111-2222-3333-4444-555555555555, tenantId: aa67bd4c-8475-432d-bd41-39f255720e0a }\nnotify:\n  allowHosts:\n    - bot.contoso.com\n    - https://bot.contoso.com/\n';
  const { value, problems } = parseTarget('t.yaml', text);
  expect(value).toBeUndefined();
  expect(problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.path}`)).toEqual(['t.yaml:8:7: notify.allowHosts[1]']);
  expect(parseTarget('t.yaml', text.replace('    - https://bot.contoso.com/\n', '')).value?.notify?.allowHosts).toEqual(['bot.contoso.com']);
});
