"""CloudFront: where moto answers otherwise than AWS, and what is done here.

- CloudFront: an origin's OriginAccessControlId and S3OriginConfig are dropped, and a viewer
  certificate from ACM is reported with CloudFrontDefaultCertificate true; a cache behaviour with a
  cache policy comes back with default ForwardedValues, which AWS leaves out there (the legacy
  settings and a cache policy exclude each other). AWS returns what was set, and the provider plans
  the difference on every run.
"""

from moto.cloudfront.models import DefaultCacheBehaviour, Origin as CloudFrontOrigin, ViewerCertificate


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
