/**
 * The files through which a conformance run's processes (Playwright's runner and worker, the global
 * setup) tell `confcall run` what happened. Their own module, so that `confcall run` can name them
 * without loading the global setup's TLS and proxy code.
 */

/** The file through which the conformance run tells `confcall run` that the bot could not be reached. */
export const UNREACHABLE_FILE = 'unreachable.json';
/** The started bot's pid while it runs: if Playwright is killed before its teardown, `confcall run` stops the bot itself. */
export const BOT_PROCESS_FILE = 'bot-process.json';
/** Everything the started bot wrote to stdout and stderr, for whoever reads why a scenario failed (and for the mutant tests). */
export const BOT_OUTPUT_FILE = 'bot-output.log';
/** Hosts confcall's proxy refused, one JSON object a line (graph/intercepting-proxy.ts ProxyRefusal); the tests fail on them. */
export const PROXY_REFUSALS_FILE = 'proxy-refusals.jsonl';
/** The folder (inside the run's out folder) holding the run's CA, its key, and the Java trust store. */
export const RUN_CA_FOLDER = 'tls';
