import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cruise, type ICruiseResult, type IFlattenedRuleSet } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The regulator workflow keeps working with the storefront down because none of its code can
 * reach a storefront or gateway adapter: dependency-cruiser's rule
 * `regulatory-independent-of-storefront` (.dependency-cruiser.cjs) proves it over the real files,
 * and a fixture shows the rule does catch such an import.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const RULE = 'regulatory-independent-of-storefront';
const config = createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs')) as {
  forbidden: Array<{ name: string }>;
  options: { enhancedResolveOptions: Record<string, unknown> };
};
const rule = config.forbidden.find((r) => r.name === RULE);
const ruleSet = { forbidden: rule ? [rule] : [] } as IFlattenedRuleSet;

async function run(baseDir: string, files: string[]): Promise<ICruiseResult> {
  const out = await cruise(
    files,
    {
      baseDir,
      validate: true,
      ruleSet,
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
      exclude: { path: 'node_modules' },
      enhancedResolveOptions: config.options.enhancedResolveOptions,
    },
    {},
  );
  return out.output as ICruiseResult;
}

const violationsOf = (r: ICruiseResult) =>
  r.summary.violations.filter((v) => v.rule.name === RULE).map((v) => `${v.from} → ${v.to}`);

const temp: string[] = [];
afterAll(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

describe(`dependency rule ${RULE}`, () => {
  it('exists in the project configuration as an error', () => {
    expect(rule).toMatchObject({ severity: 'error' });
  });

  it('holds for every regulatory-* function and everything it reaches', async () => {
    const r = await run(ROOT, ['functions/regulatory-*.ts']);
    const names = r.modules.map((m) => m.source);
    // Not vacuous: the seven functions were cruised and their #aliases resolved into the workflow.
    expect(names.filter((n) => /^functions\/regulatory-[a-z-]+\.ts$/.test(n))).toHaveLength(7);
    expect(names).toContain('shared/use-cases/regulatory/workflow.ts');
    expect(names).toContain('shared/runtime/regulatory-deps.ts');
    expect(names).toContain('shared/adapters/regulatory/ses-mailer.ts');
    expect(names.some((n) => /^shared\/adapters\/(magento|stripe|adyen|braintree)/.test(n))).toBe(
      false,
    );
    expect(violationsOf(r)).toEqual([]);
  }, 60_000);

  it('catches a regulatory function that imports a storefront adapter (fixture)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tourniquet-deprule-'));
    temp.push(dir);
    const write = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    };
    write(
      'package.json',
      JSON.stringify({ type: 'module', imports: { '#adapters/*': './shared/adapters/*' } }),
    );
    write('shared/adapters/magento-db.ts', 'export const db = 1;\n');
    write('shared/adapters/stripe-containment.ts', 'export const s = 1;\n');
    write('shared/adapters/regulatory/ses-mailer.ts', 'export const m = 1;\n');
    write(
      'functions/regulatory-send.ts',
      "import { db } from '#adapters/magento-db.ts';\nimport { m } from '#adapters/regulatory/ses-mailer.ts';\nexport const x = [db, m];\n",
    );
    write(
      'shared/use-cases/regulatory/workflow.ts',
      "import { s } from '../../adapters/stripe-containment.ts';\nexport const y = s;\n",
    );
    const r = await run(dir, ['functions', 'shared']);
    expect(violationsOf(r).sort()).toEqual([
      'functions/regulatory-send.ts → shared/adapters/magento-db.ts',
      'shared/use-cases/regulatory/workflow.ts → shared/adapters/stripe-containment.ts',
    ]);
  }, 60_000);
});
