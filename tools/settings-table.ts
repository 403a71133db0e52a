import { z } from "zod";
import type { ModuleEnvironments } from "../environments/module-entries";

/** The part of a JSON Schema (draft 2020-12, as zod writes it) that the table reads. */
interface JsonSchema {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly anyOf?: readonly JsonSchema[];
}

/** One row: a setting's path, its type and range, its default, what it is, and where it differs. */
export interface SettingRow {
  readonly path: string;
  readonly type: string;
  readonly default: string;
  readonly description: string;
  readonly environments: string;
}

const code = (v: unknown) => `\`${JSON.stringify(v)}\``;
const LIMIT = Number.MAX_SAFE_INTEGER;

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map(code).join(" \\| ");
  if (s.anyOf) return s.anyOf.map(typeOf).join(" or ");
  if (s.type === "array") return `list of ${s.items ? typeOf(s.items) : "values"}`;
  const low = s.minimum ?? (s.type === "string" && s.minLength ? s.minLength : undefined);
  const high = s.maximum !== undefined && s.maximum < LIMIT ? s.maximum : undefined;
  if (s.type === "integer" || s.type === "number") {
    if (low !== undefined && high !== undefined) return `${s.type} ${low} to ${high}`;
    if (low !== undefined) return `${s.type} >= ${low}`;
    if (high !== undefined) return `${s.type} <= ${high}`;
  }
  return s.type ?? "any";
}

/** Every leaf of `value` as [dotted path, value]; lists are leaves. */
function leaves(value: unknown, prefix = ""): [string, unknown][] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** Per setting path, what each environment (and `default`) of the module's entries sets it to. */
function environmentValues(environments: ModuleEnvironments<unknown>): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const [env, entry] of Object.entries(environments)) {
    for (const [path, value] of leaves(entry.settings ?? {})) {
      byPath.set(path, [...(byPath.get(path) ?? []), `${env}: ${code(value)}`]);
    }
  }
  return byPath;
}

/** The rows of a settings schema: objects first, then their fields, in declaration order. */
export function settingRows(schema: z.ZodType, environments: ModuleEnvironments<unknown>): SettingRow[] {
  const root = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const set = environmentValues(environments);
  const rows: SettingRow[] = [];
  const walk = (s: JsonSchema, prefix: string) => {
    for (const [key, field] of Object.entries(s.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      const object = field.type === "object" && field.properties !== undefined;
      rows.push({
        path,
        type: object ? "object" : typeOf(field),
        default: object || field.default === undefined ? "" : code(field.default),
        description: (field.description ?? "").replace(/\|/g, "\\|"),
        environments: (set.get(path) ?? []).join("<br>"),
      });
      if (object) walk(field, path);
    }
  };
  walk(root, "");
  return rows;
}

/** The markdown of a module's settings: where it is enabled, then one row per setting. */
export function settingsMarkdown(
  schema: z.ZodType,
  environments: ModuleEnvironments<unknown>,
  environmentNames: readonly string[],
): string {
  const enabled = environmentNames.filter((e) => environments[e]?.enabled ?? environments.default.enabled);
  const disabled = environmentNames.filter((e) => !enabled.includes(e));
  const rows = settingRows(schema, environments);
  return [
    `Enabled in ${enabled.join(", ") || "no environment"}${disabled.length > 0 ? `; disabled in ${disabled.join(", ")}` : ""}. ` +
      "The last column shows what `environments.ts` sets, per environment, over the defaults.",
    "",
    "| setting | type | default | description | per environment |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| \`${r.path}\` | ${r.type} | ${r.default} | ${r.description} | ${r.environments} |`),
  ].join("\n");
}

/** `readme` with the text between the markers replaced; an error naming the file when they are missing. */
export function replaceGenerated(readme: string, file: string, body: string, begin: string, end: string): string {
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from)
    throw new Error(`${file}: no "${begin}" ... "${end}" block to write the generated table into; add both lines`);
  return `${readme.slice(0, from + begin.length)}\n${body}\n${readme.slice(to)}`;
}
