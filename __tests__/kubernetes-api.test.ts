/**
 * Every Kubernetes kind the stacks and charts write is served by the pinned server at the version
 * that server prefers. local/kubernetes-api-resources.txt is what it serves (`local/cluster.sh
 * api-resources`; the e2e checks the file against the running server), so an API version the server
 * removed fails here, and so does a deprecated one: the preferred version of a group is its newest
 * stable one.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { synthesizedPlatform } from "./helpers";

const REPO = join(__dirname, "..");

/** The API version and kind of the objects each resource type of the kubernetes and helm providers writes. */
const OBJECTS_OF: Record<string, string[]> = {
  kubernetes_namespace_v1: ["v1 Namespace"],
  kubernetes_service_account_v1: ["v1 ServiceAccount"],
  kubernetes_config_map_v1: ["v1 ConfigMap"],
  kubernetes_service_v1: ["v1 Service"],
  kubernetes_role_v1: ["rbac.authorization.k8s.io/v1 Role"],
  kubernetes_role_binding_v1: ["rbac.authorization.k8s.io/v1 RoleBinding"],
  kubernetes_network_policy_v1: ["networking.k8s.io/v1 NetworkPolicy"],
  kubernetes_deployment_v1: ["apps/v1 Deployment"],
  kubernetes_cron_job_v1: ["batch/v1 CronJob"],
  // Helm keeps each release as a Secret in the release's namespace; the chart's own kinds are read below.
  helm_release: ["v1 Secret"],
};

function served(): Set<string> {
  return new Set(
    readFileSync(join(REPO, "local", "kubernetes-api-resources.txt"), "utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("#")),
  );
}

/** `apiVersion kind` of every document of every chart template under packages/. */
function chartObjects(): { file: string; object: string }[] {
  const found: { file: string; object: string }[] = [];
  for (const module of readdirSync(join(REPO, "packages"), { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const templates = join(REPO, "packages", module.name, "chart", "templates");
    let files: string[];
    try {
      files = readdirSync(templates).filter((f) => f.endsWith(".yaml"));
    } catch {
      continue;
    }
    for (const file of files) {
      for (const doc of readFileSync(join(templates, file), "utf8").split(/^---$/m)) {
        const apiVersion = /^apiVersion: (\S+)$/m.exec(doc)?.[1];
        const kind = /^kind: (\S+)$/m.exec(doc)?.[1];
        if (!apiVersion || !kind)
          throw new Error(`${module.name}/chart/templates/${file}: a document without apiVersion or kind`);
        found.push({ file: `packages/${module.name}/chart/templates/${file}`, object: `${apiVersion} ${kind}` });
      }
    }
  }
  return found;
}

describe("Kubernetes API versions", () => {
  test("every kubernetes and helm resource type the stacks use has its objects listed here", () => {
    const types = new Set<string>();
    for (const json of synthesizedPlatform().stacks.values())
      for (const type of Object.keys(json.resource ?? {}))
        if (type.startsWith("kubernetes_") || type.startsWith("helm_")) types.add(type);
    expect([...types].filter((t) => !(t in OBJECTS_OF))).toEqual([]);
    // The platform's stacks use all of them (in staging and prod, and in local).
    expect([...types].sort()).toEqual(Object.keys(OBJECTS_OF).sort());
  });

  test("each of those objects and each chart template's is served by the pinned server at its preferred version", () => {
    const kinds = served();
    expect(kinds.size).toBeGreaterThan(40);
    const used = [
      ...Object.entries(OBJECTS_OF).flatMap(([type, objects]) => objects.map((object) => ({ file: type, object }))),
      ...chartObjects(),
    ];
    expect(used.filter((u) => !kinds.has(u.object))).toEqual([]);
    expect(chartObjects().map((c) => c.object)).toEqual(["apps/v1 Deployment", "v1 Service"]);
  });

  test("a removed or deprecated version is not in the list", () => {
    const kinds = served();
    // Removed in 1.25 and 1.16; older than the groups' preferred versions.
    for (const old of [
      "batch/v1beta1 CronJob",
      "extensions/v1beta1 Deployment",
      "autoscaling/v2beta2 HorizontalPodAutoscaler",
    ])
      expect(kinds.has(old)).toBe(false);
    expect(kinds.has("batch/v1 CronJob")).toBe(true);
  });
});
