import type { PolicyRule } from "../rule";
import { cloudfrontHttps } from "./cloudfront-https";
import { deletionProtection } from "./deletion-protection";
import { dynamodbEncryption } from "./dynamodb-encryption";
import { ecrEncryption } from "./ecr-encryption";
import { eksSecretsEncryption } from "./eks-secrets-encryption";
import { iamNoAdmin } from "./iam-no-admin";
import { kinesisEncryption } from "./kinesis-encryption";
import { lambdaGuardrails } from "./lambda-guardrails";
import { logGroupEncryption } from "./log-group-encryption";
import { mskIamAuth } from "./msk-iam-auth";
import { noPublicIngress } from "./no-public-ingress";
import { rdsEncryption } from "./rds-encryption";
import { rdsNotPublic } from "./rds-not-public";
import { redisEncryption } from "./redis-encryption";
import { requiredTags } from "./required-tags";
import { s3Encryption } from "./s3-encryption";
import { s3PublicAccessBlock } from "./s3-public-access-block";
import { s3TlsOnly } from "./s3-tls-only";
import { secretEncryption } from "./secret-encryption";
import { snsEncryption } from "./sns-encryption";
import { sqsEncryption } from "./sqs-encryption";

/** Every rule of the pack, in the order the README lists them. */
export const RULES: readonly PolicyRule[] = [
  s3Encryption,
  s3PublicAccessBlock,
  s3TlsOnly,
  dynamodbEncryption,
  rdsEncryption,
  rdsNotPublic,
  sqsEncryption,
  kinesisEncryption,
  mskIamAuth,
  redisEncryption,
  snsEncryption,
  secretEncryption,
  lambdaGuardrails,
  ecrEncryption,
  logGroupEncryption,
  eksSecretsEncryption,
  cloudfrontHttps,
  noPublicIngress,
  requiredTags,
  iamNoAdmin,
  deletionProtection,
];
