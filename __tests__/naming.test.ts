import { formatStackId, layerOf, layerRank, LAYERS, parseStackId, stackName } from "../core/naming";

describe("stack identity", () => {
  it("takes a stack id apart into environment, layer and stack", () => {
    expect(parseStackId("dev-bootstrap")).toEqual({ env: "dev", layer: "bootstrap", stack: "bootstrap" });
    expect(parseStackId("prod-foundation")).toEqual({ env: "prod", layer: "foundation", stack: "foundation" });
    expect(parseStackId("local-file-processing")).toEqual({
      env: "local",
      layer: "module",
      stack: "file-processing",
    });
  });

  it("formats what it parses back to the same id", () => {
    for (const id of ["dev-bootstrap", "staging-foundation", "prod-order-tracking", "local-ml-platform"]) {
      expect(formatStackId(parseStackId(id))).toBe(id);
    }
    expect(formatStackId({ env: "dev", stack: "data-pipeline" })).toBe(stackName({ name: "dev" }, "data-pipeline"));
  });

  it("parses globs with their parts as written", () => {
    expect(parseStackId("dev-*")).toEqual({ env: "dev", layer: "module", stack: "*" });
    expect(parseStackId("*-foundation")).toEqual({ env: "*", layer: "foundation", stack: "foundation" });
    expect(parseStackId("dev")).toEqual({ env: "dev", layer: "module", stack: "" });
  });

  it("orders the layers for deploy", () => {
    expect(LAYERS.map(layerRank)).toEqual([0, 1, 2]);
    expect(["order-tracking", "foundation", "bootstrap"].map(layerOf)).toEqual(["module", "foundation", "bootstrap"]);
  });
});
