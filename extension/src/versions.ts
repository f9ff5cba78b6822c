/** The numbers of a version such as `v20.19.1` or `0.1.0`; null when it is not one. */
export function versionParts(v: string): number[] | null {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(v.trim());
  return m ? [m[1], m[2], m[3]].map((p) => Number(p ?? 0)) : null;
}

/** True when `version` is `minimum` or newer. */
export function atLeast(version: string, minimum: string): boolean {
  const a = versionParts(version);
  const b = versionParts(minimum);
  if (!a || !b) return false;
  const i = a.findIndex((n, k) => n !== b[k]);
  return i === -1 || a[i] > b[i];
}

/** The lowest version an engines range of the form `>=20.19` allows. */
export function minimumOf(range: string): string {
  const m = /^>=\s*(v?\d+(?:\.\d+){0,2})$/.exec(range.trim());
  if (!m) throw new Error(`engines range '${range}' is not of the form >=X.Y.Z`);
  return m[1];
}
