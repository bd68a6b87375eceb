/**
 * The minimal notification endpoint both sides of a delivery benchmark post to: it reads the
 * body and answers 202, nothing else. It runs as its own process, as a bot would.
 * `node dist/bench/minimal-responder.js PORT` prints `ready <url>` once it listens.
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(202, { 'content-length': '0' });
    res.end();
  });
});
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`ready http://127.0.0.1:${address.port}/api/calls\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
