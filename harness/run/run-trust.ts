/**
 * What a started bot needs to trust the run's CA and to go through confcall's proxy, in the
 * variables each runtime reads: OpenSSL (SSL_CERT_FILE: .NET on Linux, Go, curl, Python's ssl),
 * Python requests (REQUESTS_CA_BUNDLE), curl (CURL_CA_BUNDLE), Node (NODE_EXTRA_CA_CERTS), and the
 * JVM (JAVA_TOOL_OPTIONS with a PKCS#12 trust store made for the run, and the proxy properties).
 */

/** Password of the run's Java trust store (it holds no secret and has no MAC; a password keeps old JVMs content). */
const TRUST_STORE_PASSWORD = 'confcall';

/** Where confcall's proxy listens, for the bot's proxy variables. */
export interface ProxyAddress {
  url: string;
  host: string;
  port: number;
}

/**
 * The trust variables for the run's CA file, and with `proxy` the proxy variables in both cases
 * (curl and Go read the lower-case ones first, others the upper). `javaTrustStore`: the JVM's.
 */
export function trustEnvironment(caFile: string, javaTrustStore?: string, proxy?: ProxyAddress): Record<string, string> {
  const noProxy = 'localhost,127.0.0.1,::1';
  const java = [
    ...(proxy ? [`-Dhttps.proxyHost=${proxy.host}`, `-Dhttps.proxyPort=${proxy.port}`, `-Dhttp.proxyHost=${proxy.host}`, `-Dhttp.proxyPort=${proxy.port}`, '-Dhttp.nonProxyHosts=localhost|127.*|[::1]'] : []),
    ...(javaTrustStore ? javaTrustOptions(javaTrustStore) : []),
  ];
  return {
    SSL_CERT_FILE: caFile,
    REQUESTS_CA_BUNDLE: caFile,
    CURL_CA_BUNDLE: caFile,
    NODE_EXTRA_CA_CERTS: caFile,
    ...(java.length && { JAVA_TOOL_OPTIONS: java.join(' ') }),
    ...(proxy && { HTTPS_PROXY: proxy.url, https_proxy: proxy.url, HTTP_PROXY: proxy.url, http_proxy: proxy.url, NO_PROXY: noProxy, no_proxy: noProxy }),
  };
}

function javaTrustOptions(trustStore: string): string[] {
  return [`-Djavax.net.ssl.trustStore=${trustStore}`, '-Djavax.net.ssl.trustStoreType=PKCS12', `-Djavax.net.ssl.trustStorePassword=${TRUST_STORE_PASSWORD}`];
}
