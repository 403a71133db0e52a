"""Kinesis: where moto answers otherwise than AWS, and what is done here.

- Kinesis: CreateStream's Tags are dropped by moto; AWS applies them.
"""

from moto.kinesis.responses import KinesisResponse


_create_stream = KinesisResponse.create_stream

def _create_stream_with_tags(self):
    result = _create_stream(self)
    tags = self._get_param("Tags")
    if tags:
        self.kinesis_backend.add_tags_to_stream(None, self._get_param("StreamName"), tags)
    return result


KinesisResponse.create_stream = _create_stream_with_tags
