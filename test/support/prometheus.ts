import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface PrometheusTool {
  /** Where the binary is, or undefined when it is not installed. */
  path: string | undefined;
  /** Skip the test: the binary is missing and CI is not `'true'`. */
  skip: boolean;
  /** Appended to the test's name: why it was skipped, or '' when it runs. */
  why: string;
  /** The path, or an error saying how to install it (CI=true and the binary missing). */
  require(): string;
}

/**
 * A binary of Debian's `prometheus` package (`promtool` or `prometheus`) for a test:
 * skipped with a clear reason when it is missing, except under CI=true, where the test runs
 * and fails (`.ci/run` installs the package).
 *
 * @example
 * const promtool = prometheusTool('promtool');
 * it.skipIf(promtool.skip)(`promtool check rules${promtool.why}`, async () => {
 *   await run(promtool.require(), ['check', 'rules', file]);
 * });
 */
export function prometheusTool(name: 'promtool' | 'prometheus'): PrometheusTool {
  const path = [`/usr/bin/${name}`, `/usr/local/bin/${name}`].find((p) => existsSync(p));
  const skip = !path && process.env.CI !== 'true';
  return {
    path,
    skip,
    why: skip ? ` (skipped: ${name} is not installed; apt-get install -y prometheus)` : '',
    require() {
      if (!path)
        throw new Error(
          `CI=true but ${name} is missing: install it with apt-get install -y prometheus`,
        );
      return path;
    },
  };
}

/**
 * Runs `promtool check metrics` on a scrape in the Prometheus text format (it reads stdin):
 * the exit code and the lint lines it printed (e.g. `foo_total non-counter metrics should not
 * have "_total" suffix`).
 */
export function promtoolCheckMetrics(
  promtool: string,
  text: string,
): Promise<{ code: number | null; problems: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(promtool, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({ code, problems: output.split('\n').filter((line) => line.trim() !== '') }),
    );
    child.stdin.end(text);
  });
}
