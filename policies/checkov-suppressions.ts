import type { CheckovSuppression } from "./checkov";

const NON_PROD_RETENTION =
  "non-production logs are kept for the environment's logRetentionDays (local 1, dev 14, staging 30) to bound cost; prod keeps 365 days and the environment schema refuses less there.";
const NOT_MULTI_AZ =
  "a single-AZ database bounds the cost of a non-production environment; prod runs Multi-AZ (packages/order-tracking/environments.ts, checked by a test).";
const DISPOSABLE_DEV =
  "dev is disposable (deletionProtection: false), so its stacks can be torn down and rebuilt; staging and prod protect data, and the schema requires it in prod.";
const SINGLE_CACHE_NODE =
  "one cache node bounds the cost of an environment where the cache may be lost (it holds copies of features, not data of record); staging and prod run two or more nodes with automatic failover across AZs (packages/ml-platform/environments.ts, checked by a test).";
const EMULATOR =
  "local runs against an emulator and every end-to-end run destroys it (deletionProtection: false); nothing in it is kept.";
const LOG_TARGET_SSE_S3 =
  "a target of S3 server access logs (and ALB access logs) must use SSE-S3 default encryption: S3 does not deliver those logs to SSE-KMS buckets. Public access is blocked and the bucket policy admits only the log delivery service of this account.";

/**
 * Every Checkov check a synthesized resource may fail, with why. `npm test` runs Checkov over every
 * stack of every environment and fails on any finding not listed here, and on entries here that no
 * finding needs. The README's table mirrors this list.
 */
export const CHECKOV_SUPPRESSIONS: readonly CheckovSuppression[] = [
  {
    check: "CKV_AWS_144",
    path: "*/bucket",
    reason:
      "cross-region replication is a disaster-recovery choice per data set, not a platform default: every environment runs in one region; buckets are versioned and keep noncurrent versions, and a module that needs a second region adds replication itself.",
  },
  {
    check: "CKV2_AWS_62",
    path: "*/bucket",
    reason:
      "event notifications are configured where something consumes them (the file-processing inbox notifies its queue); on buckets without a consumer a notification would go nowhere.",
  },
  { check: "CKV_AWS_338", path: "local-*", reason: NON_PROD_RETENTION },
  { check: "CKV_AWS_338", path: "dev-*", reason: NON_PROD_RETENTION },
  { check: "CKV_AWS_338", path: "staging-*", reason: NON_PROD_RETENTION },
  { check: "CKV_AWS_145", path: "*-bootstrap/state-access-logs/bucket", reason: LOG_TARGET_SSE_S3 },
  { check: "CKV_AWS_145", path: "*-foundation/logs/bucket", reason: LOG_TARGET_SSE_S3 },
  {
    check: "CKV_AWS_18",
    path: "*-foundation/logs/bucket",
    reason:
      "this is the access-log bucket that every other bucket logs to; logging its own access would log the log deliveries themselves.",
  },
  {
    check: "CKV_AWS_260",
    path: "*-order-tracking/api/public-http",
    reason:
      "port 80 on the public load balancer only answers with a redirect to HTTPS (listener `http`); everything else is served on 443 with TLS 1.2+.",
  },
  {
    check: "CKV2_AWS_76",
    path: "*-order-tracking/api/alb",
    reason:
      "the web ACL has the Log4j signatures (AWSManagedRulesKnownBadInputsRuleSet); the check also demands AWSManagedRulesAnonymousIpList, which blocks hosting-provider addresses that partner integrations call from.",
  },
  { check: "CKV_AWS_157", path: "local-order-tracking/database/db", reason: NOT_MULTI_AZ },
  { check: "CKV_AWS_157", path: "dev-order-tracking/database/db", reason: NOT_MULTI_AZ },
  { check: "CKV_AWS_157", path: "staging-order-tracking/database/db", reason: NOT_MULTI_AZ },
  { check: "CKV_AWS_293", path: "local-order-tracking/database/db", reason: EMULATOR },
  { check: "CKV_AWS_150", path: "local-order-tracking/api/alb", reason: EMULATOR },
  { check: "CKV_AWS_293", path: "dev-order-tracking/database/db", reason: DISPOSABLE_DEV },
  { check: "CKV_AWS_150", path: "dev-order-tracking/api/alb", reason: DISPOSABLE_DEV },
  {
    check: "CKV2_AWS_5",
    path: "*-order-tracking/events/sg",
    reason:
      "the group is attached to the MSK Serverless cluster (vpc_config.security_group_ids), a resource kind the check does not know; its only rule admits the service's group on 9098.",
  },
  {
    check: "CKV_AWS_117",
    path: "*-data-pipeline/landing/function",
    reason:
      "the function reads its Kinesis stream and writes S3 through AWS APIs and reaches nothing inside the VPC; outside it, it needs no NAT, interface endpoint or network interfaces, and its role scopes what it may call.",
  },
  {
    check: "CKV_AWS_272",
    path: "*-data-pipeline/landing/function",
    reason:
      "the code is the reviewed file in this repository, packaged at synth (deterministic zip, its hash in the plan) and applied only by the environment's apply role; a signing profile would sign what the same pipeline built from the same commit.",
  },
  {
    check: "CKV2_AWS_38",
    path: "*-foundation/public-zone",
    reason:
      "DNSSEC signing takes effect only with a DS record in the parent domain, which is delegated outside this project; signing without it protects nothing, and a key-signing key rolled wrong takes every name offline. Sign together with the delegation.",
  },
  {
    check: "CKV2_AWS_39",
    path: "*-foundation/public-zone",
    reason:
      "Route 53 delivers public query logs only to CloudWatch Logs in us-east-1; the environments run in eu-west-1 and have no us-east-1 resources yet. The alias and validation records are in state and reviewed in plans.",
  },
  {
    check: "CKV2_AWS_57",
    path: "*/secret-*/secret",
    reason:
      "rotation needs a function that knows the credential's system (a database user, a partner's key); an environment turns it on per secret with modules.<module>.secretRotation where one exists. Values the platform generates are replaced by putting a new version (secrets-fill never overwrites one), which secrets-init and the workloads read at start.",
  },
  { check: "CKV2_AWS_50", path: "local-ml-platform/cache/group", reason: SINGLE_CACHE_NODE },
  { check: "CKV2_AWS_50", path: "dev-ml-platform/cache/group", reason: SINGLE_CACHE_NODE },
  {
    check: "CKV_K8S_43",
    path: "*/serving/deployment",
    reason:
      "images are pulled by an immutable tag: the module's ECR repository refuses to overwrite a tag (image_tag_mutability IMMUTABLE) and settings refuse `latest`, so a tag names exactly one digest.",
  },
  {
    check: "CKV_AWS_68",
    path: "*/frontend/distribution",
    reason:
      "the distribution serves static files (GET and HEAD only, cached) from a private bucket: there is no application behind it for a web ACL's rules to protect, and CloudFront's Shield Standard absorbs floods. The API, which runs code, has its web ACL (order-tracking/api/waf).",
  },
  {
    check: "CKV2_AWS_47",
    path: "*/frontend/distribution",
    reason:
      "no web ACL on a static site (see CKV_AWS_68 above); the Log4j signatures guard the API's load balancer, where code runs.",
  },
  {
    check: "CKV_AWS_86",
    path: "*/frontend/distribution",
    reason:
      "CloudFront's standard logs need a bucket with ACLs enabled, which every bucket here refuses (BucketOwnerEnforced); the site bucket's S3 server access logs record every object CloudFront fetches, and CloudFront's request metrics are on by default.",
  },
  {
    check: "CKV_AWS_374",
    path: "*/frontend/distribution",
    reason:
      "the tracking page serves customers wherever they are; restricting countries is a product decision, not a platform default.",
  },
  {
    check: "CKV_AWS_310",
    path: "*/frontend/distribution",
    reason:
      "one origin bucket per environment, in one region (as CKV_AWS_144 above): S3 is the durable copy and the files are rebuilt from the repository; a second-region origin group belongs with cross-region replication, per site.",
  },
  {
    check: "CKV2_AWS_32",
    path: "*/frontend/distribution",
    reason:
      "a response headers policy is attached: AWS's managed SecurityHeadersPolicy (HSTS, nosniff, frame DENY, referrer policy, XSS protection), by its id in the default cache behaviour; the check recognises only a policy resource defined in the same configuration.",
  },
];
