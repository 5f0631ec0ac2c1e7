import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '#domain/canonical-json.ts';
import { chainEntry, GENESIS_HASH, type TimelineEntry, verifyChain } from '#domain/timeline.ts';

function buildChain(n: number): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (let i = 0; i < n; i++) {
    const head = out.at(-1);
    out.push(
      chainEntry('INC-1', head && { seq: head.seq, hash: head.hash }, {
        type: 'containment.executed',
        at: new Date(Date.UTC(2026, 10, 29, 10, 0, i)).toISOString(),
        actor: 'test',
        summary: `step ${i}`,
        data: { i, nested: { b: 2, a: 1 } },
      }),
    );
  }
  return out;
}

describe('timeline hash chain', () => {
  it('links the first entry to the genesis hash and verifies a clean chain', () => {
    const chain = buildChain(5);
    expect(chain[0]?.prevHash).toBe(GENESIS_HASH);
    expect(chain[4]?.seq).toBe(5);
    expect(verifyChain(chain)).toEqual({ verified: true, entries: 5, head: chain[4]?.hash });
  });

  it('detects an edited summary', () => {
    const chain = buildChain(5);
    chain[2] = { ...chain[2]!, summary: 'nothing happened' };
    expect(verifyChain(chain)).toMatchObject({
      verified: false,
      brokenAt: 3,
      reason: 'hash mismatch',
    });
  });

  it('detects an edited data field even when the hash is recomputed for that entry alone', () => {
    const chain = buildChain(4);
    const { type, at, actor, summary } = chain[1]!;
    const forged = chainEntry(
      'INC-1',
      { seq: 1, hash: chain[0]!.hash },
      { type, at, actor, summary, data: { i: 99 } },
    );
    chain[1] = forged;
    expect(verifyChain(chain)).toMatchObject({
      verified: false,
      brokenAt: 3,
      reason: 'broken link',
    });
  });

  it('detects a removed entry and a reordering', () => {
    const removed = buildChain(4);
    removed.splice(1, 1);
    expect(verifyChain(removed)).toMatchObject({ verified: false, reason: 'sequence gap' });
    const swapped = buildChain(4);
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    expect(verifyChain(swapped).verified).toBe(false);
  });

  it('any single-entry mutation breaks verification (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        fc.string({ minLength: 1 }),
        (n, pick, text) => {
          const chain = buildChain(n);
          const i = pick % n;
          fc.pre(chain[i]!.summary !== text);
          chain[i] = { ...chain[i]!, summary: text };
          expect(verifyChain(chain).verified).toBe(false);
        },
      ),
    );
  });

  it('canonical JSON is independent of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});
