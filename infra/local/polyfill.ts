// aws-local-stepfunctions calls Promise.withResolvers (ES2024, Node 22). The Lambda runtime is Node 22;
// this machine's Node is 20, so the local runtime and tests install the same behaviour here.
type Resolvers<T> = { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };
const P = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
if (!P.withResolvers) {
  P.withResolvers = <T>(): Resolvers<T> => {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

// The SDK warns on every process that Node 20 support ends in 2027; the deployed functions run on
// Node 22, so locally the notice is noise on every drill and test run.
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = `${typeof warning === 'string' ? warning : warning.message} ${JSON.stringify(rest[0] ?? '')}`;
  if (/NodeVersionSupportWarning|AWS SDK for JavaScript \(v3\) versions published/.test(text))
    return;
  emitWarning(warning, ...rest);
}) as typeof process.emitWarning;

export {};
