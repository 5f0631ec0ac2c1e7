#!/usr/bin/env node
// `tourniquet` CLI entry: runs the TypeScript sources through tsx (no build step needed).
import { register } from 'tsx/esm/api';

// Operator output stays readable: function logs at ERROR unless asked for (POWERTOOLS_LOG_LEVEL),
// and the SDK's Node-version notice (the Lambda runtime is Node 22) is not repeated on every run.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : (warning?.message ?? '');
  if (
    /NodeVersionSupportWarning|AWS SDK for JavaScript \(v3\) versions published/.test(
      String(rest[0]) + text,
    )
  )
    return;
  emitWarning(warning, ...rest);
};

register();
await import('../infra/local/polyfill.ts');
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
