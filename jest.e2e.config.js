/** E2E tier: real OpenTofu, real providers, the local emulator. Run with `npm run e2e`. */
const unit = require("./jest.config");

module.exports = {
  ...unit,
  testPathIgnorePatterns: ["/node_modules/"],
  testMatch: ["**/__tests__/e2e/**/*.e2e.test.ts"],
  maxWorkers: 1,
  verbose: true,
};
