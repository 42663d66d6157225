import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem, type } from 'node:os';

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly totalMemoryGiB: number;
  readonly os: string;
  /** 1, 5 and 15 minute load averages when the run started and when it ended: other work skews figures. */
  readonly loadAtStart: readonly number[];
  loadAtEnd?: readonly number[];
  readonly commit: string;
}

export function describeMachine(): Machine {
  const processors = cpus();
  return {
    cores: processors.length,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    node: process.version,
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    loadAtStart: roundedLoad(),
    commit: gitCommit(),
  };
}

export function roundedLoad(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100);
}

export function machineLine(machine: Machine): string {
  const load = `load ${machine.loadAtStart.join(' / ')} (1/5/15 min) at start${machine.loadAtEnd ? `, ${machine.loadAtEnd.join(' / ')} at end` : ''}`;
  return `${machine.cores} cores (${machine.cpuModel}), ${machine.totalMemoryGiB} GiB, Node ${machine.node}, ${machine.os}; ${load}`;
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}
