/** Unit tier: fast, no network, no Terraform binary. The e2e tier has its own config. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__", "<rootDir>/packages"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/__tests__/e2e/"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  globalSetup: "<rootDir>/__tests__/unit.setup.ts",
  globalTeardown: "<rootDir>/__tests__/unit.teardown.ts",
  ci: true,
  // Two workers at least: jest's default (cores - 1) is one on a 2-core machine, and most suites wait
  // on module loading and child processes as much as they compute (unit tier 71 s with 2, 115 s with 1,
  // 77 s with 3, tsc beside each time; docs/performance.md).
  maxWorkers: Math.max(2, require("node:os").cpus().length - 1),
};
