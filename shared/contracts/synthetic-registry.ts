import { z } from 'zod';

const Marker = z
  .strictObject({
    column: z.string().min(1),
    equals: z.array(z.string()).optional(),
    pattern: z
      .string()
      .refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .optional(),
  })
  .refine(
    (m) => m.equals !== undefined || m.pattern !== undefined,
    'a marker needs equals or pattern',
  );

/** The synthetic-data registry (config/synthetic-sources.json); see shared/domain/recovery/registry.ts. */
export const SyntheticRegistrySchema = z.strictObject({
  version: z.string().min(1),
  sources: z.array(
    z.strictObject({
      id: z.string().regex(/^[a-z0-9-]+$/),
      description: z.string(),
      markers: z.array(Marker).min(1),
      datasets: z.array(z.string()),
      integrationPoints: z.strictObject({
        pipelines: z.array(z.string()).default([]),
        buckets: z.array(z.string()).default([]),
        magentoTables: z.array(z.string()).default([]),
        tables: z.array(z.string()).default([]),
      }),
    }),
  ),
  unregisteredMarkers: z.array(Marker).default([]),
});
export type SyntheticRegistryConfig = z.infer<typeof SyntheticRegistrySchema>;

/** Parses the registry; one-line reason on failure. */
export function parseSyntheticRegistry(raw: unknown): SyntheticRegistryConfig {
  const r = SyntheticRegistrySchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`synthetic registry: ${i?.path.join('.') || '(root)'}: ${i?.message}`);
  }
  return r.data;
}
