import type { Context } from 'aws-lambda';
import { ListMagentoMediaInputSchema } from '#contracts/media.ts';
import { processRuntime } from '#runtime/aws-runtime.ts';
import type { RuntimeConfig } from '#runtime/config.ts';
import { lazy, taskHandler } from '#runtime/handler.ts';
import { mediaListingDeps } from '#runtime/media-listing-deps.ts';
import {
  type ListMagentoMediaDeps,
  listMagentoMedia,
} from '#use-cases/media/list-magento-media.ts';

export function buildDeps(rt: RuntimeConfig): ListMagentoMediaDeps {
  return mediaListingDeps(rt);
}

/** scan-media's ListMagentoMedia task: Magento media listing → JSON item file for the Map. */
export const makeHandler = (deps: ListMagentoMediaDeps) =>
  taskHandler('list-magento-media', ListMagentoMediaInputSchema, (input) =>
    listMagentoMedia(deps, input),
  );

const instance = lazy(() => makeHandler(buildDeps(processRuntime())));
export const handler = (event: unknown, ctx: Context) => instance()(event, ctx);
