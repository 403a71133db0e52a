"""SQS: where moto answers otherwise than AWS, and what is done here.

- SQS: SetQueueAttributes without a Policy (e.g. setting the redrive policy) clears the queue's
  access policy in moto; AWS changes only the attributes named. The provider then waits forever
  for the policy it set to show.
- SQS: AWS returns RedrivePolicy and Policy as the compact JSON it was given; moto adds spaces,
  which the provider reports as a change on every plan.
"""

import json
from moto.sqs.models import Queue


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
