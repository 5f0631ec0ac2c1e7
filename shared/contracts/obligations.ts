import { z } from 'zod';
import {
  type Obligation,
  type ObligationsResult,
  RECIPIENTS,
  REGIME_PAIRS,
  REGIMES,
  REPORTS,
} from '#domain/regulatory/types.ts';

/**
 * ObligationsResult: zod mirror of ../shared/contracts/obligations-result.schema.json (the JSON
 * file is the authority). Output of `tourniquet obligations --facts FILE --json`.
 */

const UTC_INSTANT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?Z$/;

export const UtcInstantSchema = z.string().regex(UTC_INSTANT, 'must be a UTC instant ending in Z');

export const ObligationSchema = z
  .strictObject({
    regime: z.enum(REGIMES),
    report: z.enum(REPORTS),
    recipient: z.enum(RECIPIENTS),
    recipientName: z.string().min(1).optional(),
    due: UtcInstantSchema.nullable(),
    dueRule: z.string().min(1),
    basis: z.string().min(1),
    clockStart: UtcInstantSchema,
  })
  .superRefine((o, ctx) => {
    const pair = REGIME_PAIRS[o.regime];
    if (!pair.reports.includes(o.report)) {
      ctx.addIssue({
        code: 'custom',
        path: ['report'],
        message: `report '${o.report}' is not allowed for ${o.regime}`,
      });
    }
    if (!pair.recipients.includes(o.recipient)) {
      ctx.addIssue({
        code: 'custom',
        path: ['recipient'],
        message: `recipient '${o.recipient}' is not allowed for ${o.regime}`,
      });
    }
  });

export const NotRequiredSchema = z.strictObject({
  regime: z.enum(REGIMES),
  reason: z.string().min(1),
  basis: z.string().min(1),
});

export const ObligationsResultSchema = z.strictObject({
  obligations: z.array(ObligationSchema),
  notRequired: z.array(NotRequiredSchema),
});

export type ObligationsResultOutput = z.infer<typeof ObligationsResultSchema>;

/** Compile-time checks: contract and domain result types are mutually assignable. */
export const fromDomainResult = (r: ObligationsResult): ObligationsResultOutput => r;
export const toDomainResult = (r: ObligationsResultOutput): ObligationsResult => r;
export const toDomainObligation = (o: z.infer<typeof ObligationSchema>): Obligation => o;
