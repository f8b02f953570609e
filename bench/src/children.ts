import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TSX = import.meta.resolve('tsx');
const live = new Set<ChildProcess>();

/**
 * Spawns a TypeScript entry in a fresh Node process with the `development` condition
 * (workspace sources) and an IPC channel. Every child is tracked so {@link killAll}
 * can end it whatever happens to the parent.
 */
export function spawnTs(
  entry: URL,
  args: string[],
  nodeArgs: string[] = [],
  env: Record<string, string> = {},
): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=development', '--import', TSX, ...nodeArgs, fileURLToPath(entry), ...args],
    {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, NODE_ENV: 'production', ...env },
    },
  );
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Kills every child still running. Synchronous, so it is safe in an `exit` handler. */
export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
}

/**
 * Resolves with the child's next IPC message that `accept` takes; rejects when the
 * child exits first or nothing came within `timeoutMs` (then the child is killed).
 */
export function nextMessage<T>(
  child: ChildProcess,
  accept: (msg: unknown) => msg is T,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`${what}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (msg: unknown) => {
      if (!accept(msg)) return;
      cleanup();
      resolve(msg);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`${what}: exited early (code ${code}, signal ${signal})`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** A type guard for IPC messages shaped `{ type: <type>, ... }`. */
export const ofType =
  <T extends { type: string }>(type: T['type']) =>
  (msg: unknown): msg is T =>
    typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === type;

/** Asks a child to stop (SIGTERM), then kills it if it is still there after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** What a load child (`load.ts`, `probe.ts`) sends: `measuring` after its warm-up, then its sample. */
export type DriverMessage<S> = { type: 'measuring' } | { type: 'result'; sample: S };

/**
 * The prologue of a load-generating child (`load.ts`, `probe.ts`): checks the IPC channel,
 * parses the JSON job from argv, refuses any target but loopback, exits with the parent.
 * Returns the job and a `send` that runs `then` once the message is flushed.
 */
export function childJob<J extends { url: string }, M>(name: string) {
  const raw = process.argv[2];
  if (!process.send || !raw) {
    console.error(`${name}: run by the bench harness with an IPC channel and a JSON job`);
    process.exit(2);
  }
  process.on('disconnect', () => process.exit(0));
  const job = JSON.parse(raw) as J;
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(job.url)) {
    console.error(`${name}: refusing a non-loopback target ${job.url}`);
    process.exit(2);
  }
  const send = (msg: M, then?: () => void) => process.send?.(msg, undefined, undefined, then);
  return { job, send };
}
