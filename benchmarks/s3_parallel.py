"""Rescoring 50 BlazingText artifacts from S3: in parallel against one at a time (issue 7).

A moto server runs as its own process on 127.0.0.1 (so it does not share this process's
GIL with the scoring threads) and holds a tuning job's 50 training-job records, each with a
BlazingText-layout ``model.tar.gz`` (``vectors.txt``, ``vectors.bin``, ``eval.json``) at the
S3 key moto reports. The archive is a synthetic 50,000 x 100 word2vec text file with every
WordSim-353 and SimLex-999 word in it (about 45 MB of text, 20 MB gzipped), uploaded under
each of the 50 keys. :func:`w2veval.sagemaker.rescore` then scores every job on ``ws353``
and ``simlex999`` with ``max_workers`` 1, 4 and 8; each is timed ``--repeat`` times (median).
Run::

    .venv/bin/python benchmarks/s3_parallel.py [--jobs 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import statistics
import subprocess
import sys
import tarfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _data import WORK, synthetic_files

ROLE = "arn:aws:iam::123456789012:role/w2veval-bench"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _archive(work: Path) -> bytes:
    text, binary = synthetic_files(50_000, 100, binary=True, work=work)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(text, arcname="vectors.txt")
        tar.add(binary, arcname="vectors.bin")
        info = tarfile.TarInfo("eval.json")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"{}"))
    return buffer.getvalue()


def _start_moto(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("moto_server did not start")


def _populate(n_jobs: int, payload: bytes) -> list[str]:
    import boto3

    s3, sm = boto3.client("s3"), boto3.client("sagemaker")
    bucket = f"w2veval-bench-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    resources = {"InstanceType": "ml.c5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 5}
    names = []
    for i in range(n_jobs):
        name = f"bench-{i:03d}-{uuid.uuid4().hex[:6]}"
        sm.create_training_job(
            TrainingJobName=name,
            HyperParameters={"mode": "cbow", "vector_dim": "100"},
            AlgorithmSpecification={"TrainingImage": "img", "TrainingInputMode": "File"},
            RoleArn=ROLE,
            OutputDataConfig={"S3OutputPath": f"s3://{bucket}/out"},
            ResourceConfig=resources,
            StoppingCondition={"MaxRuntimeInSeconds": 100},
        )
        url = sm.describe_training_job(TrainingJobName=name)["ModelArtifacts"]["S3ModelArtifacts"]
        key_bucket, key = url[len("s3://") :].split("/", 1)
        s3.put_object(Bucket=key_bucket, Key=key, Body=payload)
        names.append(name)
    return names


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4, 8])
    args = parser.parse_args(argv)

    port = _free_port()
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
        }
    )
    os.environ.pop("AWS_PROFILE", None)
    payload = _archive(WORK)
    server = _start_moto(port)
    try:
        names = _populate(args.jobs, payload)
        from w2veval.sagemaker import rescore

        rows, reference = [], None
        for workers in args.workers:
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                frame = rescore(names, ["ws353", "simlex999"], max_workers=workers)
                times.append(time.perf_counter() - start)
            if frame["rescore_error"].notna().any():
                raise SystemExit(f"rescoring failed: {frame['rescore_error'].dropna().iloc[0]}")
            scores = frame[["ws353", "simlex999"]].to_numpy()
            reference = scores if reference is None else reference
            if not (scores == reference).all():
                raise SystemExit("scores differ between worker counts")
            rows.append((workers, statistics.median(times)))
    finally:
        server.terminate()
        server.wait()
    serial = rows[0][1]
    print(
        f"{args.jobs} model.tar.gz of {len(payload) / 1e6:.1f} MB each "
        f"(50,000 x 100 vectors.txt + vectors.bin), moto server on 127.0.0.1, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, median of {args.repeat}\n"
    )
    print("| max_workers | wall s | per model s | speed-up vs 1 |")
    print("|---:|---:|---:|---:|")
    for workers, wall in rows:
        print(f"| {workers} | {wall:.2f} | {wall / args.jobs:.3f} | {serial / wall:.1f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
