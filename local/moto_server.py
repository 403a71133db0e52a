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
- DynamoDB: UpdateTable's SSESpecification is ignored by moto; AWS switches the table's encryption
  (to a customer key here). A table created by hand and then adopted by import (README, "Adopting
  existing resources") gets its encryption set that way.
- S3 delete markers: deleting a key from a bucket whose versioning is suspended (as destroying a
  versioned bucket does: the versioning resource goes first) disposes of every version of the key,
  and moto's delete marker has no dispose(): DeleteObjects answers 500 and the SDK retries until it
  gives up. Released S3 state locks leave delete markers in the state bucket, so every destroy of a
  bootstrap stack met this. A delete marker holds no data; disposing of it does nothing.
- MSK (Kafka): moto names a serverless cluster `serverless-cluster/<uuid>`; AWS names every
  cluster `cluster/<name>/<uuid>`, and IAM policies derive topic and group ARNs from that
  (`topic/<name>/<uuid>/<topic>`). moto's clusters stay CREATING forever, where AWS makes them ACTIVE
  (the provider waits for it); describing a deleted cluster fails with 500 instead of AWS's 404
  NotFoundException (the provider's delete waiter polls for it); GetBootstrapBrokers is missing
  (500), and the provider reads a serverless cluster's SASL/IAM bootstrap string with it. AWS answers
  `BootstrapBrokerStringSaslIam` as `boot-<id>.c1.kafka-serverless.<region>.amazonaws.com:9098`.
  moto's creationTime has no time zone (`2026-01-01T10:00:00.123456`), which the JavaScript SDK
  refuses as not RFC 3339; AWS answers UTC with a `Z`.
- ACM DNS validation: moto issues an AMAZON_ISSUED certificate 60 s after the request whatever
  DNS says. AWS issues it once the validation CNAME it names (DomainValidationOptions ResourceRecord)
  resolves in public DNS. Here a certificate is issued when that record, with that value, exists in
  a public hosted zone of the account, and stays PENDING_VALIDATION otherwise, so a stack whose
  validation records are wrong never gets a certificate here either.
- RDS: parameters set with ModifyDBParameterGroup come back without `Source`; AWS reports them
  as `Source: user`, and the provider keeps only those (the others would be planned again every
  time). Performance Insights settings of CreateDBInstance are dropped; AWS returns
  PerformanceInsightsEnabled, ...KMSKeyId and ...RetentionPeriod (7 days by default).
- ECS: CreateService's healthCheckGracePeriodSeconds is dropped; AWS returns it.
- Lambda: a function's DeadLetterConfig and LoggingConfig are dropped on create and update; AWS
  returns them (LoggingConfig defaults to Text format in /aws/lambda/<name>).
- Security group rules that reference a group: the `local` provider runs without its account id
  (skip_requesting_account_id, local/README.md), so it reads ReferencedGroupInfo.UserId as another
  account and plans `<account>/sg-...` -> `sg-...` on every run. AWS always returns UserId; here it
  is left out when the group belongs to the caller's account. This one serves the local provider
  configuration, not an AWS behaviour.
- ElastiCache replication groups (cluster mode disabled): moto ignores NumCacheClusters (one node
  unless ReplicasPerNodeGroup is given) and creates no member cache clusters, so DescribeCacheClusters
  of `<group>-001` answers 404 where AWS describes the node with the group's encryption settings
  (the provider reads each member, and the at-rest and transit encryption from the first). A
  deleted group stays `deleting` forever, where AWS removes it and its nodes (the provider waits
  until the group is gone). Here NumCacheClusters nodes are created as cache clusters of the group,
  and a deleted group goes away with them. DeleteCacheSubnetGroup is missing (moto answers that it
  does not know the action), so a destroy could never remove a subnet group; here it deletes it, or
  answers CacheSubnetGroupNotFoundFault as AWS does. Each node lists the group's security groups
  (SecurityGroups), which the provider reads as the group's security_group_ids.
- ElastiCache user groups (RBAC) are missing: CreateUserGroup and its siblings are unknown actions.
  Here they are served as AWS does (see the code).
- /moto-api/data.json (moto's dump of every model, which the e2e reads for what no AWS API returns,
  such as an ElastiCache user's passwords) answers 500 once a Lambda function exists: reading the
  function's attributes opens a Docker connection, and only a few kinds of error are skipped. Here
  an attribute that cannot be read is left out, whatever the error.
- CloudFront: an origin's OriginAccessControlId and S3OriginConfig are dropped, and a viewer
  certificate from ACM is reported with CloudFrontDefaultCertificate true; a cache behaviour with a
  cache policy comes back with default ForwardedValues, which AWS leaves out there (the legacy
  settings and a cache policy exclude each other). AWS returns what was set, and the provider plans
  the difference on every run.
- Security group rules that reference a group lose their Description in DescribeSecurityGroupRules
  (moto reads it from the CIDR range only); AWS returns it.

Request log: with MOTO_REQUEST_LOG set, every request is logged there as one line (time, method, path
and query, X-Amz-Target, the SDK's attempt counter, status, milliseconds, the SDK's invocation id),
which moto's own log does not show: a retried request (attempt=2) and which call it was are visible
afterwards, and the invocation id pairs it with its first attempt. A connection that fails while a
request is read or answered is logged too, with status `dropped:<error>`: an answer the client may
not have had.

When IAM is enforced (local/emulator.sh iam on, used by the e2e to run plans with the read-only
plan role), two authorization gaps would refuse what AWS allows:
- S3 HeadBucket: moto checks it as the action s3:HeadBucket, which no AWS policy grants; AWS
  authorizes HeadBucket as s3:ListBucket on the bucket.
- DynamoDB: moto matches every action against the resource "*", so a policy scoped to a table's ARN
  (the plan role's state-lock permission) never applies; AWS matches the table's ARN.
- Requests without a body (GET, HEAD, DELETE of REST services: Lambda, MSK, Route53): moto re-signs
  them over its parsed parameters instead of the empty body, so the payload hash and with it every signature
  differ, and each call is refused with SignatureDoesNotMatch. AWS signs the body as sent. Here the
  body as received is signed, empty or not.
- JSON-protocol services (DynamoDB, SQS, KMS, Kinesis, CloudWatch Logs, ECR): moto answers a denied
  request with the XML error of the query protocol, which their SDK clients cannot read; AWS answers
  400 with {"__type": "AccessDeniedException", "message": ...}.

And one cost of enforcement, not a gap: moto parses every policy document of the caller again on each
request and matches each action pattern with re.match, whose cache holds 512 patterns. The plan role
carries AWS's ReadOnlyAccess, with thousands of patterns, so each of its requests recompiled them:
about 170 ms a request, and the pull-request rehearsal's plans queued behind it. Here a document is
parsed once and a pattern compiled once; what is allowed or denied is unchanged.
"""

import functools
import json
import os
import re
import sys
import threading
import time
from urllib.parse import unquote

import xmltodict
from moto.acm.models import CertBundle
from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.exceptions import _RESTError
from moto.core.responses import ActionResult, EmptyResult
from moto.iam.access_control import IAMPolicy, IAMPolicyStatement, IAMRequestBase
from moto.awslambda.models import LambdaFunction
from moto.cloudfront.models import DefaultCacheBehaviour, Origin as CloudFrontOrigin, ViewerCertificate
from moto.dynamodb.responses import DynamoHandler
from moto.ec2.models.security_groups import SecurityGroupRule
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.elasticache.exceptions import CacheSubnetGroupNotFound, ElastiCacheException, UserNotFound
from moto.elasticache.models import CacheCluster, ElastiCacheBackend, ReplicationGroup
from moto.elasticache.responses import ElastiCacheResponse
from moto.kafka.exceptions import NotFoundException as KafkaNotFound
from moto.kafka.models import FakeKafkaCluster, KafkaBackend
from moto.kafka.responses import KafkaResponse
from moto.kinesis.responses import KinesisResponse
from moto.moto_api._internal.responses import MotoAPIResponse
from moto.rds.models import DBInstance, DBParameterGroup
from moto.route53.models import route53_backends
from moto.route53.responses import Route53
from moto.s3 import responses as s3_responses
from moto.s3.models import FakeDeleteMarker
from moto.s3.responses import S3Response
from moto.sqs.models import Queue
import moto.server
from werkzeug.serving import WSGIRequestHandler
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


def _keep_function_settings(fn, spec):
    if "DeadLetterConfig" in spec:
        fn.dead_letter_config = spec["DeadLetterConfig"] or {}
    if "LoggingConfig" in spec:
        fn.logging_config = {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{fn.function_name}", **(spec["LoggingConfig"] or {})}


def _function_init(self, account_id, spec, *args, **kwargs):
    _lambda_init(self, account_id, spec, *args, **kwargs)
    self.dead_letter_config = {}
    self.logging_config = {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{self.function_name}"}
    _keep_function_settings(self, spec)


def _function_configuration(self, *args, **kwargs):
    config = _lambda_configuration(self, *args, **kwargs)
    if getattr(self, "dead_letter_config", {}).get("TargetArn"):
        config["DeadLetterConfig"] = self.dead_letter_config
    if hasattr(self, "logging_config"):
        config["LoggingConfig"] = self.logging_config
    return config


def _function_update(self, config_updates):
    _keep_function_settings(self, config_updates)
    return _lambda_update(self, config_updates)


_lambda_init = LambdaFunction.__init__
_lambda_configuration = LambdaFunction.get_configuration
_lambda_update = LambdaFunction.update_configuration
LambdaFunction.__init__ = _function_init
LambdaFunction.get_configuration = _function_configuration
LambdaFunction.update_configuration = _function_update


def _update_parameters_as_user(self, new_parameters):
    new_parameters = list(new_parameters)
    _update_parameters(self, new_parameters)
    for new_parameter in new_parameters:
        self.parameters[new_parameter["ParameterName"]]["Source"] = "user"


_update_parameters = DBParameterGroup.update_parameters
DBParameterGroup.update_parameters = _update_parameters_as_user


def _db_instance_with_insights(self, *args, **kwargs):
    _db_instance_init(self, *args, **kwargs)
    enabled = bool(kwargs.get("enable_performance_insights"))
    self.performance_insights_enabled = enabled
    self.performance_insights_kms_key_id = kwargs.get("performance_insights_kms_key_id") if enabled else None
    self.performance_insights_retention_period = (kwargs.get("performance_insights_retention_period") or 7) if enabled else None


_db_instance_init = DBInstance.__init__
DBInstance.__init__ = _db_instance_with_insights


def _create_service_with_grace_period(self):
    result = _create_service(self)
    grace = self._get_param("healthCheckGracePeriodSeconds")
    if grace is not None:
        service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
        service.health_check_grace_period_seconds = grace
    return result


_create_service = EC2ContainerServiceResponse.create_service
EC2ContainerServiceResponse.create_service = _create_service_with_grace_period


def _referenced_group_info(self):
    group = self.source_group
    if not group:
        return None
    if group.get("UserId") in (None, self.ec2_backend.account_id):
        return {k: v for k, v in group.items() if k != "UserId"}
    return group


SecurityGroupRule.referenced_group_info = property(_referenced_group_info)


def _rule_description(self):
    return self.ip_range.get("Description") or (self.source_group or {}).get("Description")


SecurityGroupRule.description = property(_rule_description)


def _validation_record_published(account_id, name, value):
    def norm(text):
        return str(text).rstrip(".").lower()

    for zone in route53_backends[account_id]["aws"].zones.values():
        if zone.private_zone:
            continue
        for rrset in zone.rrsets:
            values = [r["Value"] if isinstance(r, dict) else r for r in rrset.records]
            if rrset.type == "CNAME" and norm(rrset.name) == norm(name) and norm(value) in map(norm, values):
                return True
    return False


def _check_dns_validation(self):
    if self.type == "AMAZON_ISSUED" and self.status == "PENDING_VALIDATION":
        account_id = self.arn.split(":")[4]
        options = self.describe()["Certificate"]["DomainValidationOptions"]
        if options and all(
            _validation_record_published(account_id, o["ResourceRecord"]["Name"], o["ResourceRecord"]["Value"]) for o in options
        ):
            self.status = "ISSUED"
        return
    _check_certificate(self)


_check_certificate = CertBundle.check
CertBundle.check = _check_dns_validation


def _members_from_num_cache_clusters(self, *args, **kwargs):
    if not kwargs.get("replicas_per_node_group") and (kwargs.get("num_cache_clusters") or 0) > 1:
        kwargs["replicas_per_node_group"] = kwargs["num_cache_clusters"] - 1
    _set_members_disabled(self, *args, **kwargs)


_set_members_disabled = ReplicationGroup._set_node_members_clusters_disabled
ReplicationGroup._set_node_members_clusters_disabled = _members_from_num_cache_clusters


# What a member node takes from CreateReplicationGroup, and what it has no value for.
_NODE_SETTINGS = (
    "cache_node_type", "engine", "engine_version", "cache_parameter_group_name", "cache_subnet_group_name",
    "transit_encryption_enabled", "network_type", "ip_discovery", "preferred_maintenance_window", "port",
    "notification_topic_arn", "auto_minor_version_upgrade", "snapshot_retention_limit", "snapshot_window",
    "auth_token", "cache_security_group_names", "security_group_ids", "log_delivery_configurations",
)
_NODE_UNSET = (
    "az_mode", "preferred_availability_zone", "snapshot_name", "outpost_mode", "preferred_outpost_arn",
    "preferred_availability_zones", "tags", "snapshot_arns", "preferred_outpost_arns", "cache_node_ids_to_remove",
    "cache_node_ids_to_reboot",
)


def _create_group_with_member_clusters(self, *args, **kwargs):
    group = _create_replication_group(self, *args, **kwargs)
    for member in group.member_clusters:
        self.cache_clusters[member] = CacheCluster(
            account_id=self.account_id,
            region_name=self.region_name,
            cache_cluster_id=member,
            replication_group_id=group.replication_group_id,
            num_cache_nodes=1,
            **{name: kwargs[name] for name in _NODE_SETTINGS},
            **{name: None for name in _NODE_UNSET},
        )
        # AWS describes each node with the group's encryption settings; the provider reads them there.
        self.cache_clusters[member].at_rest_encryption_enabled = bool(kwargs["at_rest_encryption_enabled"])
        self.cache_clusters[member].transit_encryption_mode = kwargs["transit_encryption_mode"]
        self.cache_clusters[member].security_groups = [
            {"SecurityGroupId": group_id, "Status": "active"} for group_id in kwargs["security_group_ids"] or []
        ]
    return group


def _delete_group_and_members(self, replication_group_id, retain_primary_cluster):
    members = list(self.replication_groups.get(replication_group_id).member_clusters) if replication_group_id in self.replication_groups else []
    group = _delete_replication_group(self, replication_group_id, retain_primary_cluster)
    self.replication_groups.pop(replication_group_id, None)
    for member in members:
        self.cache_clusters.pop(member, None)
    return group


def _delete_cache_subnet_group(self):
    name = self._get_param("CacheSubnetGroupName")
    if name not in self.elasticache_backend.cache_subnet_groups:
        raise CacheSubnetGroupNotFound(name)
    del self.elasticache_backend.cache_subnet_groups[name]
    return EmptyResult()


ElastiCacheResponse.delete_cache_subnet_group = _delete_cache_subnet_group
_create_replication_group = ElastiCacheBackend.create_replication_group
_delete_replication_group = ElastiCacheBackend.delete_replication_group
ElastiCacheBackend.create_replication_group = _create_group_with_member_clusters
ElastiCacheBackend.delete_replication_group = _delete_group_and_members


# ElastiCache user groups (RBAC): moto 5.2.5 has users but no user groups, so CreateUserGroup is an
# unknown action. AWS creates a group of existing users of one engine, one of them named "default"
# (DefaultUserRequired otherwise), refuses a second group of the same id, lists the replication
# groups that use it, tags it like its other resources (ARN `...:usergroup:<id>`), and removes it on
# delete after a `deleting` status (the provider waits for UserGroupNotFound). Here the same, kept
# on the region's backend beside moto's users.
class UserGroupNotFound(ElastiCacheException):
    code = "UserGroupNotFound"

    def __init__(self, group_id):
        super().__init__(f"User group {group_id} not found.")


class UserGroupAlreadyExists(ElastiCacheException):
    code = "UserGroupAlreadyExists"

    def __init__(self, group_id):
        super().__init__(f"User group {group_id} already exists.")


class DefaultUserRequired(ElastiCacheException):
    code = "DefaultUserRequired"

    def __init__(self):
        super().__init__("A user with the username default must be present in the user group.")


class UserGroup:
    def __init__(self, backend, group_id, engine, user_ids):
        self.user_group_id = group_id
        self.status = "active"
        self.engine = engine
        self.user_ids = list(user_ids)
        self.minimum_engine_version = "6.0"
        self.arn = f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:usergroup:{group_id}"
        self._backend = backend

    @property
    def replication_groups(self):
        return [g for g, group in self._backend.replication_groups.items() if self.user_group_id in (group.user_group_ids or [])]


def _user_groups(backend):
    return backend.__dict__.setdefault("user_groups_of_region", {})


def _check_members(backend, user_ids):
    for user_id in user_ids:
        if user_id not in backend.users:
            raise UserNotFound(user_id)
    if not any(backend.users[u].name == "default" for u in user_ids):
        raise DefaultUserRequired()


def _create_user_group(self):
    backend = self.elasticache_backend
    group_id = self._get_param("UserGroupId")
    engine = (self._get_param("Engine") or "").lower()
    user_ids = self._get_param("UserIds") or []
    if group_id in _user_groups(backend):
        raise UserGroupAlreadyExists(group_id)
    _check_members(backend, user_ids)
    group = UserGroup(backend, group_id, engine, user_ids)
    _user_groups(backend)[group_id] = group
    tags = self._get_param("Tags") or []
    if tags:
        backend.tagging_service.tag_resource(group.arn, tags)
    return ActionResult(group)


def _describe_user_groups(self):
    backend = self.elasticache_backend
    group_id = self._get_param("UserGroupId")
    groups = _user_groups(backend)
    if group_id:
        if group_id not in groups:
            raise UserGroupNotFound(group_id)
        found = [groups[group_id]]
    else:
        found = list(groups.values())
    # A deleted group is reported once as `deleting`, then gone (the provider polls for that).
    for group in found:
        if group.status == "deleting":
            groups.pop(group.user_group_id, None)
    return ActionResult({"UserGroups": found})


def _modify_user_group(self):
    backend = self.elasticache_backend
    group_id = self._get_param("UserGroupId")
    group = _user_groups(backend).get(group_id)
    if group is None:
        raise UserGroupNotFound(group_id)
    removed = set(self._get_param("UserIdsToRemove") or [])
    user_ids = [u for u in group.user_ids if u not in removed] + [
        u for u in self._get_param("UserIdsToAdd") or [] if u not in group.user_ids
    ]
    _check_members(backend, user_ids)
    group.user_ids = user_ids
    return ActionResult(group)


def _delete_user_group(self):
    backend = self.elasticache_backend
    group_id = self._get_param("UserGroupId")
    group = _user_groups(backend).get(group_id)
    if group is None:
        raise UserGroupNotFound(group_id)
    group.status = "deleting"
    backend.tagging_service.delete_all_tags_for_resource(group.arn)
    return ActionResult(group)


ElastiCacheResponse.create_user_group = _create_user_group
ElastiCacheResponse.describe_user_groups = _describe_user_groups
ElastiCacheResponse.modify_user_group = _modify_user_group
ElastiCacheResponse.delete_user_group = _delete_user_group
_elasticache_backend_init = ElastiCacheBackend.__init__


def _backend_init_with_user_group_arns(self, *args, **kwargs):
    _elasticache_backend_init(self, *args, **kwargs)
    # Tags of user groups are read and written by ARN like those of the other resources.
    self.arn_regex = re.compile(r"^arn:aws:elasticache:.*:[0-9]*:(cluster|snapshot|subnetgroup|replicationgroup|usergroup|user):.*$")


ElastiCacheBackend.__init__ = _backend_init_with_user_group_arns


def _origin_with_access_control(self, origin):
    _cloudfront_origin_init(self, origin)
    self.origin_access_control_id = origin.get("OriginAccessControlId") or ""
    if "S3OriginConfig" in origin:
        self.s3_origin_config = {"OriginAccessIdentity": origin["S3OriginConfig"].get("OriginAccessIdentity") or ""}


def _viewer_certificate_as_set(self, config):
    _viewer_certificate_init(self, config)
    if "CloudFrontDefaultCertificate" not in config and (config.get("ACMCertificateArn") or config.get("IAMCertificateId")):
        self.cloud_front_default_certificate = False
        self.certificate_source = "acm" if config.get("ACMCertificateArn") else "iam"


def _behaviour_without_legacy_forwarding(self, config):
    _default_behaviour_init(self, config)
    if config.get("CachePolicyId") and "ForwardedValues" not in config:
        self.forwarded_values = None


_default_behaviour_init = DefaultCacheBehaviour.__init__
DefaultCacheBehaviour.__init__ = _behaviour_without_legacy_forwarding
_cloudfront_origin_init = CloudFrontOrigin.__init__
_viewer_certificate_init = ViewerCertificate.__init__
CloudFrontOrigin.__init__ = _origin_with_access_control
ViewerCertificate.__init__ = _viewer_certificate_as_set


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


def _create_stream_with_tags(self):
    result = _create_stream(self)
    tags = self._get_param("Tags")
    if tags:
        self.kinesis_backend.add_tags_to_stream(None, self._get_param("StreamName"), tags)
    return result


KinesisResponse.create_stream = _create_stream_with_tags

s3_responses.ACTION_MAP["BUCKET"]["HEAD"]["DEFAULT"] = "ListBucket"


def _dynamodb_table_arn(self):
    # By now DynamoHandler.call_action has replaced the raw body with the parsed parameters.
    body = self.body if isinstance(self.body, dict) else json.loads(self.body or "{}")
    table = body.get("TableName")
    return f"arn:aws:dynamodb:{self.region}:{self.current_account}:table/{table}" if table else "*"


DynamoHandler._determine_resource = _dynamodb_table_arn


def _update_table_with_sse(self):
    spec = self.body.get("SSESpecification")
    if spec is not None:
        table = self.dynamodb_backend.get_table(self.body["TableName"])
        if spec.get("Enabled") is False:
            table.sse_specification = None
        else:
            table.sse_specification = {**spec, "Enabled": True}
            if "KMSMasterKeyId" not in spec:
                table.sse_specification["KMSMasterKeyId"] = table._get_default_encryption_key(self.current_account, self.region)
    return _update_table(self)


_update_table = DynamoHandler.update_table
DynamoHandler.update_table = _update_table_with_sse

_authorize = ActionAuthenticatorMixin._authenticate_and_authorize_normal_action
_JSON_ERROR_TYPES = {
    "AccessDenied": "AccessDeniedException",
    "InvalidClientTokenId": "UnrecognizedClientException",
    "SignatureDoesNotMatch": "InvalidSignatureException",
}


def _authorize_with_json_errors(self, resource="*"):
    try:
        return _authorize(self, resource)
    except _RESTError as error:
        if not self.headers.get("X-Amz-Target"):  # not a JSON-protocol request
            raise
        converted = error.to_json()
        converted.error_type = _JSON_ERROR_TYPES.get(error.error_type, error.error_type)
        converted.description = json.dumps({"__type": converted.error_type, "message": error.message})
        converted.code = 400
        raise converted from None


ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = _authorize_with_json_errors


def _aws_request_over_received_body(self):
    request = _create_aws_request(self)
    # Only requests that carry no body: a form POST of the query protocol arrives with its body
    # already parsed into the parameters, which moto signs correctly.
    if self._method in ("GET", "HEAD", "DELETE") and isinstance(self._body, (bytes, str)) and len(self._body) == 0:
        request.data = b""
    return request


_create_aws_request = IAMRequestBase._create_aws_request
IAMRequestBase._create_aws_request = _aws_request_over_received_body

@functools.lru_cache(maxsize=4096)
def _policy_json(document):
    return json.loads(document)


def _iam_policy_init(self, policy):
    # As moto's IAMPolicy.__init__, with the document parsed once (documents are immutable strings;
    # the parsed policy is only read).
    if isinstance(policy, str):
        document = policy
    elif isinstance(policy, dict):
        document = policy["policy_document"]
    else:
        document = next(v for v in policy.versions if v.is_default).document
    self._policy_json = _policy_json(document)


IAMPolicy.__init__ = _iam_policy_init


@functools.lru_cache(maxsize=None)
def _statement_pattern(pattern):
    # moto's own translation: "*" matches anything, the rest is taken as a regular expression.
    return re.compile("^" + pattern.replace("*", ".*") + "$")


IAMPolicyStatement._match = staticmethod(lambda pattern, string: _statement_pattern(pattern).match(string))

_run_simple = moto.server.run_simple


def _logged(app, path):
    lock = threading.Lock()
    out = open(path, "a", buffering=1)

    def write(fields):
        with lock:
            out.write("\t".join(fields) + "\n")

    def stamp(t):
        return time.strftime("%H:%M:%S", time.localtime(t)) + f".{int(t * 1000) % 1000:03d}"

    def described(environ):
        return [
            environ.get("REQUEST_METHOD", ""),
            environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""),
            environ.get("HTTP_X_AMZ_TARGET", "-"),
            environ.get("HTTP_AMZ_SDK_REQUEST", "-"),
        ]

    def logged_app(environ, start_response):
        started = time.time()
        status = []

        def recording_start_response(code, headers, exc_info=None):
            status.append(code.split(" ", 1)[0])
            return start_response(code, headers, exc_info)

        try:
            return app(environ, recording_start_response)
        finally:
            write([
                stamp(started),
                *described(environ),
                status[0] if status else "-",
                f"{(time.time() - started) * 1000:.0f}ms",
                environ.get("HTTP_AMZ_SDK_INVOCATION_ID", "-"),
            ])

    def connection_dropped(handler, error, environ=None):
        # The connection failed while the request was read or its answer written: an answer the
        # client may never have had. The SDK's invocation id pairs it with a retry (attempt=2).
        write([
            stamp(time.time()),
            *(described(environ) if environ else ["-", "-", "-", "-"]),
            f"dropped:{type(error).__name__}",
            "-",
            (environ or {}).get("HTTP_AMZ_SDK_INVOCATION_ID", "-"),
        ])

    WSGIRequestHandler.connection_dropped = connection_dropped
    return logged_app


def _model_data_skipping_unreadable(self, request, full_url, headers):
    from moto.core.model_instances import model_data

    def readable(instance):
        values = {}
        for name in dir(instance):
            if name.startswith("_"):
                continue
            try:
                value = getattr(instance, name)
                json.dumps(value)
            except Exception:  # noqa: BLE001 - any attribute that cannot be read or written is left out
                continue
            values[name] = value
        return values

    dump = {
        service: {name: [readable(i) for i in model.instances_tracked] for name, model in sorted(models.items())}
        for service, models in sorted(model_data.items())
    }
    return 200, {"Content-Type": "application/javascript"}, json.dumps(dump)


MotoAPIResponse.model_data = _model_data_skipping_unreadable


def _dispose_nothing(self, garbage=False):
    return None


FakeDeleteMarker.dispose = _dispose_nothing


def _run_simple_logging_requests(host, port, app, **kwargs):
    path = os.environ.get("MOTO_REQUEST_LOG")
    return _run_simple(host, port, _logged(app, path) if path else app, **kwargs)


moto.server.run_simple = _run_simple_logging_requests

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
