// How long the release exporter takes for the sample content and for generated corpora.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { required, scratchFolder } from './sites.mjs';

const TIME = '/usr/bin/time';

/**
 * Runs the exporter into a fresh folder, `source` being `--content <folder>` or
 * `--generate-corpus <N>`: articles and files written, wall and CPU seconds, and the seconds
 * it spent generating the corpus.
 */
export function timeExport(source) {
  const scratch = scratchFolder('bp-bench-export-');
  const args = ['--out', join(scratch, 'site'), '--dist', required('BP_DIST'), ...source];
  const timed = existsSync(TIME);
  const started = performance.now();
  const run = timed
    ? spawnSync(TIME, ['-f', 'bench-cpu %U %S', required('BP_EXPORT_BIN'), ...args], { encoding: 'utf8' })
    : spawnSync(required('BP_EXPORT_BIN'), args, { encoding: 'utf8' });
  const wall = (performance.now() - started) / 1000;
  rmSync(scratch, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`the exporter failed (${source.join(' ')}):\n${run.stderr}`);
  const exported = run.stdout.match(/Exported (\d+) articles \((\d+) files\)/);
  const generating = run.stdout.match(/Generating the corpus took ([\d.]+) s/);
  const cpu = run.stderr.match(/bench-cpu ([\d.]+) ([\d.]+)/);
  return {
    articles: exported ? Number(exported[1]) : null,
    files: exported ? Number(exported[2]) : null,
    wall,
    cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : null,
    generating: generating ? Number(generating[1]) : null,
  };
}
