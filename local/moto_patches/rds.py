"""RDS: where moto answers otherwise than AWS, and what is done here.

- RDS: parameters set with ModifyDBParameterGroup come back without `Source`; AWS reports them
  as `Source: user`, and the provider keeps only those (the others would be planned again every
  time). Performance Insights settings of CreateDBInstance are dropped; AWS returns
  PerformanceInsightsEnabled, ...KMSKeyId and ...RetentionPeriod (7 days by default).
"""

from moto.rds.models import DBInstance, DBParameterGroup


def _update_parameters_as_user(self, new_parameters):
    new_parameters = list(new_parameters)
    _update_parameters(self, new_parameters)
    for new_parameter in new_parameters:
        self.parameters[new_parameter["ParameterName"]]["Source"] = "user"


_update_parameters = DBParameterGroup.update_parameters
DBParameterGroup.update_parameters = _update_parameters_as_user


def _db_instance_with_insights(self, *args, **kwargs):
    _db_instance_init(self, *args, **kwargs)
    enabled = bool(kwargs.get("enable_performance_insights"))
    self.performance_insights_enabled = enabled
    self.performance_insights_kms_key_id = kwargs.get("performance_insights_kms_key_id") if enabled else None
    self.performance_insights_retention_period = (kwargs.get("performance_insights_retention_period") or 7) if enabled else None


_db_instance_init = DBInstance.__init__
DBInstance.__init__ = _db_instance_with_insights
