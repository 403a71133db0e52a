"""ACM: where moto answers otherwise than AWS, and what is done here.

- ACM DNS validation: moto issues an AMAZON_ISSUED certificate 60 s after the request whatever
  DNS says. AWS issues it once the validation CNAME it names (DomainValidationOptions ResourceRecord)
  resolves in public DNS. Here a certificate is issued when that record, with that value, exists in
  a public hosted zone of the account, and stays PENDING_VALIDATION otherwise, so a stack whose
  validation records are wrong never gets a certificate here either.
"""

from moto.acm.models import CertBundle
from moto.route53.models import route53_backends


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
