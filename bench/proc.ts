import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * CPU time from /proc, so a benchmark can say what one request costs each process rather than
 * only how many requests fit in a second (which hides whose CPU ran out on a shared machine).
 */

/** Linux reports utime/stime in clock ticks; 100 per second on every architecture Node ships for. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  cpuSeconds: number;
}

/** Fields of /proc/<pid>/stat after the parenthesised command name (which may contain spaces). */
function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  return { ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
}

/** User + system CPU seconds a process has used so far (0 once it has gone). */
export function processCpuSeconds(pid: number): number {
  return readStat(pid)?.cpuSeconds ?? 0;
}

/**
 * CPU seconds used so far by a PostgreSQL server: the postmaster and every process it forked
 * (backends, walwriter, checkpointer…), keyed by pid so a backend that starts or ends between
 * two samples is counted from zero or drops out rather than skewing the difference.
 */
export function clusterCpuByPid(dataDir: string): Map<number, number> {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const usage = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = readStat(pid);
    if (stat && (pid === postmaster || stat.ppid === postmaster)) usage.set(pid, stat.cpuSeconds);
  }
  return usage;
}

/** CPU seconds the server spent between two samples, over the processes alive at the end. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
