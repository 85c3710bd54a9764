"""Tune word2vec on SageMaker for your own objective, then read the tuning job back.

The whole flow, in two steps:

1. ``launch``: upload a corpus (and optional custom gold sets) to S3, build a
   ``HyperparameterTuner`` for the w2veval image (``examples/sagemaker/Dockerfile``) with
   :func:`w2veval.sagemaker.make_tuner`, and start it::

       python examples/sagemaker/walkthrough.py launch \\
           --bucket my-bucket --role arn:aws:iam::123456789012:role/SageMakerRole \\
           --image 123456789012.dkr.ecr.us-east-1.amazonaws.com/w2veval:latest \\
           --corpus corpus.txt --goldsets goldsets/ \\
           --objective "0.7*jobs-domain+0.3*ws353-sim;oov=coverage" --max-jobs 20

   It prints the tuning job's name.

2. ``report``: every training job with its objective and hyperparameters
   (:func:`w2veval.sagemaker.tuning_results`), then each model rescored from S3 on other gold
   sets (:func:`w2veval.sagemaker.rescore`)::

       python examples/sagemaker/walkthrough.py report w2veval-261201-1200 -g simlex999 -g men

AWS access goes through boto3's normal chain (profiles, ``AWS_REGION``, ``AWS_ENDPOINT_URL``
for a staging endpoint). The SageMaker SDK checks the role's permissions through IAM before
launching; ``SAGEMAKER_VALIDATE_ROLE=false`` skips that check.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
import warnings
from pathlib import Path

import boto3

from w2veval import Objective
from w2veval.sagemaker import make_tuner, rescore, training_inputs, tuning_results
from w2veval.space import BLAZINGTEXT_RANGES


def _upload(s3, local: Path, bucket: str, prefix: str) -> str:
    """Upload a file or a folder's files under ``s3://bucket/prefix/``; returns that prefix URI."""
    files = [local] if local.is_file() else sorted(p for p in local.rglob("*") if p.is_file())
    if not files:
        sys.exit(f"walkthrough: nothing to upload in {local}")
    for path in files:
        s3.upload_file(str(path), bucket, f"{prefix}/{path.name}")
    return f"s3://{bucket}/{prefix}/"


def launch(args) -> str:
    s3 = boto3.client("s3")
    train = _upload(s3, Path(args.corpus), args.bucket, f"{args.prefix}/corpus")
    goldsets = (
        _upload(s3, Path(args.goldsets), args.bucket, f"{args.prefix}/goldsets") if args.goldsets else None
    )
    tuner = make_tuner(
        image_uri=args.image,
        role_arn=args.role,
        objective=Objective.parse(args.objective),
        output_s3_uri=f"s3://{args.bucket}/{args.prefix}/models",
        space=BLAZINGTEXT_RANGES,
        max_jobs=args.max_jobs,
        max_parallel_jobs=args.max_parallel_jobs,
        static_hyperparameters={"epochs": args.epochs},
    )
    # The SDK's default name has minute resolution: two launches in one minute would collide.
    name = args.name or f"w2veval-{time.strftime('%y%m%d-%H%M%S')}-{secrets.token_hex(2)}"
    tuner.tune(inputs=training_inputs(train, goldsets), job_name=name, wait=False)
    return tuner.latest_tuning_job.hyper_parameter_tuning_job_name


def _table(frame) -> str:
    """The rows as text; a table without rows says so and names its columns."""
    if frame.empty:
        return f"(no training job yet; columns: {', '.join(frame.columns)})"
    return frame.to_string(index=False)


def report(args) -> str:
    results = tuning_results(args.job)
    columns = [c for c in results.columns if c not in ("model_artifacts", "failure_reason")]
    lines = ["Training jobs, best first:", _table(results[columns])]
    total = results.attrs["billable_seconds_total"]
    lines.append(f"Billable time: {total} s" if total == total else "Billable time: not reported yet")
    failed = results[results["failure_reason"].notna()]
    lines += [f"  {row.training_job_name} failed: {row.failure_reason}" for row in failed.itertuples()]
    if args.goldset:
        scores = rescore(args.job, args.goldset)  # the score columns are there even with no job yet
        rank = ["coverage", "rankable", "rescore_error"]
        added = [
            c for c in scores.columns if c not in results.columns and c not in ("n_scored", "note", *rank)
        ]
        shown = ["training_job_name", *added, *rank]  # a score column per gold set, then the ranking
        lines += ["", f"Rescored on {', '.join(args.goldset)}:", _table(scores[shown])]
    return "\n".join(lines)


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Each warning (rescoring names the training job it concerns) as one line, no source line."""
    print(f"walkthrough: warning: {' '.join(str(message).split())}", file=sys.stderr)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    start = steps.add_parser("launch", help="upload the corpus and start a tuning job")
    start.add_argument("--bucket", required=True)
    start.add_argument("--prefix", default="w2veval-tuning")
    start.add_argument("--role", required=True, help="SageMaker execution role ARN")
    start.add_argument("--image", required=True, help="the w2veval image in ECR")
    start.add_argument("--corpus", required=True, help="a text file or folder, one sentence per line")
    start.add_argument("--goldsets", help="a folder of custom gold-set files the objective names")
    start.add_argument("--objective", default="mean_rho")
    start.add_argument("--max-jobs", type=int, default=20)
    start.add_argument("--max-parallel-jobs", type=int, default=2)
    start.add_argument("--epochs", type=int, default=5)
    start.add_argument("--name", help="the tuning job's name (default: w2veval-<time>-<random>)")
    start.set_defaults(run=launch)
    read = steps.add_parser("report", help="results of a tuning job, and its models rescored")
    read.add_argument("job", help="the tuning job's name")
    read.add_argument("-g", "--goldset", action="append", help="gold sets to rescore on")
    read.set_defaults(run=report)
    args = parser.parse_args(argv)
    warnings.showwarning = _one_line_warning
    print(args.run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
