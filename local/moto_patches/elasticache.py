"""ElastiCache: where moto answers otherwise than AWS, and what is done here.

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
"""

import re
from moto.core.responses import ActionResult, EmptyResult
from moto.elasticache.exceptions import CacheSubnetGroupNotFound, ElastiCacheException, UserNotFound
from moto.elasticache.models import CacheCluster, ElastiCacheBackend, ReplicationGroup
from moto.elasticache.responses import ElastiCacheResponse


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
