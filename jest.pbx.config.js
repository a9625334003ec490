/**
 * The live-PBX suite (`npm run test:pbx`): a real Asterisk 20 from `../shared/pbx/` with the shipped
 * `docker/asterisk/` configuration, driven by sipp. Not part of `npm test` (a plain clone has no ../shared).
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/server/test/pbx'],
  testMatch: ['**/*.pbx.ts'],
  testTimeout: 60000,
};
