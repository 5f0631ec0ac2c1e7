import { drillRunOf } from '#contracts/drills.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import { NonRetryableError } from '#runtime/errors.ts';

/**
 * Drill mode: the side-effecting adapters of a drill incident come from the drill sandbox
 * configuration, never from production. `drill` is built lazily per storefront mode
 * (`down`: storefront-side endpoints refuse every connection) and run (drill media live under
 * `drill/<run id>/`).
 */
export interface DrillModePorts<P> {
  store: Pick<IncidentStore, 'getIncident'>;
  production: P;
  drill?: (storefront: 'up' | 'down', runId?: string) => P;
}

export async function portsForIncident<P>(deps: DrillModePorts<P>, incidentId: string): Promise<P> {
  const incident = await deps.store.getIncident(incidentId);
  if (!incident?.drill) return deps.production;
  if (!deps.drill)
    throw new NonRetryableError(
      `incident ${incidentId} is a drill but no drill sandbox is configured; production adapters are never used for drills`,
    );
  // the run: from the founding drill alert, or from the drill media the incident is about
  const run = drillRunOf(incident);
  return deps.drill(run?.storefront ?? 'up', run?.runId);
}
