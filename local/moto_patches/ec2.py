"""EC2 (security group rules): where moto answers otherwise than AWS, and what is done here.

- Security group rules that reference a group: the `local` provider runs without its account id
  (skip_requesting_account_id, local/README.md), so it reads ReferencedGroupInfo.UserId as another
  account and plans `<account>/sg-...` -> `sg-...` on every run. AWS always returns UserId; here it
  is left out when the group belongs to the caller's account. This one serves the local provider
  configuration, not an AWS behaviour.
- Security group rules that reference a group lose their Description in DescribeSecurityGroupRules
  (moto reads it from the CIDR range only); AWS returns it.
"""

from moto.ec2.models.security_groups import SecurityGroupRule


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
