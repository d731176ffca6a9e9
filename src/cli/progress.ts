// Progress for long work: a bar on a terminal (cli-progress), plain lines
// otherwise (logs, CI, pipes). Everything goes to stderr so that stdout stays
// clean for results and --json.
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number, info?: string): void;
  stop(line?: string): void;
  log(line: string): void;
}

// The bar on screen, if any: an error must take it down (and show the cursor again).
let active: cliProgress.SingleBar | null = null;

/** Stops the bar on screen, if one is running (before an error message). */
export function stopProgress(): void {
  active?.stop();
  active = null;
}

/** A progress reporter; `quiet` prints nothing. */
export function progress(quiet = false): Progress {
  if (quiet) return { start() {}, update() {}, stop() {}, log() {} };
  if (process.stderr.isTTY) {
    let bar: cliProgress.SingleBar | null = null;
    return {
      start(total, label) {
        bar = new cliProgress.SingleBar({
          format: `${label} [{bar}] {percentage}% | {value}/{total} | {info}`,
          stream: process.stderr, hideCursor: true, clearOnComplete: true,
        }, cliProgress.Presets.shades_classic);
        bar.start(total, 0, { info: '' });
        active = bar;
      },
      update(done, info = '') { bar?.update(done, { info }); },
      stop(line) { bar?.stop(); bar = null; active = null; if (line) process.stderr.write(line + '\n'); },
      log(line) { process.stderr.write(line + '\n'); },
    };
  }
  return {
    start() {}, update() {},
    stop(line) { if (line) process.stderr.write(line + '\n'); },
    log(line) { process.stderr.write(line + '\n'); },
  };
}
