"""Launch a SageMaker tuning job with the SageMaker Python SDK 3.x.

:func:`make_tuner` builds a ``sagemaker.train.tuner.HyperparameterTuner`` around a
``sagemaker.train.ModelTrainer`` for the w2veval training image; :func:`training_inputs`
gives its channels (``train``, and ``goldsets`` when custom gold sets are used). Start it
with ``tuner.tune(inputs=training_inputs(...), wait=False)``. Everything is checked
(:func:`~w2veval.sagemaker.tuning_job_request`'s rules) before the SDK is touched.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..space import BLAZINGTEXT_RANGES, SearchSpace
from ._metrics import SageMakerConfigError
from ._request import _check_s3, _validated

__all__ = ["make_tuner", "training_inputs"]


def _sdk():
    try:
        from sagemaker.train import ModelTrainer
        from sagemaker.core.training.configs import (
            Compute,
            InputData,
            OutputDataConfig,
            StoppingCondition,
        )
        from sagemaker.train.tuner import HyperparameterTuner
    except ImportError as exc:
        raise ImportError("make_tuner needs the SageMaker Python SDK 3.x: "
                          "pip install 'w2veval[sagemaker]' (or use tuning_job_request with "
                          "plain boto3)") from exc
    return ModelTrainer, Compute, InputData, OutputDataConfig, StoppingCondition, HyperparameterTuner


def training_inputs(train_s3_uri: str, goldsets_s3_uri: str | None = None) -> list:
    """The channels of a w2veval training job, named as BlazingText names them.

    The SDK 3.x names a channel given as a plain S3 string ``training``; the job (like
    BlazingText) reads ``train``, so the channels are named explicitly.

    Parameters
    ----------
    train_s3_uri : str
        S3 prefix of the corpus (text, one tokenised sentence per line).
    goldsets_s3_uri : str, optional
        S3 prefix of custom gold-set files named in the objective.

    Returns
    -------
    list of ``sagemaker.core.training.configs.InputData``
    """
    InputData = _sdk()[2]
    inputs = [InputData(channel_name="train", data_source=_check_s3("train_s3_uri", train_s3_uri))]
    if goldsets_s3_uri is not None:
        inputs.append(InputData(channel_name="goldsets",
                                data_source=_check_s3("goldsets_s3_uri", goldsets_s3_uri)))
    return inputs


def make_tuner(*, image_uri: str, role_arn: str, objective, output_s3_uri: str,
               space: SearchSpace = BLAZINGTEXT_RANGES, max_jobs: int = 20,
               max_parallel_jobs: int = 2, strategy: str = "Bayesian",
               instance_type: str = "ml.c5.xlarge", instance_count: int = 1,
               volume_size_gb: int = 30, max_runtime_seconds: int = 86400,
               static_hyperparameters: Mapping | None = None,
               metric_definitions: list | None = None, base_job_name: str = "w2veval",
               sagemaker_session=None, **tuner_options):
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
    max_runtime_seconds, static_hyperparameters, metric_definitions
        As in :func:`~w2veval.sagemaker.tuning_job_request`.
    base_job_name : str
        Prefix of the training jobs' names.
    sagemaker_session : sagemaker.core.helper.session_helper.Session, optional
        Passed to the ``ModelTrainer``; default the SDK's (boto3's configuration chain).
    **tuner_options
        Passed to ``HyperparameterTuner`` (``early_stopping_type``, ``random_seed``, ...).

    Returns
    -------
    sagemaker.train.tuner.HyperparameterTuner
        Start it with ``tuner.tune(inputs=training_inputs(train_s3_uri), wait=False)``.

    Raises
    ------
    SageMakerConfigError
        Before the SDK is touched: the objective's metric is not among the metric
        definitions, more than 20 metrics, a bad URI, count or strategy, a static
        hyperparameter that is also searched or unknown, no ``mode``.
    """
    checked = _validated(
        name=None, image_uri=image_uri, role_arn=role_arn, objective=objective, space=space,
        output_s3_uri=output_s3_uri, max_jobs=max_jobs, max_parallel_jobs=max_parallel_jobs,
        strategy=strategy, instance_type=instance_type, instance_count=instance_count,
        volume_size_gb=volume_size_gb, max_runtime_seconds=max_runtime_seconds,
        static_hyperparameters=static_hyperparameters, metric_definitions=metric_definitions)
    if not isinstance(base_job_name, str) or not base_job_name:
        raise SageMakerConfigError(f"base_job_name must be a non-empty string, got {base_job_name!r}")
    (ModelTrainer, Compute, _InputData, OutputDataConfig, StoppingCondition,
     HyperparameterTuner) = _sdk()
    trainer_options = {"sagemaker_session": sagemaker_session} if sagemaker_session is not None else {}
    trainer = ModelTrainer(
        training_image=image_uri, role=role_arn, base_job_name=base_job_name,
        compute=Compute(instance_type=instance_type, instance_count=instance_count,
                        volume_size_in_gb=volume_size_gb),
        stopping_condition=StoppingCondition(max_runtime_in_seconds=max_runtime_seconds),
        output_data_config=OutputDataConfig(s3_output_path=output_s3_uri),
        hyperparameters=dict(checked["static"]), **trainer_options)
    return HyperparameterTuner(
        trainer, checked["metric_name"], space.to_sdk_ranges(),
        metric_definitions=checked["definitions"], strategy=strategy,
        objective_type="Maximize" if checked["objective"].maximize else "Minimize",
        max_jobs=max_jobs, max_parallel_jobs=max_parallel_jobs, **tuner_options)
