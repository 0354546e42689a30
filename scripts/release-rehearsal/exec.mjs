// Runs one command for the rehearsal: no shell, a time limit, and everything it prints appended
// to a log file, so that a failure can show the end of its own log and nothing else.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';

/** A command that exited non-zero, timed out or could not start; `log` holds its output. */
export class CommandFailed extends Error {
  constructor(command, reason, log) {
    super(`${command}: ${reason}`);
    this.name = 'CommandFailed';
    this.log = log;
  }
}

/**
 * Runs `command args` in `cwd` and resolves once it exits 0; rejects with `CommandFailed` when it
 * exits otherwise, is killed, or runs past `timeoutMs`.
 *
 * @example
 * await exec('npm', ['install', 'axios'], { cwd: project, env, log: join(project, 'install.log') });
 */
export function exec(command, args, { cwd, env = process.env, log, timeoutMs = 300_000 }) {
  const line = [command, ...args].join(' ');
  appendFileSync(log, `\n$ ${line}   (in ${cwd})\n`);
  const started = performance.now();
  const took = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const write = (chunk) => appendFileSync(log, chunk);
    child.stdout.on('data', write);
    child.stderr.on('data', write);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new CommandFailed(line, error.message, log));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      appendFileSync(log, `[exit ${code ?? signal} after ${took()}]\n`);
      if (code === 0) resolve();
      else {
        const reason = signal ? `killed (${signal}) after ${timeoutMs} ms at most` : `exit ${code}`;
        reject(new CommandFailed(line, reason, log));
      }
    });
  });
}

/** The last `lines` lines of a log file, for a failure report. */
export function logTail(log, lines = 25) {
  try {
    return readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
