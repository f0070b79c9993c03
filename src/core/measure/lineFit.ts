/** A least-squares line, in plain TypeScript (no tfjs), for the page's main thread and the capacity sweep. */
export interface LineFit {
  slope: number;
  intercept: number;
  /** Points the fit used. */
  points: number;
  r2: number;
}

/** Least-squares line y = slope·x + intercept. */
export function fitLine(xs: number[], ys: number[]): LineFit | null {
  const k = xs.length;
  if (k < 2 || ys.length !== k) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / k;
  const my = ys.reduce((a, b) => a + b, 0) / k;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < k; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, points: k, r2 };
}
