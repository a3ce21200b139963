// Starts the real server binary with its own SQLite file, and reads what it stored.
import { test as base, expect } from '@playwright/test';
import { spawn, execFileSync, ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SEED_SLUG = 'russia-lays-out-demands-for-a-sweeping-new-security-deal-with-nato';
export const SEED_HEADLINE = 'Russia Lays Out Demands for a Sweeping New Security Deal With NATO';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with \`cargo xtask test e2e\``);
  return value;
}

export interface RunningServer {
  url: string;
  database: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the server on a free port; `database` defaults to a new file in a new folder. */
export async function startServer(options: { database?: string; args?: string[] } = {}): Promise<RunningServer> {
  const database = options.database ?? join(mkdtempSync(join(tmpdir(), 'bp-e2e-')), 'site.sqlite3');
  const child = spawn(
    required('BP_SERVER_BIN'),
    [
      '--addr', '127.0.0.1:0',
      '--database', database,
      '--content', required('BP_CONTENT'),
      '--dist', required('BP_DIST'),
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 20_000);
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const found = stdout.match(/running at (http:\/\/[^\s]+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found[1].replace(/\/$/, ''));
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
  });
  return {
    url,
    database,
    process: child,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** The reports stored in `database`, read through the editors' command. */
export function storedReports(database: string): Array<Record<string, string | null>> {
  const out = execFileSync(required('BP_SERVER_BIN'), ['--database', database, 'reports', 'list', '--json']);
  return JSON.parse(out.toString());
}

/** Each test file's worker gets one server with its own database. */
export const test = base.extend<{}, { server: RunningServer }>({
  server: [
    async ({}, use) => {
      const server = await startServer();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => use(server.url),
});

export { expect };
