import { createServer } from 'node:net';

/** Why the fake Graph could not listen at `host:port` now (e.g. the port is taken), or undefined when it can. */
export function listenProblem(hostPort: string): Promise<string | undefined> {
  const at = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  const port = Number(hostPort.slice(at + 1));
  return new Promise((done) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reasons: Record<string, string> = {
        EADDRINUSE: 'the port is already in use (another confcall run, the bot itself, or another program holds it)',
        EADDRNOTAVAIL: `${host} is not an address of this machine`,
        EACCES: `port ${port} needs privileges`,
      };
      done(reasons[error.code ?? ''] ?? `${error.code ?? 'error'}: ${error.message}`);
    });
    server.listen(port, host, () => server.close(() => done(undefined)));
  });
}
