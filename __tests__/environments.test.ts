import { ConfigError, loadEnvironments, parseEnvironment } from "../environments";
import { platformInputs } from "../packages";
import { DEFAULT_LOCAL_ENDPOINT, localEnvironment, resolveLocalEndpoint } from "../environments/local";
import { input, thrownMessage } from "./helpers";

const errorOf = (fn: () => unknown) => thrownMessage(fn, ConfigError);

describe("environments", () => {
  test("the four environments validate, in order", () => {
    const envs = loadEnvironments(platformInputs({}), undefined);
    expect(envs.map((e) => e.name)).toEqual(["local", "dev", "staging", "prod"]);
  });

  test("state names are derived from project, environment and account; protection from the endpoint", () => {
    const [dev] = loadEnvironments(platformInputs({}), "dev");
    expect(dev.state).toEqual({
      bucket: "acme-dev-tfstate-111111111111",
      accessLogBucket: "acme-dev-tfstate-logs-111111111111",
      keyPrefix: "acme/dev",
      protect: true,
      locking: "s3",
    });
    expect(loadEnvironments(platformInputs({}), "local")[0].state.protect).toBe(false);
    expect(dev.allowedAccountIds).toEqual(["111111111111"]);
  });

  test("derived state names can be overridden", () => {
    const changed = { ...input("dev"), state: { ...input("dev").state, bucket: "custom-state-bucket" } };
    expect(parseEnvironment(changed).state.bucket).toBe("custom-state-bucket");
  });

  test("every environment carries the five required tags", () => {
    for (const e of loadEnvironments(platformInputs({}), undefined)) {
      expect(Object.keys(e.tags).sort()).toEqual(["CostCenter", "Environment", "ManagedBy", "Owner", "Project"]);
      expect(e.tags.Environment).toBe(e.name);
    }
  });

  test("only local has an emulator endpoint, and only local may be destroyed freely", () => {
    const envs = loadEnvironments(platformInputs({}), undefined);
    expect(envs.filter((e) => e.endpoint).map((e) => e.name)).toEqual(["local"]);
    expect(
      envs
        .filter((e) => !e.deletionProtection)
        .map((e) => e.name)
        .sort(),
    ).toEqual(["dev", "local"]);
  });

  describe("rejects bad input with the environment, field path and reason", () => {
    test("a malformed VPC CIDR", () => {
      const bad = input("staging");
      bad.network.vpcCidr = "10.20.0.0/33x";
      const message = errorOf(() => parseEnvironment(bad));
      expect(message).toContain('environment "staging" is invalid');
      expect(message).toContain("network.vpcCidr: must be an IPv4 CIDR block");
    });

    test("a CIDR prefix too small for per-AZ subnets", () => {
      const bad = input("dev");
      bad.network.vpcCidr = "10.0.0.0/8";
      expect(errorOf(() => parseEnvironment(bad))).toContain("network.vpcCidr: prefix must be between /16 and /24");
    });

    test("an account id that is not 12 digits", () => {
      const bad = input("prod");
      bad.accountId = "12345";
      const message = errorOf(() => parseEnvironment(bad));
      expect(message).toContain('environment "prod" is invalid');
      expect(message).toContain("accountId: must be a 12-digit AWS account id");
    });

    test("allowed accounts that exclude the environment's own account", () => {
      const bad = input("prod");
      bad.allowedAccountIds = ["999999999999"];
      expect(errorOf(() => parseEnvironment(bad))).toContain(
        "allowedAccountIds: allowedAccountIds must include accountId",
      );
    });

    test("an unknown NAT mode", () => {
      const bad = input("dev") as unknown as { network: { natMode: string } };
      bad.network.natMode = "two";
      expect(errorOf(() => parseEnvironment(bad))).toMatch(
        /network\.natMode: .*"none"\|"single"\|"per-az"|network\.natMode: Invalid option/,
      );
    });

    test("a field that does not exist", () => {
      const bad = { ...input("dev"), vpcCidr: "10.0.0.0/16" };
      expect(errorOf(() => parseEnvironment(bad))).toMatch(/\(root\): Unrecognized key.*vpcCidr/);
    });

    test("all errors of all environments at once", () => {
      const a = input("dev");
      a.region = "mars-1";
      const b = input("prod");
      b.logRetentionDays = -1;
      const message = errorOf(() => loadEnvironments([a, b], undefined));
      expect(message).toContain('environment "dev" is invalid:\n  - region: must be an AWS region');
      expect(message).toContain('environment "prod" is invalid:\n  - logRetentionDays:');
    });

    test("two environments with one name", () => {
      expect(errorOf(() => loadEnvironments([input("dev"), input("dev")], undefined))).toBe(
        'environment "dev" is defined twice; environment names must be unique',
      );
    });
  });

  describe("selection", () => {
    test("a comma list selects those environments", () => {
      expect(loadEnvironments(platformInputs({}), "prod, local").map((e) => e.name)).toEqual(["local", "prod"]);
    });

    test("a typo names the bad name and lists the valid ones", () => {
      expect(errorOf(() => loadEnvironments(platformInputs({}), "dev,prdo"))).toBe(
        'unknown environment "prdo" in PLATFORM_ENVIRONMENTS; valid names: local, dev, staging, prod',
      );
    });
  });

  describe("local endpoint, resolved as tflocal does", () => {
    test("defaults to localhost:4566", () => {
      expect(resolveLocalEndpoint({})).toBe(DEFAULT_LOCAL_ENDPOINT);
    });
    test("AWS_ENDPOINT_URL wins", () => {
      expect(resolveLocalEndpoint({ AWS_ENDPOINT_URL: "http://127.0.0.1:4599/", LOCALSTACK_HOSTNAME: "ls" })).toBe(
        "http://127.0.0.1:4599",
      );
    });
    test("LOCALSTACK_HOSTNAME with EDGE_PORT", () => {
      expect(resolveLocalEndpoint({ LOCALSTACK_HOSTNAME: "localstack", EDGE_PORT: "4567" })).toBe(
        "http://localstack:4567",
      );
      expect(resolveLocalEndpoint({ LOCALSTACK_HOSTNAME: "localstack" })).toBe("http://localstack:4566");
    });
    test("the region follows AWS_DEFAULT_REGION like tflocal", () => {
      expect(localEnvironment({ AWS_DEFAULT_REGION: "eu-west-1" }).region).toBe("eu-west-1");
      expect(localEnvironment({}).region).toBe("us-east-1");
    });
    test("a malformed endpoint is rejected at the edge", () => {
      const message = errorOf(() => parseEnvironment(localEnvironment({ AWS_ENDPOINT_URL: "localhost 4566" })));
      expect(message).toContain('environment "local" is invalid');
      expect(message).toContain("endpoint: must be a URL");
    });
  });
});
