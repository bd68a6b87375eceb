/**
 * Inbound notification JWT validation. graph-calling.md: "validate the token, ensure it has not
 * expired, checking whether it has been signed by our published openid configuration. You must
 * also check whether audience matches your App ID"; the token carries "tid is the tenant id".
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';

/** Makes `verify(authorizationHeader) → Promise<boolean>` for the OpenID configuration at `openIdConfigUrl`. */
export function makeNotificationVerifier({ openIdConfigUrl, appId }) {
  let keySet; // resolved lazily: the OpenID configuration names the JWKS
  async function keys() {
    if (!keySet) {
      const res = await fetch(openIdConfigUrl);
      if (!res.ok) throw new Error(`OpenID configuration: HTTP ${res.status}`);
      const { jwks_uri: jwksUri } = await res.json();
      keySet = createRemoteJWKSet(new URL(jwksUri));
    }
    return keySet;
  }
  return async function verify(authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return false;
    try {
      await jwtVerify(match[1], await keys(), {
        algorithms: ['RS256'], // never 'none' nor HS*: the configuration lists RS256 only
        issuer: 'https://graph.microsoft.com',
        audience: appId,
        requiredClaims: ['tid', 'exp', 'nbf'],
        clockTolerance: 5,
      });
      return true;
    } catch {
      return false; // bad signature, unknown kid, wrong aud/iss, expired, not yet valid, no tid
    }
  };
}
