"""Launch a SageMaker tuning job with the SageMaker Python SDK 3.x.

:func:`make_tuner` builds a ``sagemaker.train.tuner.HyperparameterTuner`` around a
``sagemaker.train.ModelTrainer`` for the w2veval training image; :func:`training_inputs`
gives its channels (``train``, and ``goldsets`` when custom gold sets are used). Start it
with ``tuner.tune(inputs=training_inputs(...), wait=False)``. Everything is checked
(:func:`~w2veval.sagemaker.tuning_job_request`'s rules) before the SDK is touched.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from ..space import BLAZINGTEXT_RANGES, SearchSpace
from ._metrics import SageMakerConfigError
from ._request import _check_s3, _validated
from ._service_limits import check_number

if TYPE_CHECKING:
    from sagemaker.core.helper.session_helper import Session
    from sagemaker.train.tuner import HyperparameterTuner

    from ..objective import Objective

__all__ = ["make_tuner", "training_inputs"]


def _sdk():
    try:
        from sagemaker.core.shapes import (
            HyperbandStrategyConfig,
            HyperParameterTuningJobStrategyConfig,
            Tag,
        )
        from sagemaker.core.training.configs import (
            CheckpointConfig,
            Compute,
            InputData,
            Networking,
            OutputDataConfig,
            StoppingCondition,
        )
        from sagemaker.train import ModelTrainer
        from sagemaker.train.tuner import HyperparameterTuner
    except ImportError as exc:
        raise ImportError(
            "make_tuner needs the SageMaker Python SDK 3.x: "
            "pip install 'w2veval[sagemaker]' (or use tuning_job_request with "
            "plain boto3)"
        ) from exc
    return SimpleNamespace(
        ModelTrainer=ModelTrainer,
        Compute=Compute,
        InputData=InputData,
        Networking=Networking,
        OutputDataConfig=OutputDataConfig,
        StoppingCondition=StoppingCondition,
        CheckpointConfig=CheckpointConfig,
        Tag=Tag,
        HyperbandStrategyConfig=HyperbandStrategyConfig,
        StrategyConfig=HyperParameterTuningJobStrategyConfig,
        HyperparameterTuner=_tuner_class(HyperparameterTuner),
    )


@functools.lru_cache(maxsize=1)
def _tuner_class(sdk_tuner: Any) -> type:
    """A subclass of the SDK's ``HyperparameterTuner`` (untyped, as the whole SDK is)."""

    class Tuner(sdk_tuner):
        """The SDK's tuner, sending the ``ModelTrainer``'s volume KMS key too.

        SDK 3.x builds the tuning job's ``ResourceConfig`` from the instance type, count
        and volume size only, and drops ``Compute.volume_kms_key_id``; this puts it back.
        """

        def _build_training_job_definition(self, inputs):
            definition = super()._build_training_job_definition(inputs)
            compute = self.model_trainer.compute if self.model_trainer is not None else None
            key = getattr(compute, "volume_kms_key_id", None)
            if isinstance(key, str) and key:
                definition.resource_config.volume_kms_key_id = key
            return definition

    Tuner.__name__ = Tuner.__qualname__ = "W2VEvalHyperparameterTuner"
    return Tuner


def training_inputs(
    train_s3_uri: str, goldsets_s3_uri: str | None = None, tasks_s3_uri: str | None = None
) -> list:
    """The channels of a w2veval training job, named as BlazingText names them.

    The SDK 3.x names a channel given as a plain S3 string ``training``; the job (like
    BlazingText) reads ``train``, so the channels are named explicitly.

    Parameters
    ----------
    train_s3_uri : str
        S3 prefix of the corpus (text, one tokenised sentence per line).
    goldsets_s3_uri : str, optional
        S3 prefix of custom gold-set files named in the objective.
    tasks_s3_uri : str, optional
        S3 prefix of the ``tasks`` channel: labelled text files named in the objective by
        file stem, and catalogued task files the image lacks.

    Returns
    -------
    list of ``sagemaker.core.training.configs.InputData``
    """
    InputData = _sdk().InputData
    inputs = [InputData(channel_name="train", data_source=_check_s3("train_s3_uri", train_s3_uri))]
    if goldsets_s3_uri is not None:
        inputs.append(
            InputData(channel_name="goldsets", data_source=_check_s3("goldsets_s3_uri", goldsets_s3_uri))
        )
    if tasks_s3_uri is not None:
        inputs.append(InputData(channel_name="tasks", data_source=_check_s3("tasks_s3_uri", tasks_s3_uri)))
    return inputs


_OWN_TUNER_OPTIONS = ("strategy_config",)
_CHECKED_TUNER_OPTIONS = {
    "max_runtime_in_seconds": "HyperParameterTuningMaxRuntimeInSeconds",
    "random_seed": "RandomSeed",
}


def make_tuner(
    *,
    image_uri: str,
    role_arn: str,
    objective: Objective | str,
    output_s3_uri: str,
    space: SearchSpace = BLAZINGTEXT_RANGES,
    max_jobs: int = 20,
    max_parallel_jobs: int = 2,
    strategy: str = "Bayesian",
    instance_type: str = "ml.c5.xlarge",
    instance_count: int = 1,
    volume_size_gb: int = 30,
    max_runtime_seconds: int = 86400,
    static_hyperparameters: Mapping[str, Any] | None = None,
    metric_definitions: Sequence[Mapping[str, str]] | None = None,
    base_job_name: str = "w2veval",
    early_stopping_type: str = "Off",
    hyperband_min_epochs: int | None = None,
    environment: Mapping[str, str] | None = None,
    subnets: Sequence[str] | None = None,
    security_group_ids: Sequence[str] | None = None,
    tags: Mapping[str, str] | None = None,
    use_spot_instances: bool = False,
    max_wait_seconds: int | None = None,
    checkpoint_s3_uri: str | None = None,
    checkpoint_local_path: str | None = None,
    output_kms_key_id: str | None = None,
    volume_kms_key_id: str | None = None,
    sagemaker_session: Session | None = None,
    **tuner_options: Any,
) -> HyperparameterTuner:
    """A ``HyperparameterTuner`` that tunes the w2veval training job on ``objective``.

    Parameters
    ----------
    image_uri, role_arn : str
        The w2veval training image (see ``examples/sagemaker/Dockerfile``) and the
        execution role.
    objective : Objective or str
        Parsed with :meth:`~w2veval.Objective.parse`; the tuner maximises
        ``w2veval:objective`` (``train:mean_rho`` for ``"mean_rho"``) and the job receives
        the objective as its ``objective`` hyperparameter.
    output_s3_uri : str
        Where the models (``model.tar.gz``) go.
    space : SearchSpace, default BLAZINGTEXT_RANGES
        Converted with :meth:`~w2veval.space.SearchSpace.to_sdk_ranges`.
    max_jobs, max_parallel_jobs, strategy, instance_type, instance_count, volume_size_gb,
    max_runtime_seconds, static_hyperparameters, metric_definitions, early_stopping_type,
    hyperband_min_epochs
        As in :func:`~w2veval.sagemaker.tuning_job_request`; ``early_stopping_type`` and
        Hyperband's ``StrategyConfig`` go to the ``HyperparameterTuner``.
    environment, subnets, security_group_ids, tags, use_spot_instances, max_wait_seconds,
    checkpoint_s3_uri, checkpoint_local_path, output_kms_key_id, volume_kms_key_id
        As in :func:`~w2veval.sagemaker.tuning_job_request`, given to the ``ModelTrainer``
        as it takes them: ``environment``, ``networking=Networking(subnets=...,
        security_group_ids=...)``, ``tags``, ``compute=Compute(enable_managed_spot_training=...,
        volume_kms_key_id=...)``, ``stopping_condition=StoppingCondition(
        max_wait_time_in_seconds=...)``, ``checkpoint_config=CheckpointConfig(s3_uri=...,
        local_path=...)``, ``output_data_config=OutputDataConfig(kms_key_id=...)``.
    base_job_name : str
        Prefix of the training jobs' names.
    sagemaker_session : sagemaker.core.helper.session_helper.Session, optional
        Passed to the ``ModelTrainer``; default the SDK's (boto3's configuration chain).
    **tuner_options
        Passed to ``HyperparameterTuner`` (``random_seed``, ``max_runtime_in_seconds``,
        ``completion_criteria_config``, ...); not ``strategy_config``, which make_tuner
        sets from ``strategy`` and ``hyperband_min_epochs``.

    Returns
    -------
    sagemaker.train.tuner.HyperparameterTuner
        Start it with ``tuner.tune(inputs=training_inputs(train_s3_uri), wait=False)``.

    Raises
    ------
    SageMakerConfigError
        Before the SDK is touched, as :func:`~w2veval.sagemaker.tuning_job_request` does
        (the list is in ``docs/sagemaker.md``, "Refusals"), or a bad ``base_job_name`` or
        a ``tuner_options`` key that make_tuner sets itself.
    """
    checked = _validated(
        name=None,
        image_uri=image_uri,
        role_arn=role_arn,
        objective=objective,
        space=space,
        output_s3_uri=output_s3_uri,
        max_jobs=max_jobs,
        max_parallel_jobs=max_parallel_jobs,
        strategy=strategy,
        instance_type=instance_type,
        instance_count=instance_count,
        volume_size_gb=volume_size_gb,
        max_runtime_seconds=max_runtime_seconds,
        static_hyperparameters=static_hyperparameters,
        metric_definitions=metric_definitions,
        early_stopping_type=early_stopping_type,
        hyperband_min_epochs=hyperband_min_epochs,
        environment=environment,
        subnets=subnets,
        security_group_ids=security_group_ids,
        tags=tags,
        use_spot_instances=use_spot_instances,
        max_wait_seconds=max_wait_seconds,
        checkpoint_s3_uri=checkpoint_s3_uri,
        checkpoint_local_path=checkpoint_local_path,
        output_kms_key_id=output_kms_key_id,
        volume_kms_key_id=volume_kms_key_id,
    )
    if not isinstance(base_job_name, str) or not base_job_name:
        raise SageMakerConfigError(f"base_job_name must be a non-empty string, got {base_job_name!r}")
    own = sorted(set(tuner_options) & set(_OWN_TUNER_OPTIONS))
    if own:
        raise SageMakerConfigError(
            f"do not pass {', '.join(own)} in tuner_options: make_tuner sets "
            "it from strategy and hyperband_min_epochs, once they are checked"
        )
    for option, shape in _CHECKED_TUNER_OPTIONS.items():
        if tuner_options.get(option) is not None:
            check_number(option, tuner_options[option], shape)
    sdk = _sdk()
    trainer = sdk.ModelTrainer(
        **_trainer_options(
            sdk,
            checked["passthrough"],
            checked["static"],
            image_uri=image_uri,
            role_arn=role_arn,
            base_job_name=base_job_name,
            instance_type=instance_type,
            instance_count=instance_count,
            volume_size_gb=volume_size_gb,
            max_runtime_seconds=max_runtime_seconds,
            output_s3_uri=output_s3_uri,
            sagemaker_session=sagemaker_session,
        )
    )
    if checked["hyperband"] is not None:
        hyperband = checked["hyperband"]
        tuner_options["strategy_config"] = sdk.StrategyConfig(
            hyperband_strategy_config=sdk.HyperbandStrategyConfig(
                min_resource=hyperband["MinResource"], max_resource=hyperband["MaxResource"]
            )
        )
    return sdk.HyperparameterTuner(
        trainer,
        checked["metric_name"],
        space.to_sdk_ranges(),
        metric_definitions=checked["definitions"],
        strategy=strategy,
        objective_type="Maximize" if checked["objective"].maximize else "Minimize",
        max_jobs=max_jobs,
        max_parallel_jobs=max_parallel_jobs,
        early_stopping_type=early_stopping_type,
        **tuner_options,
    )


def _trainer_options(
    sdk,
    p,
    static: dict,
    *,
    image_uri,
    role_arn,
    base_job_name,
    instance_type,
    instance_count,
    volume_size_gb,
    max_runtime_seconds,
    output_s3_uri,
    sagemaker_session,
) -> dict:
    """The ``ModelTrainer`` keyword arguments, pass-through settings included."""
    compute = {
        "instance_type": instance_type,
        "instance_count": instance_count,
        "volume_size_in_gb": volume_size_gb,
    }
    stopping = {"max_runtime_in_seconds": max_runtime_seconds}
    output = {"s3_output_path": output_s3_uri}
    options = {
        "training_image": image_uri,
        "role": role_arn,
        "base_job_name": base_job_name,
        "hyperparameters": dict(static),
    }
    if sagemaker_session is not None:
        options["sagemaker_session"] = sagemaker_session
    if p.use_spot_instances:
        compute["enable_managed_spot_training"] = True
        stopping["max_wait_time_in_seconds"] = p.max_wait_seconds
    if p.volume_kms_key_id:
        compute["volume_kms_key_id"] = p.volume_kms_key_id
    if p.output_kms_key_id:
        output["kms_key_id"] = p.output_kms_key_id
    if p.environment:
        options["environment"] = dict(p.environment)
    if p.subnets:
        options["networking"] = sdk.Networking(
            subnets=list(p.subnets), security_group_ids=list(p.security_group_ids)
        )
    if p.tags:
        options["tags"] = [sdk.Tag(key=key, value=value) for key, value in p.tags.items()]
    if p.checkpoint_s3_uri:
        options["checkpoint_config"] = sdk.CheckpointConfig(
            s3_uri=p.checkpoint_s3_uri, local_path=p.checkpoint_local_path
        )
    options.update(
        compute=sdk.Compute(**compute),
        stopping_condition=sdk.StoppingCondition(**stopping),
        output_data_config=sdk.OutputDataConfig(**output),
    )
    return options
