"""Serializer fields shared by the API's inputs."""

from rest_framework import serializers

from sporskifte.core.validators import validate_one_line


class OneLineCharField(serializers.CharField):
    """Text on one line (a name, a journal number): control characters are refused."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.validators.append(validate_one_line)
