/**
 * The `node --require` preload of the Playwright runner that confcall starts: SIGTERM winds it down
 * as Ctrl-C does. Playwright handles SIGINT only, so a SIGTERM sent to the whole process group
 * (systemd, `kill -TERM -PGID`, some CI runners) ended it at once, before it wrote any report.
 * confcall forwards SIGINT as well; Playwright ignores a second SIGINT within a second of the first.
 */
process.on('SIGTERM', () => process.kill(process.pid, 'SIGINT'));

/**
 * Once the runner listens for SIGINT, no later SIGINT ends it at once. Playwright stops listening a second after
 * the first SIGINT, so a second one (confcall's forward of a terminal's Ctrl-C, late on a loaded machine) would
 * kill it before it wrote its reports. confcall forces a stop with SIGKILL, never with SIGINT.
 */
process.on('newListener', function keepSigintHandled(event: string | symbol) {
  if (event !== 'SIGINT') return;
  process.off('newListener', keepSigintHandled);
  process.on('SIGINT', () => undefined);
});
