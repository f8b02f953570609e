// Child processes for the consumer matrix and the release dry run: commands with a
// deadline, and servers started in their own process group so that stopping one
// also stops the workers it spawned (next dev and next start fork).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes are what it removes
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Output without colours and blank lines. */
export function plain(text) {
  return text
    .replace(ANSI, '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .join('\n');
}

/** The last `n` lines of a command's output, for failure details. */
export function tail(text, n = 15) {
  return plain(text).split('\n').slice(-n).join('\n');
}

/** From the first line that reports an error, `n` lines (else the tail). */
export function firstError(text, n = 6) {
  const lines = plain(text).split('\n');
  const at = lines.findIndex((line) => /⨯|\bError\b|error TS\d+/.test(line));
  return at < 0 ? tail(text, n) : lines.slice(at, at + n).join('\n');
}

/**
 * Runs a command to completion (or until `timeoutMs`, then kills its group).
 * Resolves `{ code, output, stdout, ms }` (`output`: stdout and stderr interleaved);
 * never rejects.
 */
export function run(cmd, args, { cwd, env, timeoutMs = 600_000 } = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawnGroup(cmd, args, cwd, env);
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs} ms]`;
      killGroup(child);
    }, timeoutMs);
    child.on('error', (err) => {
      output += `\n${err.message}`;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output, stdout, ms: Date.now() - started });
    });
  });
}

/** A child in its own process group (detached), so killGroup() reaches its children too. */
function spawnGroup(cmd, args, cwd, env) {
  return spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

function killGroup(child, signal = 'SIGTERM') {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Starts a long-running server and waits until `ready(output)` returns a port (or
 * true), the process exits, or `timeoutMs` passes. Resolves
 * `{ ok, port, output(), stop() }`; `output()` reads everything printed so far.
 */
export function startServer(cmd, args, { cwd, env, ready, timeoutMs = 120_000 }) {
  const child = spawnGroup(cmd, args, cwd, env);
  let output = '';
  let exited = false;
  const exitedPromise = new Promise((resolve) => {
    child.on('close', () => {
      exited = true;
      resolve();
    });
  });
  const stop = async () => {
    if (exited) return;
    killGroup(child);
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exitedPromise;
    clearTimeout(timer);
  };
  return new Promise((resolve) => {
    let settled = false;
    const settle = (ok, port, why) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (why) output += `\n[${why}]`;
      resolve({ ok, port, output: () => output, stop });
    };
    const timer = setTimeout(
      () => settle(false, undefined, `not ready after ${timeoutMs} ms`),
      timeoutMs,
    );
    const onData = (chunk) => {
      output += chunk;
      const found = ready(output);
      if (found) settle(true, found === true ? undefined : found);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => settle(false, undefined, err.message));
    exitedPromise.then(() => settle(false, undefined, `exited with code ${child.exitCode}`));
  });
}

/** A port that was free a moment ago on 127.0.0.1 (for servers that cannot take port 0). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
