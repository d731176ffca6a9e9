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
      },
      update(done, info = '') { bar?.update(done, { info }); },
      stop(line) { bar?.stop(); bar = null; if (line) process.stderr.write(line + '\n'); },
      log(line) { process.stderr.write(line + '\n'); },
    };
  }
  return {
    start() {}, update() {},
    stop(line) { if (line) process.stderr.write(line + '\n'); },
    log(line) { process.stderr.write(line + '\n'); },
  };
}
