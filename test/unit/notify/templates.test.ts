import { describe, expect, it } from 'vitest';
import { TEMPLATE_CATALOG } from '#domain/notify/catalog.ts';
import {
  approvalFor,
  batches,
  contentHash,
  lintTemplate,
  render,
} from '#domain/notify/templates.ts';

describe('template linter (fails the build when required content is missing)', () => {
  for (const t of TEMPLATE_CATALOG) {
    it(`${t.id} v${t.version} carries everything ${t.regime} requires`, () => {
      expect(lintTemplate(t)).toEqual([]);
    });
  }

  it('names each missing element', () => {
    const base = TEMPLATE_CATALOG.find((t) => t.id === 'gdpr-34-en');
    if (!base) throw new Error('catalog');
    const broken = { ...base, text: base.text.replace('{{dpoContact}}', 'us') };
    expect(lintTemplate(broken)).toEqual([
      {
        templateId: 'gdpr-34-en',
        version: 1,
        missing: 'name and contact details of the DPO or contact point (33(3)(b))',
      },
    ]);
    const us = TEMPLATE_CATALOG.find((t) => t.id === 'us-state-en');
    if (!us) throw new Error('catalog');
    const noFtc = { ...us, html: us.html.replace('Federal Trade Commission', 'FTC') };
    expect(lintTemplate(noFtc).map((f) => f.missing)).toEqual([
      'consumer reporting agencies and FTC contact details (CO, WA)',
    ]);
  });
});

describe('approvals bind to the exact version and content', () => {
  const t = TEMPLATE_CATALOG[0];
  if (!t) throw new Error('catalog');
  const approval = {
    templateId: t.id,
    version: t.version,
    contentHash: contentHash(t),
    approver: 'dpo@company.test',
    approvedAt: '2026-01-01T00:00:00Z',
  };
  it('accepts the approved version and refuses an edited one or another version', () => {
    expect(approvalFor(t, [approval])).toEqual(approval);
    expect(approvalFor({ ...t, subject: `${t.subject}!` }, [approval])).toBeUndefined();
    expect(approvalFor({ ...t, version: 2 }, [approval])).toBeUndefined();
  });
});

describe('rendering and batching', () => {
  it('substitutes placeholders and escapes HTML', () => {
    const t = TEMPLATE_CATALOG[0];
    if (!t) throw new Error('catalog');
    const r = render(t, { firstname: '<b>Ana</b>', dpoContact: 'dpo@company.test' });
    expect(r.text).toContain('Dear <b>Ana</b>');
    expect(r.html).toContain('Dear &#60;b&#62;Ana&#60;/b&#62;');
  });
  it('batches of at most 50', () => {
    const sizes = [...batches(Array.from({ length: 123 }, (_, i) => i))].map((b) => b.length);
    expect(sizes).toEqual([50, 50, 23]);
  });
});
