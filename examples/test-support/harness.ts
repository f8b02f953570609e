import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

export interface RunningApp {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything the process printed so far, for failure messages. */
  output(): string;
}

export interface StartOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Printed once the app accepts connections; capture group 1, when present, is the base URL. */
  ready: RegExp;
  /** Base URL when `ready` has no capture group. */
  url?: string;
  timeoutMs?: number;
}

const children = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

process.on('exit', () => {
  for (const child of children) killGroup(child, 'SIGKILL');
});

/** Runs `command` in its own process group and resolves once its output matches `ready`. */
export function startApp(
  command: string,
  args: string[],
  options: StartOptions,
): Promise<RunningApp> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      void stopApp(child);
      reject(new Error(`${command} ${args.join(' ')}: ${reason}\n${output}`));
    };
    // generous: the apps open their stores (PGlite) before listening, slow on a loaded machine
    const timer = setTimeout(() => fail('not ready in time'), options.timeoutMs ?? 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = options.ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      const url = match[1] ?? options.url;
      if (!url) return fail('no URL');
      resolve({ url, output: () => output });
    };
    const onExit = (code: number | null) => fail(`exited early with code ${code}`);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (err) => fail(err.message));
  });
}

function stopApp(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      killGroup(child, 'SIGKILL');
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
}

/** Stops every app started by this test file (safe to call after a failed start). */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stopApp));
}

/** A port that was free a moment ago, for servers that cannot listen on port 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Sends one HTTP/1.1 GET as raw UTF-8 bytes (for header values `fetch` refuses to send,
 * such as non-ASCII ones) and returns the response headers by lower-cased name.
 */
export function rawGet(url: string, headerLines: string[]): Promise<Map<string, string>> {
  const { hostname, port, pathname } = new URL(url);
  const head = [
    `GET ${pathname} HTTP/1.1`,
    `Host: ${hostname}`,
    'Connection: close',
    ...headerLines,
  ];
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const lines = received.slice(0, received.indexOf('\r\n\r\n')).split('\r\n');
      const headers = new Map<string, string>([[':status', lines[0] ?? '']]);
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      resolve(headers);
    });
    socket.connect(Number(port), hostname, () => {
      socket.end(Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8'));
    });
  });
}

export const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
