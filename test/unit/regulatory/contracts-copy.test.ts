import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const besideCheckout = fileURLToPath(new URL('../../../../shared/contracts/', import.meta.url));
const vendored = fileURLToPath(new URL('../../fixtures/contracts/', import.meta.url));

describe('vendored contracts copy', () => {
  it.runIf(existsSync(besideCheckout))('matches ../shared/contracts byte for byte', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(`${dir}${e.name}/`).map((f) => `${e.name}/${f}`) : [e.name],
      );
    const theirs = files(besideCheckout).sort();
    expect(files(vendored).sort()).toEqual(theirs);
    for (const f of theirs)
      expect(readFileSync(`${vendored}${f}`, 'utf8'), f).toBe(
        readFileSync(`${besideCheckout}${f}`, 'utf8'),
      );
  });

  it('holds the schemas and examples the tests use', () => {
    expect(existsSync(`${vendored}incident-facts.schema.json`)).toBe(true);
    expect(existsSync(`${vendored}obligations-result.schema.json`)).toBe(true);
    expect(
      readdirSync(`${vendored}examples`).filter((f) => f.endsWith('.facts.json')).length,
    ).toBeGreaterThanOrEqual(4);
  });
});
