"""When IAM is enforced (local/emulator.sh iam on, used by the e2e to run plans with the read-only
plan role), these gaps would refuse what AWS allows (S3's HeadBucket and DynamoDB's table ARNs are in
s3.py and dynamodb.py):
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
import re
from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.exceptions import _RESTError
from moto.iam.access_control import IAMPolicy, IAMPolicyStatement, IAMRequestBase


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
