import { defineModule, KUBERNETES_INPUTS } from "../../stacks/module-api";
import { environments } from "./environments";
import { settings } from "./settings";

export default defineModule({
  name: "file-processing",
  owner: "@acme/ingest-team",
  description: "Inbox bucket whose uploads queue work for a worker that writes to the processed bucket.",
  consumes: ["kms_key_arn", "log_bucket_name", "alerts_topic_arn", ...KUBERNETES_INPUTS],
  image: true,
  services: ["s3", "sqs", "iam"],
  settings,
  environments,
});
