/**
 * The variable that names the fake Graph to the `--require` preload in a started bot. Its own module,
 * so the harness can name it without loading nock (which patches node:http and fetch on load).
 */
export const INTERCEPT_GRAPH_URL_ENV = 'CONFCALL_INTERCEPT_GRAPH_URL';
