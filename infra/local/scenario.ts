import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type Scenario, ScenarioSchema } from '#contracts/scenario.ts';

export { type Scenario, ScenarioSchema };

export const SCENARIOS_DIR = path.resolve(import.meta.dirname, '..', '..', 'scenarios');

export function listScenarios(): string[] {
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Loads and validates a scenario; a bad file names the path and the reason on one line. */
export function loadScenario(name: string): Scenario {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`invalid scenario name '${name}'`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(SCENARIOS_DIR, `${name}.json`), 'utf8'));
  } catch (err) {
    const known = listScenarios().join(', ');
    throw new Error(
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? `unknown scenario '${name}' (known: ${known})`
        : `scenario ${name}: ${(err as Error).message}`,
    );
  }
  const r = ScenarioSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`scenario ${name}: ${i?.path.join('.') || '(root)'}: ${i?.message}`);
  }
  return r.data;
}
