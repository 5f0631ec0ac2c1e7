#!/usr/bin/env node
// `tourniquet` CLI entry: runs the TypeScript sources through tsx (no build step needed).
import { register } from 'tsx/esm/api';

// Operator output stays readable: function logs at ERROR unless asked for (POWERTOOLS_LOG_LEVEL).
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
register();
await import('../infra/local/polyfill.ts');
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
