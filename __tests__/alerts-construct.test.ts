import { ALERT_PUBLISHERS, Alerts, type AlertsProps, kmsStatementForPublishers } from "../constructs/alerts";
import { awsTestStack, onlyResource, policy, resourcesOf, type StackJson, synthJson } from "./helpers";

const BASE: AlertsProps = {
  name: "acme-x-alerts",
  kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/k",
  accountId: "111111111111",
};

function alerts(props: Partial<AlertsProps> = {}): StackJson {
  const stack = awsTestStack();
  new Alerts(stack, "alerts", { ...BASE, ...props });
  return synthJson(stack);
}

describe("Alerts (the construct)", () => {
  const json = alerts();

  test("defaults: an encrypted topic that the account manages and only its alarms, budgets and anomaly alerts publish to; nothing else", () => {
    expect(onlyResource(json, "aws_sns_topic")).toEqual({ name: "acme-x-alerts", kms_master_key_id: BASE.kmsKeyArn });
    const statements = policy(onlyResource(json, "aws_sns_topic_policy").policy).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(["AccountManages", "AlarmsAndBudgetsPublish"]);
    expect(statements[0]).toMatchObject({
      Principal: { AWS: "arn:aws:iam::111111111111:root" },
      Resource: "arn:aws:sns:*:111111111111:acme-x-alerts",
    });
    expect(statements[1]).toEqual({
      Sid: "AlarmsAndBudgetsPublish",
      Effect: "Allow",
      Principal: { Service: [...ALERT_PUBLISHERS] },
      Action: "sns:Publish",
      Resource: "arn:aws:sns:*:111111111111:acme-x-alerts",
      Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
    });
    for (const type of ["aws_sns_topic_subscription", "aws_budgets_budget", "aws_ce_anomaly_monitor"])
      expect(resourcesOf(json, type)).toEqual({});
  });

  test("props: email subscriptions, a monthly budget at 80% actual and 100% forecast, an anomaly alert on a tag", () => {
    const full = alerts({
      emails: ["oncall@example.com", "lead@example.com"],
      monthlyBudgetUsd: 1500,
      costAnomaly: { tag: { key: "Environment", value: "x" }, thresholdUsd: 100 },
    });
    expect(Object.values(resourcesOf(full, "aws_sns_topic_subscription")).map((s) => [s.protocol, s.endpoint])).toEqual(
      [
        ["email", "oncall@example.com"],
        ["email", "lead@example.com"],
      ],
    );
    const budget = onlyResource(full, "aws_budgets_budget");
    expect(budget).toMatchObject({
      name: "acme-x-alerts-monthly-cost",
      account_id: "111111111111",
      budget_type: "COST",
      limit_amount: "1500.00",
      limit_unit: "USD",
      time_unit: "MONTHLY",
    });
    expect((budget.notification as Record<string, unknown>[]).map((n) => [n.threshold, n.notification_type])).toEqual([
      [80, "ACTUAL"],
      [100, "FORECASTED"],
    ]);
    expect(JSON.parse(String(onlyResource(full, "aws_ce_anomaly_monitor").monitor_specification))).toEqual({
      Tags: { Key: "Environment", Values: ["x"], MatchOptions: ["EQUALS"] },
    });
    expect(onlyResource(full, "aws_ce_anomaly_subscription")).toMatchObject({
      frequency: "IMMEDIATE",
      threshold_expression: {
        dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", match_options: ["GREATER_THAN_OR_EQUAL"], values: ["100"] },
      },
    });
  });

  test("the key statement the topic's key needs names the same publishers", () => {
    expect(kmsStatementForPublishers("111111111111")).toMatchObject({
      Principal: { Service: [...ALERT_PUBLISHERS] },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
    });
  });
});
