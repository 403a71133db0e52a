"""S3: where moto answers otherwise than AWS, and what is done here.

- S3 tag-on-create: AWS provider 6.x sends a bucket's tags inside CreateBucketConfiguration (an
  S3 feature of 2025); moto 5.2 accepts the request and drops the tags, so every plan after the
  first apply would re-add them. Apply the tags the way S3 does.
- S3 delete markers: deleting a key from a bucket whose versioning is suspended (as destroying a
  versioned bucket does: the versioning resource goes first) disposes of every version of the key,
  and moto's delete marker has no dispose(): DeleteObjects answers 500 and the SDK retries until it
  gives up. Released S3 state locks leave delete markers in the state bucket, so every destroy of a
  bootstrap stack met this. A delete marker holds no data; disposing of it does nothing.

When IAM is enforced:
- S3 HeadBucket: moto checks it as the action s3:HeadBucket, which no AWS policy grants; AWS
  authorizes HeadBucket as s3:ListBucket on the bucket.
"""

import xmltodict
from moto.s3 import responses as s3_responses
from moto.s3.models import FakeDeleteMarker
from moto.s3.responses import S3Response


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

s3_responses.ACTION_MAP["BUCKET"]["HEAD"]["DEFAULT"] = "ListBucket"

def _dispose_nothing(self, garbage=False):
    return None


FakeDeleteMarker.dispose = _dispose_nothing
