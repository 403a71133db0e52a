import { defineModule, KUBERNETES_INPUTS } from "../../stacks/module-api";
import { environments } from "./environments";
import { settings } from "./settings";

const CONSUMES = ["kms_key_arn", "log_bucket_name", "alerts_topic_arn", ...KUBERNETES_INPUTS] as const;

export default defineModule({
  name: "data-pipeline",
  owner: "@acme/data-team",
  description:
    "Data lake (raw, processed, curated), an event stream landed in the raw zone by a function, a metadata table and a job queue.",
  consumes: CONSUMES,
  image: true,
  services: ["s3", "kinesis", "sqs", "iam", "secretsmanager"],
  switchable: { landing: ["lambda", "logs"], metadata: ["dynamodb"] },
  // The batch job's own databases (Airflow's and the Hive metastore's): both have POSTGRES_USER, so
  // data-pipeline.env holds POSTGRES_AIRFLOW_USER and POSTGRES_METASTORE_USER.
  secrets: [
    {
      name: "postgres-airflow",
      description: "Credentials of the Airflow metadata database.",
      keys: ["POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"],
      generate: ["POSTGRES_PASSWORD"],
    },
    {
      name: "postgres-metastore",
      description: "Credentials of the Hive metastore database.",
      keys: ["POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"],
      generate: ["POSTGRES_PASSWORD"],
    },
  ],
  settings,
  environments,
});
