import { Testing, TerraformStack } from "cdktf";
import { QueueWithDeadLetter } from "../constructs/queue";
import { FoundationStack } from "../stacks/foundation-stack";
import { ConfigError, parseEnvironment } from "../environments";
import {
  env,
  input,
  onlyResource,
  policy,
  resourcesOf,
  synthesizedPlatform,
  synthJson,
  thrownMessage,
} from "./helpers";

const foundation = (name: string) =>
  synthJson(new FoundationStack(Testing.app(), { env: env(name), imageModules: [] }));

describe("alerts topic and budget (foundation)", () => {
  const prod = foundation("prod");
  const local = foundation("local");

  test("the topic is encrypted with the environment's key and published in the contract", () => {
    expect(onlyResource(prod, "aws_sns_topic")).toMatchObject({
      name: "acme-prod-alerts",
      kms_master_key_id: "${aws_kms_key.key.arn}",
    });
    expect(prod.output?.alerts_topic_arn?.value).toMatch(/^\$\{aws_sns_topic\.alerts_topic_[0-9A-F]{8}\.arn\}$/);
  });

  test("only this account's alarms, budgets and cost anomaly alerts may publish, and they may use the key for it", () => {
    const statements = policy(onlyResource(prod, "aws_sns_topic_policy").policy).Statement;
    expect(statements).toContainEqual({
      Sid: "AlarmsAndBudgetsPublish",
      Effect: "Allow",
      Principal: { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "costalerts.amazonaws.com"] },
      Action: "sns:Publish",
      Resource: "arn:aws:sns:*:333333333333:acme-prod-alerts",
      Condition: { StringEquals: { "aws:SourceAccount": "333333333333" } },
    });
    expect(
      statements.every((s) => JSON.stringify(s.Principal) !== '"*"' && JSON.stringify(s.Principal) !== '{"AWS":"*"}'),
    ).toBe(true);
    const key = policy(onlyResource(prod, "aws_kms_key").policy).Statement;
    expect(key).toContainEqual(
      expect.objectContaining({
        Sid: "AlarmsAndBudgetsUseKeyForAlerts",
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Condition: { StringEquals: { "aws:SourceAccount": "333333333333" } },
      }),
    );
  });

  test("a monthly cost budget where the environment sets one: 80% actual, 100% forecast, to the topic", () => {
    expect(env("prod").budget).toEqual({ monthlyLimitUsd: 5000, anomalyAlertUsd: 250 });
    const budget = onlyResource(prod, "aws_budgets_budget") as { notification: Record<string, unknown>[] } & Record<
      string,
      unknown
    >;
    expect(budget).toMatchObject({
      name: "acme-prod-alerts-monthly-cost",
      account_id: "333333333333",
      budget_type: "COST",
      limit_amount: "5000.00",
      limit_unit: "USD",
      time_unit: "MONTHLY",
    });
    expect(
      budget.notification.map((n) => [n.notification_type, n.threshold, n.threshold_type, n.comparison_operator]),
    ).toEqual([
      ["ACTUAL", 80, "PERCENTAGE", "GREATER_THAN"],
      ["FORECASTED", 100, "PERCENTAGE", "GREATER_THAN"],
    ]);
    expect(
      budget.notification.every((n) =>
        JSON.stringify(n.subscriber_sns_topic_arns).includes("aws_sns_topic.alerts_topic"),
      ),
    ).toBe(true);
  });

  test("cost anomaly detection on the environment's tag, alerting the topic at once from the configured impact", () => {
    const monitor = onlyResource(prod, "aws_ce_anomaly_monitor");
    expect(monitor).toMatchObject({ name: "acme-prod-alerts-cost-anomalies", monitor_type: "CUSTOM" });
    expect(JSON.parse(String(monitor.monitor_specification))).toEqual({
      Tags: { Key: "Environment", Values: ["prod"], MatchOptions: ["EQUALS"] },
    });
    const subscription = onlyResource(prod, "aws_ce_anomaly_subscription");
    expect(subscription).toMatchObject({
      frequency: "IMMEDIATE",
      monitor_arn_list: [expect.stringMatching(/^\$\{aws_ce_anomaly_monitor\.[^.]+\.arn\}$/)],
      subscriber: [
        { type: "SNS", address: expect.stringMatching(/^\$\{aws_sns_topic\.alerts_topic_[0-9A-F]{8}\.arn\}$/) },
      ],
      threshold_expression: {
        dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", match_options: ["GREATER_THAN_OR_EQUAL"], values: ["250"] },
      },
    });
    // Without anomalyAlertUsd there is no monitor.
    const raw = input("prod");
    const plain = synthJson(
      new FoundationStack(Testing.app(), {
        env: parseEnvironment({ ...raw, budget: { monthlyLimitUsd: 5000 } }),
        imageModules: [],
      }),
    );
    expect(resourcesOf(plain, "aws_ce_anomaly_monitor")).toEqual({});
  });

  test("the configured addresses are subscribed to the topic by email; a malformed one is refused", () => {
    const subscriptions = Object.values(resourcesOf(prod, "aws_sns_topic_subscription"));
    expect(subscriptions).toEqual([
      {
        topic_arn: expect.stringMatching(/alerts_topic_[0-9A-F]{8}\.arn/),
        protocol: "email",
        endpoint: "platform-alerts@acme.example",
      },
    ]);
    const raw = input("prod");
    expect(
      thrownMessage(() => parseEnvironment({ ...raw, alerts: { emails: ["platform-alerts"] } }), ConfigError),
    ).toContain("alerts.emails.0: must be an email address");
  });

  test("no budget in local (the emulator cannot read one back), the topic all the same", () => {
    expect(env("local").budget).toBeUndefined();
    expect(resourcesOf(local, "aws_budgets_budget")).toEqual({});
    expect(resourcesOf(local, "aws_ce_anomaly_monitor")).toEqual({});
    expect(onlyResource(local, "aws_sns_topic")).toMatchObject({ name: "acme-local-alerts" });
  });
});

describe("dead-letter queue alarm", () => {
  const synth = (alarmTopicArn?: string) => {
    const stack = new TerraformStack(Testing.app(), "s");
    new QueueWithDeadLetter(stack, "work", { queueName: "acme-dev-x-work", maxReceiveCount: 3, alarmTopicArn });
    return synthJson(stack);
  };

  test("fires when the dead-letter queue holds a message and tells the topic, then again when it is empty", () => {
    expect(
      onlyResource(synth("arn:aws:sns:eu-west-1:111111111111:acme-dev-alerts"), "aws_cloudwatch_metric_alarm"),
    ).toMatchObject({
      alarm_name: "acme-dev-x-work-dlq-not-empty",
      namespace: "AWS/SQS",
      metric_name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: "acme-dev-x-work-dlq" },
      statistic: "Maximum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      treat_missing_data: "notBreaching",
      alarm_actions: ["arn:aws:sns:eu-west-1:111111111111:acme-dev-alerts"],
      ok_actions: ["arn:aws:sns:eu-west-1:111111111111:acme-dev-alerts"],
    });
  });

  test("no topic, no alarm", () => {
    expect(resourcesOf(synth(), "aws_cloudwatch_metric_alarm")).toEqual({});
  });
});

describe("alarms switch", () => {
  test("alarms may be off only against an emulator; local has them off, dev's module stacks have theirs", () => {
    const raw = input("dev");
    expect(thrownMessage(() => parseEnvironment({ ...raw, alarms: false }), ConfigError)).toContain(
      "alarms: may be false only for an environment that runs against an emulator",
    );
    expect(env("local").alarms).toBe(false);
    const { stacks } = synthesizedPlatform();
    const alarmsOf = (name: string) =>
      Object.keys(resourcesOf(stacks.get(name)!, "aws_cloudwatch_metric_alarm")).length;
    expect(["dev-file-processing", "dev-data-pipeline", "dev-order-tracking"].map(alarmsOf)).toEqual([1, 4, 3]);
    expect(["local-file-processing", "local-data-pipeline", "local-order-tracking"].map(alarmsOf)).toEqual([0, 0, 0]);
  });
});
