"""Route53: where moto answers otherwise than AWS, and what is done here.

- Route53 private zones: AWS makes a zone private when CreateHostedZone names a VPC; moto also
  wants HostedZoneConfig.PrivateZone, which the provider does not send, and creates a public zone.
"""

from moto.route53.responses import Route53


_create_zone = Route53.create_hosted_zone


def _create_zone_private_with_vpc(self):
    if self._get_param("VPC.VPCId") and self._get_param("HostedZoneConfig.PrivateZone") is None:
        read_bool = self._get_bool_param
        self._get_bool_param = lambda name, if_none=None: True if name == "HostedZoneConfig.PrivateZone" else read_bool(name, if_none)
    return _create_zone(self)


Route53.create_hosted_zone = _create_zone_private_with_vpc
