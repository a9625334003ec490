/** Jest runs TypeScript through SWC (legacy decorators + metadata for TypeORM). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/server', '<rootDir>/db', '<rootDir>/dispatch', '<rootDir>/ivr', '<rootDir>/agent-console'],
  // `*.e2e.ts`: browser tests of the agent console (Chromium + axe-core).
  testMatch: ['**/*.test.ts', '**/*.e2e.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/agent-console/dist/'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    }],
  },
  globalSetup: '<rootDir>/server/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/server/test/support/global-teardown.ts',
  testTimeout: 30000,
  // Once (PGlite, all 142 suites passed) the parent process kept a handle open after the global teardown and
  // never exited; until that handle is found, a finished run must end rather than hang CI.
  forceExit: true,
};
