"""Training-job settings passed through as they are: environment, networking, tags, spot
training, checkpoints and KMS keys, checked against the service model before anything is built.

:func:`passthrough` checks them once; :func:`add_to_request` writes them into a
``CreateHyperParameterTuningJob`` request, and :mod:`._tuner` gives the same values to the
SDK's ``ModelTrainer``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ._metrics import SageMakerConfigError
from ._service_limits import check_size, check_text

__all__ = ["DEFAULT_CHECKPOINT_PATH", "Passthrough", "add_to_request", "passthrough"]

DEFAULT_CHECKPOINT_PATH = "/opt/ml/checkpoints"
"""Where SageMaker (and the SDK's ``CheckpointConfig``) put checkpoints in the container."""


@dataclass(frozen=True)
class Passthrough:
    """The checked pass-through settings; empty or ``None`` where not given."""

    environment: dict = field(default_factory=dict)
    subnets: tuple = ()
    security_group_ids: tuple = ()
    tags: dict = field(default_factory=dict)
    use_spot_instances: bool = False
    max_wait_seconds: int | None = None
    checkpoint_s3_uri: str | None = None
    checkpoint_local_path: str | None = None
    output_kms_key_id: str | None = None
    volume_kms_key_id: str | None = None


def _mapping(what: str, value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SageMakerConfigError(f"{what} must be a mapping of str to str, got {type(value).__name__}")
    return dict(value)


def _environment(environment) -> dict:
    environment = _mapping("environment", environment)
    check_size("environment", environment, "HyperParameterTrainingJobEnvironmentMap", what="variables")
    for key, value in environment.items():
        check_text("environment variable name", key, "HyperParameterTrainingJobEnvironmentKey")
        check_text(
            f"environment variable {key}",
            value,
            "HyperParameterTrainingJobEnvironmentValue",
            fix="pass every value as a string",
        )
    return environment


def _ids(what: str, values, list_shape: str, item_shape: str) -> tuple:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise SageMakerConfigError(f"{what} must be a list of IDs, got {values!r}")
    check_size(what, values, list_shape, what="IDs")
    for value in values:
        check_text(f"an ID in {what}", value, item_shape)
    return tuple(values)


def _networking(subnets, security_group_ids) -> tuple[tuple, tuple]:
    if subnets is None and security_group_ids is None:
        return (), ()
    if subnets is None or security_group_ids is None:
        given, missing = (
            ("subnets", "security_group_ids")
            if security_group_ids is None
            else ("security_group_ids", "subnets")
        )
        raise SageMakerConfigError(
            f"{given} without {missing}: a VPC configuration (VpcConfig) "
            "needs both subnets and security groups"
        )
    return (
        _ids("subnets", subnets, "Subnets", "SubnetId"),
        _ids("security_group_ids", security_group_ids, "VpcSecurityGroupIds", "SecurityGroupId"),
    )


def _tags(tags) -> dict:
    tags = _mapping("tags", tags)
    check_size("tags", tags, "TagList", what="tags")
    for key, value in tags.items():
        check_text("tag key", key, "TagKey")
        # AWS tagging rules (Tagging AWS resources, "Tag naming limits and requirements"):
        # the aws: prefix is reserved for AWS use.
        if key.lower().startswith("aws:"):
            raise SageMakerConfigError(
                f"tag key {key!r} starts with 'aws:', which AWS reserves for its own tags; rename it"
            )
        check_text(f"the value of tag {key}", value, "TagValue")
    return tags


def _s3_uri(what: str, uri) -> str:
    if not isinstance(uri, str) or not uri.startswith("s3://") or len(uri) <= len("s3://"):
        raise SageMakerConfigError(f"{what} must be an s3:// URI (s3://bucket/prefix), got {uri!r}")
    return check_text(what, uri, "S3Uri")


def _spot(use_spot_instances, max_wait_seconds, max_runtime_seconds: int) -> None:
    if not isinstance(use_spot_instances, bool):
        raise SageMakerConfigError(f"use_spot_instances must be True or False, got {use_spot_instances!r}")
    if max_wait_seconds is None:
        if use_spot_instances:
            raise SageMakerConfigError(
                "use_spot_instances=True needs max_wait_seconds (MaxWaitTimeInSeconds: the wait for "
                f"spot capacity plus the run), at least max_runtime_seconds ({max_runtime_seconds})"
            )
        return
    if not use_spot_instances:
        raise SageMakerConfigError(
            f"max_wait_seconds={max_wait_seconds!r} applies to managed spot "
            "training only: set use_spot_instances=True or drop it"
        )
    if (
        isinstance(max_wait_seconds, bool)
        or not isinstance(max_wait_seconds, int)
        or max_wait_seconds < max_runtime_seconds
    ):
        raise SageMakerConfigError(
            f"max_wait_seconds={max_wait_seconds!r} must be an integer of at least max_runtime_seconds "
            f"({max_runtime_seconds}): SageMaker needs MaxWaitTimeInSeconds >= MaxRuntimeInSeconds"
        )


def _checkpoint(s3_uri, local_path) -> tuple:
    if s3_uri is None:
        if local_path is not None:
            raise SageMakerConfigError(
                f"checkpoint_local_path={local_path!r} without "
                "checkpoint_s3_uri: SageMaker syncs checkpoints to S3; give both"
            )
        return None, None
    s3_uri = _s3_uri("checkpoint_s3_uri", s3_uri)
    local_path = DEFAULT_CHECKPOINT_PATH if local_path is None else local_path
    check_text("checkpoint_local_path", local_path, "DirectoryPath")
    if not local_path.startswith("/"):
        raise SageMakerConfigError(
            f"checkpoint_local_path {local_path!r} must be an absolute path in "
            f"the container, e.g. {DEFAULT_CHECKPOINT_PATH}"
        )
    return s3_uri, local_path


def _kms(what: str, key) -> str | None:
    if key is None:
        return None
    if isinstance(key, str) and not key:
        raise SageMakerConfigError(f"{what} must be a KMS key ID, ARN or alias, got ''")
    return check_text(what, key, "KmsKeyId")


def passthrough(
    *,
    max_runtime_seconds: int,
    environment=None,
    subnets=None,
    security_group_ids=None,
    tags=None,
    use_spot_instances=False,
    max_wait_seconds=None,
    checkpoint_s3_uri=None,
    checkpoint_local_path=None,
    output_kms_key_id=None,
    volume_kms_key_id=None,
) -> Passthrough:
    """Check the pass-through settings; the arguments are those of ``tuning_job_request``.

    Raises
    ------
    SageMakerConfigError
        A value the service model refuses (length, count, pattern), subnets without
        security groups or the reverse, spot training without ``max_wait_seconds`` or with
        one below ``max_runtime_seconds``, ``max_wait_seconds`` without spot training, a
        checkpoint URI that is not ``s3://`` or a relative checkpoint path.
    """
    _spot(use_spot_instances, max_wait_seconds, max_runtime_seconds)
    subnets, groups = _networking(subnets, security_group_ids)
    s3_uri, local_path = _checkpoint(checkpoint_s3_uri, checkpoint_local_path)
    return Passthrough(
        environment=_environment(environment),
        subnets=subnets,
        security_group_ids=groups,
        tags=_tags(tags),
        use_spot_instances=use_spot_instances,
        max_wait_seconds=max_wait_seconds,
        checkpoint_s3_uri=s3_uri,
        checkpoint_local_path=local_path,
        output_kms_key_id=_kms("output_kms_key_id", output_kms_key_id),
        volume_kms_key_id=_kms("volume_kms_key_id", volume_kms_key_id),
    )


def add_to_request(request: dict, p: Passthrough) -> dict:
    """Write ``p`` into a ``CreateHyperParameterTuningJob`` request (in place); returns it."""
    definition = request["TrainingJobDefinition"]
    if p.environment:
        definition["Environment"] = dict(p.environment)
    if p.subnets:
        definition["VpcConfig"] = {"SecurityGroupIds": list(p.security_group_ids), "Subnets": list(p.subnets)}
    if p.use_spot_instances:
        definition["EnableManagedSpotTraining"] = True
        definition["StoppingCondition"]["MaxWaitTimeInSeconds"] = p.max_wait_seconds
    if p.checkpoint_s3_uri:
        definition["CheckpointConfig"] = {"S3Uri": p.checkpoint_s3_uri, "LocalPath": p.checkpoint_local_path}
    if p.output_kms_key_id:
        definition["OutputDataConfig"]["KmsKeyId"] = p.output_kms_key_id
    if p.volume_kms_key_id:
        definition["ResourceConfig"]["VolumeKmsKeyId"] = p.volume_kms_key_id
    if p.tags:
        request["Tags"] = [{"Key": key, "Value": value} for key, value in p.tags.items()]
    return request
