// Shared by the benchmark sections: timing through benny (benchmark.js
// underneath: repeated cycles until the timing is stable) and small formatters.
// A section module exports `title` and `run(ctx)` returning Markdown.
import b from 'benny';

/**
 * Times each case; returns, per name, the median seconds per call, calls per
 * second from that median, the spread (relative margin of error, %) and the
 * sample count. Cases run one after the other in this process.
 */
export async function measure(suiteName, cases, { minTime = 0.5, maxTime = 2 } = {}) {
  let summary = null;
  await b.suite(suiteName,
    b.configure({ cases: { minTime, maxTime, minSamples: 5 } }),
    ...cases.map((c) => b.add(c.name, c.fn)),
    b.complete((s) => { summary = s; }));
  const out = {};
  for (const r of summary.results) {
    const median = r.details.median;
    out[r.name] = { median, perSecond: 1 / median, spread: r.details.relativeMarginOfError, samples: r.samples };
  }
  return out;
}

/** A Markdown table from a header row and rows of cells. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const fmt = (v, digits = 3) => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toLocaleString('en-US') : String(v));
export const pm = (r) => `±${r.spread.toFixed(1)}%`;
