import type { Command } from 'commander';
import { registerObligations } from './obligations.ts';

/** One line per command module; keep alphabetical. */
export function registerCommands(program: Command): void {
  void program;
  registerObligations(program);
}
