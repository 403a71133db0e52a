"""ECS: where moto answers otherwise than AWS, and what is done here.

- ECS: CreateService's healthCheckGracePeriodSeconds is dropped; AWS returns it.
"""

from moto.ecs.responses import EC2ContainerServiceResponse


def _create_service_with_grace_period(self):
    result = _create_service(self)
    grace = self._get_param("healthCheckGracePeriodSeconds")
    if grace is not None:
        service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
        service.health_check_grace_period_seconds = grace
    return result


_create_service = EC2ContainerServiceResponse.create_service
EC2ContainerServiceResponse.create_service = _create_service_with_grace_period
