// Small helpers the benchmark's measuring and its report share.

/** The median of `xs` (NaN when empty). */
export const median = (xs) => {
  const s = [...xs].filter((x) => x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
export const ms = (value) => (value === null || value === undefined || Number.isNaN(value) ? '–' : `${value.toFixed(0)} ms`);
export const verdict = (ok) => (ok ? '**PASS**' : '**FAIL**');
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

/** The whole number in environment variable `name`, or `fallback`. */
export const count = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
  return value;
};
