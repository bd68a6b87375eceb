/** Text of `confcall --help`. */
export const USAGE = `confcall: conformance runs for Microsoft Graph calling bots

Usage:
  confcall run [--target FILE | --callback-uri URL] [--suite GLOB]... [--recordings DIR]... [--grep RE]
               [--runs N] [--seed S] [--concurrency N] [--workers N] [--strict] [--time-limit SECONDS]
               [--replay TOKEN] [--reporter list,junit,json,html] [--out DIR] [--shard I/N]
               [--baseline SUMMARY.json] [--profile certification [--expected-failures FILE]]
      --runs N     also explore N schedules per scenario: every order the documents allow,
                   and (as warnings, failures with --strict) duplicates, any order, delays
      --workers N  how many tests run at once against the bot (default 32; each test's calls
                   have their own ids); 1 runs them one after another. A bot that holds only
                   so many calls at once says so in its profile (callsAtOnce). The verdicts
                   are the same either way
      --replay T   re-run exactly the failing schedule a previous run printed
      --baseline F fail only on failures that the summary.json F of an earlier run did not have
      --recordings DIR  also read recordings from DIR (a capture's: confcall record --out DIR)
      --shard I/N  run the I-th of N parts, writing a blob report into OUT/blob-report/
  confcall merge-reports DIR... [--out DIR] [--reporter list,junit,json,html] [--baseline SUMMARY.json]
                                      merge the shards' blob reports into one set of reports
                                      (DIR: the shards' --out folders); --baseline as for run
  confcall init [--name NAME] [--callback-uri URL] [--start COMMAND] [--ready URL] [--intercept]
                [--control URL [--probe]] [--capabilities A,B,...] [--graph-listen HOST:PORT]
                [--app-id ID] [--tenant-id ID] [--client-secret S] [--ci github|none] [--shards N]
                [--force] [--yes]
                                      in a bot's repository: write confcall/targets/NAME.yaml (the bot's
                                      profile, commented), confcall/targets/reference-bot.yaml,
                                      .github/workflows/confcall.yml, and yaml.schemas in
                                      .vscode/settings.json if .vscode/ exists; overwrites nothing
                                      without --force. On a terminal it asks for the name, callbackUri,
                                      start command and control API no flag gave (--yes: it asks
                                      nothing); elsewhere (CI, scripts) it never asks
  confcall serve --target FILE [--out DIR]
                                      fake Graph only, for exploring a bot by hand (graph.tls:
                                      the run's CA goes into DIR/tls/, default reports/)
  confcall proxy --target FILE [--out DIR] [--listen HOST:PORT]
                                      the same behind the intercepting proxy: prints HTTPS_PROXY
                                      and the trust variables for a bot in any language
  confcall validate [--recordings DIR]... [PATH]...
                                      lint suites, recordings and targets
  confcall record --upstream URL --bot URL [--control URL] [--authority URL] [--listen HOST:PORT]
                  [--name NAME] [--out DIR] [--redact FILE] [--secret VALUE]... [--duration SECONDS]
                                      stand between a bot and Graph, then write what passed as
                                      recordings (DIR/recordings/captured/NAME/) and a suite that
                                      replays it (DIR/suites/captured/NAME.yaml); secrets and
                                      personal identifiers redacted
  confcall list [--suite GLOB]... [--recordings]
                                      scenarios and the requirements they cover
  confcall import-docs [--out DIR] FILE...
                                      documents → recordings

In a bot's repository (confcall installed in node_modules), run, list and validate read its
confcall/ folder (targets/, suites/, recordings/) beside the shipped suites and recordings; a
--suite or --target that is not in the repository names a shipped one (suites/transfer.yaml).

Exit codes: 0 all passed; 1 a scenario failed; 2 bad usage, suite, recording or target;
3 the bot could not be reached; 130 (143) interrupted by SIGINT (SIGTERM).

Ctrl-C or SIGTERM: confcall waits for Playwright to write its reports; a second signal stops at once.
Environment: CONFCALL_STOP_GRACE_MS  the longest that wait may take before Playwright is
killed (default 8000).`;

/** A usage error: reported without a stack trace, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}
