/** Jest: @swc/jest transpiles the ESM TypeScript sources to CommonJS for tests (ESM-only packages cannot be loaded by Jest on Node 20: keep them out of tested code). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/marbles', '<rootDir>/examples'],
  testMatch: ['**/*.spec.ts', '**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/'],
  moduleNameMapper: {
    // the parser thread runs the built script (the TypeScript sources have none): see src/streams/parseWorkerScript.ts
    '^(\\.{1,2}/)*parseWorkerScript(\\.js)?$': '<rootDir>/test/support/parseWorkerScript.cjs',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  reporters: ['default', '<rootDir>/test/support/summaryReporter.cjs'],
  testTimeout: 30000,
};
