export type Getter = (value: unknown) => unknown;

/**
 * Compiles `$.a.b[2]` into a getter once per mapping, so the hot path walks keys without parsing
 * the path again. A missing step yields undefined, never an exception.
 */
export function compileJsonPath(path: string): Getter {
  const steps: (string | number)[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
  if (steps.length === 0) return (v) => v;
  return (value) => {
    let v = value;
    for (const step of steps) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[step];
    }
    return v;
  };
}
