// Runs TypeScript without type-checking: strips types with SWC as each .ts file is required.
// Type-checking is a separate step (`npm run typecheck`), so synth pays only for transpiling.
const { transformSync } = require("@swc/core");
const fs = require("fs");

const options = {
  jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  module: { type: "commonjs" },
  sourceMaps: "inline",
  swcrc: false,
  configFile: false,
};

require.extensions[".ts"] = function compile(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), { ...options, filename });
  module._compile(code, filename);
};
