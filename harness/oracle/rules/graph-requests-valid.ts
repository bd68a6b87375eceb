import { graphExchanges, type ProtocolRule } from './rule.js';

/** Every Graph request carries a bearer token the token endpoint issued. */
export const graphRequestsAuthenticated: ProtocolRule = {
  id: 'GRAPH-BEARER-TOKEN',
  level: 'MUST',
  because: 'Graph requests need an app-only token from the client-credentials flow (graph-calling.md PART 3: "Outbound (bot → Graph): client-credentials via MSAL ... scope https://graph.microsoft.com/.default")',
  exercised: (transcript) => graphExchanges(transcript).length > 0,
  check: (transcript) =>
    graphExchanges(transcript)
      .filter((e) => e.authProblem)
      .map((e) => ({ actual: `sent ${e.method} ${e.rawPath} with ${e.authProblem}`, expected: 'Authorization: Bearer <token from the token endpoint>' })),
};

/** Every Graph request body is valid against the Graph metadata, and is JSON. */
export const graphRequestsSchemaValid: ProtocolRule = {
  id: 'GRAPH-REQUEST-SCHEMA',
  level: 'MUST',
  because: 'request bodies are typed by the Graph metadata (graph-metadata/comms-v1.0.csdl.xml, microsoftgraph/msgraph-metadata)',
  exercised: (transcript) => graphExchanges(transcript).some((e) => e.method === 'POST' || e.method === 'PATCH'),
  check: (transcript) =>
    graphExchanges(transcript).flatMap((e) => {
      if (e.rawBody !== undefined) return [{ actual: `sent ${e.method} ${e.rawPath} with a body that is not JSON`, expected: 'a JSON body' }];
      if (!e.schemaProblems.length) return [];
      return [{ actual: `sent ${e.method} ${e.rawPath} with ${e.schemaProblems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`, expected: `a body valid against the ${e.requestKind} parameters of the Graph metadata` }];
    }),
};
