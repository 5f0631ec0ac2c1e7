import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { ERROR_NAMES, LAMBDA_SERVICE_ERRORS } from '#contracts/error-names.ts';

const DIR = path.resolve(import.meta.dirname, '../../state-machines');
const files = readdirSync(DIR).filter((f) => f.endsWith('.asl.json'));
const infraSources = () => {
  const dir = path.resolve(import.meta.dirname, '../../infra');
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory() && e.name !== 'local') walk(path.join(d, e.name));
      else if (e.name.endsWith('.ts')) out.push(readFileSync(path.join(d, e.name), 'utf8'));
    }
  };
  walk(dir);
  return out.join('\n');
};

type State = Record<string, any>;
function allStates(def: { States: Record<string, State> }): Array<[string, State]> {
  const out: Array<[string, State]> = [];
  for (const [name, s] of Object.entries(def.States)) {
    out.push([name, s]);
    for (const b of s.Branches ?? []) out.push(...allStates(b));
    if (s.ItemProcessor ?? s.Iterator) out.push(...allStates(s.ItemProcessor ?? s.Iterator));
  }
  return out;
}

describe.each(files)('%s', (file) => {
  const text = readFileSync(path.join(DIR, file), 'utf8');
  const def = JSON.parse(text);
  const placeholders = [...new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!))];

  it('is valid ASL once substitutions are filled', () => {
    const filled = JSON.parse(
      text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, k: string) =>
        k.endsWith('FunctionArn')
          ? `arn:aws:lambda:us-east-1:123456789012:function:${k}`
          : `value-${k}`,
      ),
    );
    const { isValid, errors } = aslValidator(filled, { checkArn: true, checkPaths: true });
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('has a substitution for every placeholder in the CDK code', () => {
    const infra = infraSources();
    for (const p of placeholders) {
      const key = p.endsWith('FunctionArn') ? p.slice(0, -'FunctionArn'.length) : p;
      expect(infra, `no substitution provides \${${p}}`).toMatch(new RegExp(`\\b${key}\\b`));
    }
  });

  it('retries the Lambda service errors on every Lambda Task', () => {
    for (const [name, s] of allStates(def)) {
      if (s.Type !== 'Task' || !String(s.Resource).includes('FunctionArn}')) continue;
      const retried = new Set(
        (s.Retry ?? []).flatMap((r: { ErrorEquals: string[] }) => r.ErrorEquals),
      );
      for (const e of LAMBDA_SERVICE_ERRORS)
        expect(retried.has(e), `${name} does not retry ${e}`).toBe(true);
    }
  });

  it('routes only on known error names', () => {
    const known = new Set<string>([...ERROR_NAMES, ...LAMBDA_SERVICE_ERRORS]);
    for (const [name, s] of allStates(def)) {
      for (const r of [...(s.Retry ?? []), ...(s.Catch ?? [])]) {
        for (const e of r.ErrorEquals as string[]) {
          expect(known.has(e) || e.startsWith('States.'), `${name}: unknown error name ${e}`).toBe(
            true,
          );
        }
      }
    }
  });

  it('catches every Lambda Task into an escalate path (or is itself the escalation)', () => {
    for (const [name, s] of allStates(def)) {
      if (s.Type !== 'Task' || !String(s.Resource).includes('FunctionArn}')) continue;
      if (/Escalat|Failed|Failure/.test(name) || String(s.Resource).includes('Escalate')) continue;
      expect(s.Catch?.length ?? 0, `${name} has no Catch`).toBeGreaterThan(0);
    }
  });
});
