/** Layer rules of DESIGN.md §2. Run by `npm run deps` (part of `npm test`). */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'shared/domain imports only shared/domain (and pure libraries).',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { path: '^(shared/(ports|use-cases|adapters|runtime|contracts)|infra|functions|cli)/' },
    },
    {
      name: 'domain-no-io',
      comment: 'shared/domain uses no SDK, no I/O module.',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: {
        path: '(@aws-sdk|node_modules/mysql2|^node:(fs|net|http|https|child_process))',
        dependencyTypes: ['npm', 'core'],
      },
    },
    {
      name: 'use-cases-never-adapters',
      severity: 'error',
      comment: 'Use cases see ports, domain, contracts and the typed errors only.',
      from: { path: '^shared/use-cases/' },
      to: {
        path: '^(shared/adapters|shared/runtime|infra|functions|cli)/',
        pathNot: '^shared/runtime/errors\\.ts$',
      },
    },
    {
      name: 'ports-are-interfaces',
      severity: 'error',
      from: { path: '^shared/ports/' },
      to: { path: '^(shared/(adapters|use-cases|runtime)|infra|functions|cli)/' },
    },
    {
      name: 'adapters-not-functions-or-infra',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(infra|functions|cli)/' },
    },
    {
      name: 'infra-imports-only-contracts',
      comment: 'CDK code never pulls runtime code; only shared/contracts (env names, event names).',
      severity: 'error',
      from: { path: '^infra/', pathNot: '^infra/local/' },
      to: { path: '^(shared/(domain|ports|use-cases|adapters|runtime)|functions|cli)/' },
    },
    {
      name: 'no-function-imports-function',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^functions/' },
    },
    {
      name: 'regulatory-independent-of-storefront',
      comment:
        'The regulator workflow keeps working with the storefront down: its functions import no storefront or gateway adapter.',
      severity: 'error',
      from: {
        path: '^(functions/regulatory-|shared/(use-cases|adapters|domain)/regulatory|shared/runtime/regulatory-deps)',
      },
      to: { path: '^shared/adapters/(magento|stripe|adyen|braintree|gateway)' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    exclude: { path: '(node_modules|cdk\\.out)' },
  },
};
