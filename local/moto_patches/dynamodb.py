"""DynamoDB: where moto answers otherwise than AWS, and what is done here.

- DynamoDB: UpdateTable's SSESpecification is ignored by moto; AWS switches the table's encryption
  (to a customer key here). A table created by hand and then adopted by import (README, "Adopting
  existing resources") gets its encryption set that way.

When IAM is enforced:
- DynamoDB: moto matches every action against the resource "*", so a policy scoped to a table's ARN
  (the plan role's state-lock permission) never applies; AWS matches the table's ARN.
"""

import json
from moto.dynamodb.responses import DynamoHandler


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
