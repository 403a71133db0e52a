import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { Construct } from "constructs";

/** AWS services that publish to the alerts topic: CloudWatch alarms and budget notifications. */
export const ALERT_PUBLISHERS = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"] as const;

export interface AlertsProps {
  /** Topic name, e.g. acme-dev-alerts; the budget is named after it. */
  readonly name: string;
  /** KMS key that encrypts the topic; its policy must let ALERT_PUBLISHERS use it (kmsStatementForPublishers). */
  readonly kmsKeyArn: string;
  readonly accountId: string;
  /** Monthly cost budget of the account, USD: notifies at 80% of actual and 100% of forecast spend. */
  readonly monthlyBudgetUsd?: number;
}

/**
 * Where the environment's alarms go: an encrypted SNS topic that only this account's CloudWatch
 * alarms and budgets may publish to, and, where configured, a monthly cost budget that notifies it.
 * Subscribe people or a chat integration to the topic (README, "Alerts and budget").
 */
export class Alerts extends Construct {
  public readonly topic: SnsTopic;
  public readonly budget?: BudgetsBudget;

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
            Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish", "sns:DeleteTopic"],
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
