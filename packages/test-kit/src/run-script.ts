import { spawn } from 'node:child_process';

/**
 * How a child Node process ended.
 *
 * @example
 * const { code, signal, stdout, stderr }: ScriptRun = await runScript(script, [], options);
 */
export interface ScriptRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Its standard output, trimmed. */
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `script` as an ES module in a new Node process (`process.argv.slice(1)` is `args`) and
 * resolves when it exits. A process that does not exit by itself within `killAfterMs` is killed,
 * so a test that expects `{ code: 0, signal: null }` fails on the signal (no duration is asserted).
 *
 * @example
 * const run = await runScript('console.log(process.argv[1])', ['hello'], { cwd: here, killAfterMs: 5_000 });
 * expect(run).toMatchObject({ code: 0, signal: null, stdout: 'hello' });
 */
export function runScript(
  script: string,
  args: readonly string[],
  {
    cwd,
    killAfterMs,
    env,
  }: {
    readonly cwd: string;
    readonly killAfterMs: number;
    /** Added to this process's environment. */
    readonly env?: Readonly<Record<string, string>>;
  },
): Promise<ScriptRun> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout: stdout.trim(), stderr });
    }),
  );
}
