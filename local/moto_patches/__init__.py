"""What local/moto_server.py changes in moto so that it answers as AWS does where the stacks need it:
one module per service, each with its reasons in its docstring beside the code. Importing this
package applies every patch, after checking that the installed moto is the release the patches were
written for: they reach into moto's internals, which change between releases.
"""

from importlib.metadata import version

# The moto release every module here was written and checked for; local/requirements.txt pins the
# same (a unit test compares them).
WRITTEN_FOR = "5.2.5"

_installed = version("moto")
if _installed != WRITTEN_FOR:
    raise SystemExit(
        f"local/moto_patches were written for moto {WRITTEN_FOR}, and this is moto {_installed}: check each "
        f"module of local/moto_patches against {_installed} (its docstring says what it changes and why), "
        f"then set WRITTEN_FOR there and the pin in local/requirements.txt to {_installed}"
    )

from . import (  # noqa: E402,F401 - each module applies its patches when imported
    acm,
    cloudfront,
    dynamodb,
    ec2,
    ecs,
    elasticache,
    iam,
    kafka,
    kinesis,
    lambda_,
    moto_api,
    rds,
    request_log,
    route53,
    s3,
    sqs,
)
