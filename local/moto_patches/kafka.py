"""MSK (Kafka): where moto answers otherwise than AWS, and what is done here.

- MSK (Kafka): moto names a serverless cluster `serverless-cluster/<uuid>`; AWS names every
  cluster `cluster/<name>/<uuid>`, and IAM policies derive topic and group ARNs from that
  (`topic/<name>/<uuid>/<topic>`). moto's clusters stay CREATING forever, where AWS makes them ACTIVE
  (the provider waits for it); describing a deleted cluster fails with 500 instead of AWS's 404
  NotFoundException (the provider's delete waiter polls for it); GetBootstrapBrokers is missing
  (500), and the provider reads a serverless cluster's SASL/IAM bootstrap string with it. AWS answers
  `BootstrapBrokerStringSaslIam` as `boot-<id>.c1.kafka-serverless.<region>.amazonaws.com:9098`.
  moto's creationTime has no time zone (`2026-01-01T10:00:00.123456`), which the JavaScript SDK
  refuses as not RFC 3339; AWS answers UTC with a `Z`.
"""

import json
import time
from urllib.parse import unquote
from moto.kafka.exceptions import NotFoundException as KafkaNotFound
from moto.kafka.models import FakeKafkaCluster, KafkaBackend
from moto.kafka.responses import KafkaResponse


def _kafka_cluster_init(self, *args, **kwargs):
    _kafka_init(self, *args, **kwargs)
    self.creation_time = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".000Z"


_kafka_init = FakeKafkaCluster.__init__
FakeKafkaCluster.__init__ = _kafka_cluster_init


def _kafka_arn(self):
    return f"arn:aws:kafka:{self.region_name}:{self.account_id}:cluster/{self.cluster_name}/{self.cluster_id}"


FakeKafkaCluster._generate_arn = _kafka_arn


def _existing_cluster(backend, cluster_arn):
    cluster = backend.clusters.get(cluster_arn)
    if cluster is None:
        raise KafkaNotFound(f"Cluster {cluster_arn} not found")
    if cluster.state == "CREATING":  # created in moments here; AWS takes minutes
        cluster.state = "ACTIVE"
    return cluster


def _describe_existing(describe):
    def wrapped(self, cluster_arn):
        _existing_cluster(self, cluster_arn)
        return describe(self, cluster_arn)

    return wrapped


KafkaBackend.describe_cluster_v2 = _describe_existing(KafkaBackend.describe_cluster_v2)
KafkaBackend.describe_cluster = _describe_existing(KafkaBackend.describe_cluster)


def _get_bootstrap_brokers(self):
    path = self.parsed_url.path
    cluster_arn = unquote(path[path.index("/clusters/") + len("/clusters/"):path.rindex("/bootstrap-brokers")])
    cluster = _existing_cluster(self.kafka_backend, cluster_arn)
    if cluster.cluster_type != "SERVERLESS":
        return json.dumps({})
    iam = ((cluster.serverless_config or {}).get("clientAuthentication") or {}).get("sasl", {}).get("iam", {})
    if not iam.get("enabled"):
        return json.dumps({})
    host = f"boot-{cluster.cluster_id[:8]}.c1.kafka-serverless.{cluster.region_name}.amazonaws.com"
    return json.dumps({"bootstrapBrokerStringSaslIam": f"{host}:9098"})


KafkaResponse.get_bootstrap_brokers = _get_bootstrap_brokers
