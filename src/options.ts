// Options objects are checked for names the function does not know, so that
// a misspelt option ({ epochz: 3 }) is an error instead of a silent default.

// Edit distance between two short names (for "did you mean").
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/**
 * Returns `options` (or {} for undefined/null) after checking that it is an
 * object whose own keys are all in `known`.
 * @throws TypeError naming the unknown option, the closest known one and the accepted list
 */
export function checkOptions<T extends object>(options: T | undefined | null, known: readonly string[], where: string): T {
  if (options === undefined || options === null) return {} as T;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object such as { ${known[0]}: ... }, got ${Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const k of Object.keys(options)) {
    if (known.includes(k)) continue;
    const near = known.map((n) => [n, distance(k, n)] as const).sort((p, q) => p[1] - q[1])[0];
    const hint = near && near[1] <= Math.max(2, Math.floor(k.length / 3)) ? `did you mean "${near[0]}"? ` : '';
    throw new TypeError(`${where}: unknown option "${k}"; ${hint}accepted: ${known.join(', ')}`);
  }
  return options;
}
