/**
 * EventBridge event-pattern matching for the local bus: exact values, prefix, suffix,
 * anything-but (values or prefix), exists, numeric ranges, equals-ignore-case, and $or.
 * Semantics follow the EventBridge user guide: every field in the pattern must match; an
 * array of matchers matches when any element matches; arrays in the event match when any
 * element matches.
 */
export type EventPattern = Record<string, unknown>;

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isObject(pattern)) return false;
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(rule) || !rule.some((p) => matchesPattern(p as EventPattern, event)))
        return false;
      continue;
    }
    const value = isObject(event) ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(rule)) {
      if (!matchesLeaf(rule, value, isObject(event) && key in (event as object))) return false;
    } else if (isObject(rule)) {
      if (!isObject(value) || !matchesPattern(rule as EventPattern, value)) return false;
    } else {
      return false; // a pattern leaf must be an array
    }
  }
  return true;
}

function matchesLeaf(matchers: unknown[], value: unknown, present: boolean): boolean {
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((m) => {
    if (isObject(m) && 'exists' in m)
      return (m as { exists: boolean }).exists === (present && value !== undefined);
    if (!present || value === undefined) return false;
    return values.some((v) => matchOne(m, v));
  });
}

function matchOne(m: unknown, v: unknown): boolean {
  if (!isObject(m)) return m === v;
  const op = m as Record<string, unknown>;
  if ('prefix' in op) {
    const p = op.prefix;
    if (isObject(p) && 'equals-ignore-case' in p) {
      return (
        typeof v === 'string' &&
        v.toLowerCase().startsWith(String(p['equals-ignore-case']).toLowerCase())
      );
    }
    return typeof v === 'string' && v.startsWith(String(p));
  }
  if ('suffix' in op) return typeof v === 'string' && v.endsWith(String(op.suffix));
  if ('equals-ignore-case' in op) {
    return (
      typeof v === 'string' && v.toLowerCase() === String(op['equals-ignore-case']).toLowerCase()
    );
  }
  if ('anything-but' in op) {
    const ab = op['anything-but'];
    if (isObject(ab) && 'prefix' in ab)
      return typeof v === 'string' && !v.startsWith(String(ab.prefix));
    if (isObject(ab) && 'suffix' in ab)
      return typeof v === 'string' && !v.endsWith(String(ab.suffix));
    const list = Array.isArray(ab) ? ab : [ab];
    return !list.includes(v);
  }
  if ('numeric' in op) return typeof v === 'number' && matchNumeric(op.numeric as unknown[], v);
  if ('cidr' in op) return typeof v === 'string' && inCidr(String(op.cidr), v);
  throw new Error(`unsupported event-pattern operator: ${Object.keys(op).join(',')}`);
}

function matchNumeric(spec: unknown[], v: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const op = spec[i];
    const n = Number(spec[i + 1]);
    const ok =
      op === '='
        ? v === n
        : op === '<'
          ? v < n
          : op === '<='
            ? v <= n
            : op === '>'
              ? v > n
              : op === '>='
                ? v >= n
                : false;
    if (!ok) return false;
  }
  return true;
}

function inCidr(cidr: string, ip: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const toInt = (s: string) => s.split('.').reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
  const bits = Number(bitsText ?? 32);
  if (!base || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(base) & mask) === (toInt(ip) & mask);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
