"""The moto API (moto's own endpoints, beside the AWS ones).

- /moto-api/data.json (moto's dump of every model, which the e2e reads for what no AWS API returns,
  such as an ElastiCache user's passwords) answers 500 once a Lambda function exists: reading the
  function's attributes opens a Docker connection, and only a few kinds of error are skipped. Here
  an attribute that cannot be read is left out, whatever the error.
"""

import json
from moto.moto_api._internal.responses import MotoAPIResponse


def _model_data_skipping_unreadable(self, request, full_url, headers):
    from moto.core.model_instances import model_data

    def readable(instance):
        values = {}
        for name in dir(instance):
            if name.startswith("_"):
                continue
            try:
                value = getattr(instance, name)
                json.dumps(value)
            except Exception:  # noqa: BLE001 - any attribute that cannot be read or written is left out
                continue
            values[name] = value
        return values

    dump = {
        service: {name: [readable(i) for i in model.instances_tracked] for name, model in sorted(models.items())}
        for service, models in sorted(model_data.items())
    }
    return 200, {"Content-Type": "application/javascript"}, json.dumps(dump)


MotoAPIResponse.model_data = _model_data_skipping_unreadable
