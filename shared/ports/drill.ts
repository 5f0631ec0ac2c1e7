import type { Scenario } from '#contracts/scenario.ts';

/** The drill scenarios (scenarios/*.json), as data. */
export interface ScenarioCatalog {
  names(): string[];
  /** The validated scenario, or undefined when there is none of that name. */
  get(name: string): Scenario | undefined;
}
