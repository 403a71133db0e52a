import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { CeAnomalyMonitor } from "@cdktf/provider-aws/lib/ce-anomaly-monitor";
import { CeAnomalySubscription } from "@cdktf/provider-aws/lib/ce-anomaly-subscription";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";

/** AWS services that publish to the alerts topic: CloudWatch alarms, budget notifications, cost anomaly alerts. */
export const ALERT_PUBLISHERS = [
  "cloudwatch.amazonaws.com",
  "budgets.amazonaws.com",
  "costalerts.amazonaws.com",
] as const;

export interface AlertsProps {
  /** Topic name, e.g. acme-dev-alerts; the budget is named after it. */
  readonly name: string;
  /** KMS key that encrypts the topic; its policy must let ALERT_PUBLISHERS use it (kmsStatementForPublishers). */
  readonly kmsKeyArn: string;
  readonly accountId: string;
  /** Monthly cost budget of the account, USD: notifies at 80% of actual and 100% of forecast spend. */
  readonly monthlyBudgetUsd?: number;
  /**
   * Cost anomaly detection: a monitor of the spend carrying this cost allocation tag (activated in
   * the billing console), and an immediate alert when an anomaly's total impact reaches thresholdUsd.
   */
  readonly costAnomaly?: {
    readonly tag: { readonly key: string; readonly value: string };
    readonly thresholdUsd: number;
  };
  /** Email addresses subscribed to the topic; each confirms once from the message AWS sends. */
  readonly emails?: readonly string[];
}

/**
 * Where the environment's alarms go: an encrypted SNS topic that only this account's CloudWatch
 * alarms and budgets may publish to, and, where configured, a monthly cost budget that notifies it.
 * Subscribe people or a chat integration to the topic (README, "Alerts and budget").
 */
export class Alerts extends Construct {
  public readonly topic: SnsTopic;
  public readonly budget?: BudgetsBudget;
  public readonly anomalyMonitor?: CeAnomalyMonitor;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", { name: props.name, kmsMasterKeyId: props.kmsKeyArn });
    new SnsTopicPolicy(this, "policy", {
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountManages",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
            Action: [
              "sns:GetTopicAttributes",
              "sns:SetTopicAttributes",
              "sns:Subscribe",
              "sns:ListSubscriptionsByTopic",
              "sns:Publish",
              "sns:DeleteTopic",
            ],
            Resource: `arn:aws:sns:*:${props.accountId}:${props.name}`,
          },
          {
            Sid: "AlarmsAndBudgetsPublish",
            Effect: "Allow",
            Principal: { Service: [...ALERT_PUBLISHERS] },
            Action: "sns:Publish",
            Resource: `arn:aws:sns:*:${props.accountId}:${props.name}`,
            Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
          },
        ],
      }),
    });
    (props.emails ?? []).forEach((email, i) => {
      new SnsTopicSubscription(this, `email-${i}`, { topicArn: this.topic.arn, protocol: "email", endpoint: email });
    });
    if (props.costAnomaly) this.anomalyMonitor = this.anomalyDetection(props.name, props.costAnomaly);
    if (props.monthlyBudgetUsd !== undefined) {
      const notify = (threshold: number, notificationType: "ACTUAL" | "FORECASTED") => ({
        comparisonOperator: "GREATER_THAN",
        threshold,
        thresholdType: "PERCENTAGE",
        notificationType,
        subscriberSnsTopicArns: [this.topic.arn],
      });
      this.budget = new BudgetsBudget(this, "budget", {
        name: `${props.name}-monthly-cost`,
        accountId: props.accountId,
        budgetType: "COST",
        limitAmount: props.monthlyBudgetUsd.toFixed(2),
        limitUnit: "USD",
        timeUnit: "MONTHLY",
        notification: [notify(80, "ACTUAL"), notify(100, "FORECASTED")],
      });
    }
  }

  private anomalyDetection(name: string, anomaly: NonNullable<AlertsProps["costAnomaly"]>): CeAnomalyMonitor {
    const monitor = new CeAnomalyMonitor(this, "anomaly-monitor", {
      name: `${name}-cost-anomalies`,
      monitorType: "CUSTOM",
      monitorSpecification: JSON.stringify({
        Tags: { Key: anomaly.tag.key, Values: [anomaly.tag.value], MatchOptions: ["EQUALS"] },
      }),
    });
    new CeAnomalySubscription(this, "anomaly-alert", {
      name: `${name}-cost-anomalies`,
      frequency: "IMMEDIATE",
      monitorArnList: [monitor.arn],
      subscriber: [{ type: "SNS", address: this.topic.arn }],
      thresholdExpression: {
        dimension: {
          key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
          matchOptions: ["GREATER_THAN_OR_EQUAL"],
          values: [String(anomaly.thresholdUsd)],
        },
      },
    });
    return monitor;
  }
}

/** The statement an encrypting key needs so that CloudWatch alarms and budgets can publish to a topic it encrypts. */
export function kmsStatementForPublishers(accountId: string) {
  return {
    Sid: "AlarmsAndBudgetsUseKeyForAlerts",
    Effect: "Allow",
    Principal: { Service: [...ALERT_PUBLISHERS] },
    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
    Resource: "*",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  };
}
