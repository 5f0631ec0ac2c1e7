import type { Context } from 'aws-lambda';
import { ApprovalRequestInputSchema } from '#contracts/regulatory-workflow.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { regulatoryDeps } from '#runtime/regulatory-deps.ts';
import { requestApproval } from '#use-cases/regulatory/workflow.ts';

/** regulatory-clock RequestApproval (.waitForTaskToken): parks the draft for the compliance officer. */
export const buildDeps = (rt: RuntimeConfig) => regulatoryDeps(rt);
export const makeHandler = (deps: ReturnType<typeof buildDeps>) =>
  taskHandler('regulatory-request-approval', ApprovalRequestInputSchema, (input) =>
    requestApproval(deps, input),
  );

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
