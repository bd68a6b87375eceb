/**
 * The `node --require` preload of the Playwright runner that confcall starts: SIGTERM winds it down
 * as Ctrl-C does. Playwright handles SIGINT only, so a SIGTERM sent to the whole process group
 * (systemd, `kill -TERM -PGID`, some CI runners) ended it at once, before it wrote any report.
 * confcall forwards SIGINT as well; Playwright ignores a second SIGINT within a second of the first.
 */
process.on('SIGTERM', () => process.kill(process.pid, 'SIGINT'));
