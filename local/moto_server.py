"""moto's server with the gaps the stacks hit filled in, started by local/emulator.sh.

- S3 tag-on-create: AWS provider 6.x sends a bucket's tags inside CreateBucketConfiguration (an
  S3 feature of 2025); moto 5.2 accepts the request and drops the tags, so every plan after the
  first apply would re-add them. Apply the tags the way S3 does.
- Route53 private zones: AWS makes a zone private when CreateHostedZone names a VPC; moto also
  wants HostedZoneConfig.PrivateZone, which the provider does not send, and creates a public zone.
- SQS: SetQueueAttributes without a Policy (e.g. setting the redrive policy) clears the queue's
  access policy in moto; AWS changes only the attributes named. The provider then waits forever
  for the policy it set to show.
- SQS: AWS returns RedrivePolicy and Policy as the compact JSON it was given; moto adds spaces,
  which the provider reports as a change on every plan.
- Kinesis: CreateStream's Tags are dropped by moto; AWS applies them.
"""

import json
import sys

import xmltodict
from moto.kinesis.responses import KinesisResponse
from moto.route53.responses import Route53
from moto.s3.responses import S3Response
from moto.sqs.models import Queue
from moto.server import main

_bucket_put = S3Response._bucket_response_put


def _bucket_put_with_tags(self, request, bucket_name, querystring):
    result = _bucket_put(self, request, bucket_name, querystring)
    if querystring or not self.body:
        return result
    try:
        config = xmltodict.parse(self.body).get("CreateBucketConfiguration") or {}
    except Exception:  # not XML: nothing to read tags from
        return result
    tags = (config.get("Tags") or {}).get("Tag") or []
    tags = tags if isinstance(tags, list) else [tags]
    if tags:
        self.backend.put_bucket_tagging(bucket_name, {t["Key"]: t.get("Value") or "" for t in tags})
    return result


S3Response._bucket_response_put = _bucket_put_with_tags

_create_zone = Route53.create_hosted_zone


def _create_zone_private_with_vpc(self):
    if self._get_param("VPC.VPCId") and self._get_param("HostedZoneConfig.PrivateZone") is None:
        read_bool = self._get_bool_param
        self._get_bool_param = lambda name, if_none=None: True if name == "HostedZoneConfig.PrivateZone" else read_bool(name, if_none)
    return _create_zone(self)


Route53.create_hosted_zone = _create_zone_private_with_vpc

_set_queue_attributes = Queue._set_attributes


def _set_queue_attributes_keep_policy(self, attributes, now=None):
    policy = getattr(self, "policy", None)
    _set_queue_attributes(self, attributes, now)
    if "Policy" not in attributes:
        self.policy = policy


Queue._set_attributes = _set_queue_attributes_keep_policy

_queue_attributes = Queue.attributes.fget


def _queue_attributes_compact(self):
    result = _queue_attributes(self)
    if self.redrive_policy:
        result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
    if result.get("Policy"):
        result["Policy"] = json.dumps(json.loads(result["Policy"]), separators=(",", ":"))
    return result


Queue.attributes = property(_queue_attributes_compact)

_create_stream = KinesisResponse.create_stream


def _create_stream_with_tags(self):
    result = _create_stream(self)
    tags = self._get_param("Tags")
    if tags:
        self.kinesis_backend.add_tags_to_stream(None, self._get_param("StreamName"), tags)
    return result


KinesisResponse.create_stream = _create_stream_with_tags

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
