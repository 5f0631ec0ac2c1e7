import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { storeDeps } from '#runtime/store-deps.ts';
import { incidentMetrics } from '#use-cases/incident-metrics.ts';

/** Step Functions "Execution Status Change" of respond / recover: the input carries the incident id. */
const EventSchema = z.object({
  detail: z.object({
    status: z.string(),
    input: z.string().nullish(),
  }),
});

function incidentIdOf(input: string | null | undefined): string | undefined {
  try {
    const j = JSON.parse(input ?? '{}') as {
      incidentId?: string;
      detail?: { incidentId?: string };
    };
    return j.incidentId ?? j.detail?.incidentId;
  } catch {
    return undefined;
  }
}

export const buildDeps = (rt: RuntimeConfig) => ({
  ...storeDeps(rt),
  emit: (line: string) => process.stdout.write(`${line}\n`),
});
export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('record-incident-metrics', EventSchema, async (event) => {
    const incidentId = incidentIdOf(event.detail.input);
    if (!incidentId) return { emitted: 0 };
    const records = await incidentMetrics(deps, { incidentId });
    const ts = deps.clock.now().getTime();
    for (const r of records)
      deps.emit(
        JSON.stringify({
          _aws: {
            Timestamp: ts,
            CloudWatchMetrics: [
              {
                Namespace: r.namespace,
                Dimensions: [Object.keys(r.dimensions)],
                Metrics: Object.keys(r.values).map((Name) => ({ Name, Unit: r.unit })),
              },
            ],
          },
          ...r.dimensions,
          ...r.values,
        }),
      );
    return { emitted: records.length };
  });

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
