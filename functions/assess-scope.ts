import type { Context } from 'aws-lambda';
import { LeakScopeSource } from '#adapters/s3-scope-files.ts';
import { AssessScopeInputSchema } from '#contracts/notify.ts';
import { CsvError } from '#domain/scope/csv.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { NonRetryableError } from '#runtime/errors.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { scopeDeps } from '#runtime/notify-deps.ts';
import { assessAndApplyScope } from '#use-cases/scope/apply-scope.ts';

/** Scope of a leaked file (S3 object streamed, or a local path) applied to an incident. */
export const buildDeps = (rt: RuntimeConfig) => scopeDeps(rt);

export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('assess-scope', AssessScopeInputSchema, async (input) => {
    const source = new LeakScopeSource(deps.s3, input.leak, deps.map, deps.emailHmac);
    try {
      return await assessAndApplyScope(
        { ...deps, source },
        { incidentId: input.incidentId, useMap: input.useMap },
      );
    } catch (err) {
      // A malformed artefact will not get better on retry: line number and reason, no content.
      if (err instanceof CsvError) throw new NonRetryableError(`leaked file: ${err.message}`);
      throw err;
    }
  });

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
