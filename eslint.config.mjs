// ESLint (typescript-eslint without type information, fast enough for every `npm test`) and the
// layering rule. Formatting is Prettier's: eslint-config-prettier turns the style rules off.
//
// Layers, each importing only from those before it:
//   core          naming, the FoundationOutputs contract, ConfigError, globs, CIDR math, env files
//   environments  the environment schema and values
//   constructs    resources that know nothing of stacks, environments or modules
//   stacks        bootstrap, foundation, module stacks and the module API (stacks/module-api)
//   packages      the modules: constructs and the module API only (a module's tests drive it, like __tests__/)
//   policies, review   read synthesized stacks, plans and git; they use core only
//   app.ts, main.ts, scripts/, tools/, __tests__/   compose and drive everything
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

const ALL = [
  "core",
  "environments",
  "constructs",
  "stacks",
  "packages",
  "policies",
  "review",
  "scripts",
  "tools",
  "app",
  "main",
];

/** The relative imports of `folders` from any depth: `../stacks/x`, `../../constructs/y`, `../app`. */
const layers = (folders, message) => ({ regex: `^(\\./|(\\.\\./)+)(${folders.join("|")})(/|$)`, message });

/** A folder may import the layers listed before it, and no other. */
const onlyBelow = (folder, allowed) => ({
  files: [`${folder}/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          layers(
            ALL.filter((f) => f !== folder && !allowed.includes(f)),
            `${folder}/ may import only ${allowed.join(", ") || "nothing of this project"}: dependencies point one way (eslint.config.mjs)`,
          ),
        ],
      },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "cdktf.out/**",
      ".e2e/**",
      ".plans/**",
      ".drift/**",
      ".bootstrap/**",
      "coverage/**",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  { rules: { "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }] } },
  onlyBelow("core", []),
  onlyBelow("environments", ["core"]),
  onlyBelow("constructs", ["core"]),
  onlyBelow("stacks", ["core", "environments", "constructs"]),
  {
    files: ["packages/**/*.ts"],
    ignores: ["packages/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            layers(
              ["policies", "review", "scripts", "tools", "app", "main"],
              "packages/ may import core, environments, constructs and stacks/module-api: dependencies point one way (eslint.config.mjs)",
            ),
            {
              regex: "^(\\.\\./)+stacks/(?!module-api$)",
              message: "a module reaches the stacks only through stacks/module-api (eslint.config.mjs)",
            },
          ],
        },
      ],
    },
  },
  onlyBelow("policies", ["core"]),
  onlyBelow("review", ["core"]),
  {
    files: ["stacks/**/*.ts", "constructs/**/*.ts", "packages/**/*.ts"],
    ignores: ["packages/**/*.test.ts"],
    rules: { "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }] },
  },
);
