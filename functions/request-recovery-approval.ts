import type { Context } from 'aws-lambda';
import { RecoveryApprovalInputSchema } from '#contracts/recovery.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { recoveryDeps } from '#runtime/recovery-deps.ts';
import { requestRecoveryApproval } from '#use-cases/recovery/gate.ts';

export const buildDeps = (rt: RuntimeConfig) => recoveryDeps(rt);
export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('request-recovery-approval', RecoveryApprovalInputSchema, (input) =>
    requestRecoveryApproval(deps, input),
  );

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
