import { createServer, Socket } from 'node:net';
import { startLocalEmulator, startLocalEmulatorOnFreePort } from './local-emulator';
import { freePort } from './local-postgres';

/**
 * A port held by another listener on every interface, as fauxqs itself
 * listens. It accepts connections and never answers, so the health check's
 * polls must time out; `close` drops the connections it holds.
 */
async function takenPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return { port: address.port, close };
}

describe('startLocalEmulator', () => {
  let taken: { port: number; close: () => Promise<void> };
  beforeEach(async () => {
    taken = await takenPort();
  });
  afterEach(async () => {
    await taken.close();
  });

  it('fails on a port in use, saying what fauxqs said', async () => {
    await expect(startLocalEmulator(taken.port)).rejects.toThrow(/exited \(1\); fauxqs wrote: [\s\S]*EADDRINUSE/);
  });

  it('tries another free port when the one it was given is taken by the time fauxqs binds it', async () => {
    const given: number[] = [];
    const ports = async () => {
      const port = given.length === 0 ? taken.port : await freePort();
      given.push(port);
      return port;
    };
    const emulator = await startLocalEmulatorOnFreePort('ignore', ports);
    try {
      expect(given).toHaveLength(2);
      expect(emulator.endpoint).toBe(`http://127.0.0.1:${given[1]}`);
      expect((await fetch(`${emulator.endpoint}/health`)).ok).toBe(true);
    } finally {
      await emulator.stop();
    }
  });

  it('gives up after three ports in use', async () => {
    let calls = 0;
    const ports = () => {
      calls++;
      return Promise.resolve(taken.port);
    };
    await expect(startLocalEmulatorOnFreePort('ignore', ports)).rejects.toThrow(/EADDRINUSE/);
    expect(calls).toBe(3);
  });
});
