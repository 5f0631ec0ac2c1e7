import type { Command } from 'commander';

/** One line per command module; keep alphabetical. */
export function registerCommands(program: Command): void {
  void program;
}
