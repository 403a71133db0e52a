import { readFileSync, writeFileSync } from "node:fs";
import { loadPlatform } from "../scripts/lib/platform";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { buildPlatform, stackLayers } from "../app";
import { parseStackId } from "../core/naming";
import { MODULES } from "../packages";
import { CHECKOV_SUPPRESSIONS } from "../policies/checkov-suppressions";
import { RULES } from "../policies/rules";
import { SUPPRESSIONS } from "../policies/suppressions";
import { environmentNames } from "../environments";
import {
  AWS_SERVICES,
  type AwsService,
  EMULATORS,
  ENVIRONMENT_PARTS,
  NOT_IN_LOCAL,
  unservedBy,
} from "../environments/emulators";
import type { ModuleEnvironments } from "../environments/module-entries";
import { replaceGenerated, settingsMarkdown } from "./settings-table";
import { noPositionals, parseCommandLine, runMain } from "../scripts/lib/cli";

// `npm run docs`: the tables in README.md and the module READMEs that mirror code are written from
// the code (module settings schemas and environments, the outputs of the module stacks as synthesized
// in every environment, policy rules, suppressions). `--check` only
// reports what is stale and exits 1; the unit tier runs that check.

const ROOT = join(__dirname, "..");
const cell = (text: string) => text.replace(/\|/g, "\\|");

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");
}

interface OutputDoc {
  readonly description: string;
  readonly sensitive: boolean;
  readonly environments: string[];
}

let outputsCache: Map<string, Map<string, OutputDoc>> | undefined;

/**
 * Every output of every module stack, from a synth of each environment's module stacks: per module,
 * per output, its description, whether it is sensitive, and the environments whose stack has it.
 */
function moduleOutputs(): Map<string, Map<string, OutputDoc>> {
  if (outputsCache) return outputsCache;
  const plans = loadPlatform("", {});
  const app = Testing.app();
  // The module layer of each environment.
  buildPlatform(app, plans, { stacks: new Set(plans.flatMap((plan) => stackLayers(plan)[2])) });
  const byModule = new Map<string, Map<string, OutputDoc>>();
  for (const stack of app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack)) {
    const { env, stack: module } = parseStackId(stack.node.id);
    const outputs = (
      JSON.parse(Testing.synth(stack)) as { output?: Record<string, { description?: string; sensitive?: boolean }> }
    ).output;
    const docs = byModule.get(module) ?? new Map<string, OutputDoc>();
    for (const [name, o] of Object.entries(outputs ?? {})) {
      const doc = docs.get(name) ?? {
        description: o.description ?? "",
        sensitive: o.sensitive === true,
        environments: [],
      };
      doc.environments.push(env);
      docs.set(name, doc);
    }
    byModule.set(module, docs);
  }
  outputsCache = byModule;
  return byModule;
}

/** A module's outputs: name, description, and where its stack has it when not everywhere it runs. */
function outputsMarkdown(module: string): string {
  const docs = moduleOutputs().get(module) ?? new Map<string, OutputDoc>();
  const everywhere = Math.max(0, ...[...docs.values()].map((d) => d.environments.length));
  return table(
    ["output", "description", "environments"],
    [...docs].map(([name, d]) => [
      `\`${name}\``,
      d.sensitive && !/sensitive/i.test(d.description) ? `${d.description} (sensitive)` : d.description,
      d.environments.length === everywhere ? "all where enabled" : d.environments.join(", "),
    ]),
  );
}

/**
 * local/README.md's service table: every AWS service the stacks use, with its resource types, whether
 * each emulator serves it (and why not), and what `local` leaves out where one does not.
 */
function emulatorServicesMarkdown(): string {
  const emulators = Object.keys(EMULATORS) as (keyof typeof EMULATORS)[];
  const leftOut = (service: AwsService): string => {
    const parts = [
      ...(ENVIRONMENT_PARTS[service] ? [ENVIRONMENT_PARTS[service]] : []),
      ...MODULES.flatMap((m) =>
        Object.entries(m.switchable ?? {})
          .filter(([, services]) => services.includes(service))
          .map(([part]) => `${m.name} ${part}`),
      ),
      ...MODULES.filter((m) => m.services.includes(service)).map((m) => `synth refuses ${m.name}`),
    ];
    return parts.join("; ");
  };
  const served = (emulator: keyof typeof EMULATORS, service: AwsService): string => {
    if (NOT_IN_LOCAL[service]) return "-";
    const why = unservedBy(emulator, service);
    return why ? `no: ${why}` : "yes";
  };
  return table(
    [
      "service",
      "resource types",
      ...emulators.map((e) => EMULATORS[e].label),
      "AWS",
      "what local leaves out without it",
    ],
    (Object.keys(AWS_SERVICES) as AwsService[]).map((service) => [
      AWS_SERVICES[service].label,
      AWS_SERVICES[service].types.map((t) => `\`${t}\``).join(", "),
      ...emulators.map((e) => served(e, service)),
      "yes",
      NOT_IN_LOCAL[service] ? `not in local: ${NOT_IN_LOCAL[service]}` : leftOut(service),
    ]),
  );
}

const block = (name: string): [string, string] => [
  `<!-- generated by npm run docs: ${name} -->`,
  `<!-- end of generated ${name} -->`,
];

/** Every generated document as it should be: path relative to the repository, and its text. */
export function generatedDocs(root = ROOT): Map<string, string> {
  const docs = new Map<string, string>();
  for (const m of MODULES) {
    const file = join("packages", m.name, "README.md");
    const text = readFileSync(join(root, file), "utf8");
    const environments = m.environments as ModuleEnvironments<unknown>;
    const settings = replaceGenerated(
      text,
      file,
      settingsMarkdown(m.settings, environments, environmentNames()),
      ...block("settings"),
    );
    docs.set(file, replaceGenerated(settings, file, outputsMarkdown(m.name), ...block("outputs")));
  }
  let readme = readFileSync(join(root, "README.md"), "utf8");
  const sections: [string, string][] = [
    [
      "policy rules",
      table(
        ["Rule", "Requires"],
        RULES.map((r) => [r.id, r.description]),
      ),
    ],
    [
      "suppressions",
      table(
        ["Rule", "Path", "Reason"],
        SUPPRESSIONS.map((s) => [s.id, `\`${s.path}\``, s.reason]),
      ),
    ],
    [
      "checkov suppressions",
      table(
        ["Check", "Path", "Reason"],
        CHECKOV_SUPPRESSIONS.map((s) => [s.check, `\`${s.path}\``, s.reason]),
      ),
    ],
  ];
  for (const [name, body] of sections) readme = replaceGenerated(readme, "README.md", body, ...block(name));
  docs.set("README.md", readme);
  const local = join("local", "README.md");
  docs.set(
    local,
    replaceGenerated(
      readFileSync(join(root, local), "utf8"),
      local,
      emulatorServicesMarkdown(),
      ...block("emulator services"),
    ),
  );
  return docs;
}

/** The generated documents whose file differs from what the code says. */
export function staleDocs(root = ROOT): string[] {
  return [...generatedDocs(root)]
    .filter(([file, text]) => readFileSync(join(root, file), "utf8") !== text)
    .map(([f]) => f);
}

if (require.main === module) {
  runMain(() => {
    const { values, positionals } = parseCommandLine(
      process.argv.slice(2),
      { check: { type: "boolean" } },
      "usage: npm run docs [-- --check]",
    );
    noPositionals(positionals, "usage: npm run docs [-- --check]");
    if (values.check) {
      const stale = staleDocs();
      if (stale.length > 0) {
        console.error(`stale generated tables in ${stale.join(", ")}; run npm run docs`);
        return 1;
      }
      console.log("generated tables are current");
      return 0;
    }
    for (const [file, text] of generatedDocs()) writeFileSync(join(ROOT, file), text);
    console.log("wrote the generated tables of README.md, local/README.md and packages/*/README.md");
    return 0;
  }, "docs");
}
