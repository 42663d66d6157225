import cliProgress from 'cli-progress';

/** A progress bar on stderr with events/s (drawn only on a terminal); the totals are printed by the caller. */
export interface ProgressBar {
  update(events: number): void;
  stop(): void;
}

/**
 * `total`: events the catch-up will read, when the store can count them (the embedded log); else
 * the bar shows the count and the rate only. `unit`: what is counted (`jxc backup` counts MiB).
 */
export function progressBar(label: string, total: number | undefined, stream: NodeJS.WriteStream = process.stderr, unit = 'events'): ProgressBar {
  const started = performance.now();
  const format =
    total === undefined
      ? `${label} {value} ${unit} | {rate} ${unit}/s | {duration_formatted}`
      : `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`;
  const bar = new cliProgress.SingleBar({ format, stream, hideCursor: true, fps: 5, etaBuffer: 50 }, cliProgress.Presets.shades_classic);
  bar.start(total ?? 0, 0, { rate: '0' });
  return {
    update(events: number) {
      const seconds = (performance.now() - started) / 1000;
      bar.update(events, { rate: seconds > 0 ? Math.round(events / seconds).toLocaleString('en-US') : '0' });
    },
    stop() {
      bar.stop();
    },
  };
}

/** `1,234 events in 0.8 s (1,543 events/s)`. */
export function rateLine(events: number, seconds: number): string {
  const rate = seconds > 0 ? Math.round(events / seconds) : events;
  return `${events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} events/s)`;
}
