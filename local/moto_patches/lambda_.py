"""Lambda: where moto answers otherwise than AWS, and what is done here.

- Lambda: a function's DeadLetterConfig and LoggingConfig are dropped on create and update; AWS
  returns them (LoggingConfig defaults to Text format in /aws/lambda/<name>).
"""

from moto.awslambda.models import LambdaFunction


def _keep_function_settings(fn, spec):
    if "DeadLetterConfig" in spec:
        fn.dead_letter_config = spec["DeadLetterConfig"] or {}
    if "LoggingConfig" in spec:
        fn.logging_config = {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{fn.function_name}", **(spec["LoggingConfig"] or {})}


def _function_init(self, account_id, spec, *args, **kwargs):
    _lambda_init(self, account_id, spec, *args, **kwargs)
    self.dead_letter_config = {}
    self.logging_config = {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{self.function_name}"}
    _keep_function_settings(self, spec)


def _function_configuration(self, *args, **kwargs):
    config = _lambda_configuration(self, *args, **kwargs)
    if getattr(self, "dead_letter_config", {}).get("TargetArn"):
        config["DeadLetterConfig"] = self.dead_letter_config
    if hasattr(self, "logging_config"):
        config["LoggingConfig"] = self.logging_config
    return config


def _function_update(self, config_updates):
    _keep_function_settings(self, config_updates)
    return _lambda_update(self, config_updates)


_lambda_init = LambdaFunction.__init__
_lambda_configuration = LambdaFunction.get_configuration
_lambda_update = LambdaFunction.update_configuration
LambdaFunction.__init__ = _function_init
LambdaFunction.get_configuration = _function_configuration
LambdaFunction.update_configuration = _function_update
