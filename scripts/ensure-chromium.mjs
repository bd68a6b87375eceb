// Set-up for `npm test`: the report tests open the HTML report in a real browser, Debian's
// chromium (Playwright's own browser download is not reachable everywhere). Installs it when
// missing and this is a Debian machine we may install on (root); otherwise says how.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (canInstall) {
    console.log('confcall: installing Debian\'s chromium for the browser tests (apt-get)...');
    try {
      execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
    } catch {
      console.log('confcall: could not install chromium; the browser tests will fail and say so');
    }
  } else {
    console.log(`confcall: ${CHROMIUM} is missing; the browser tests need it: sudo apt-get install chromium`);
  }
}
