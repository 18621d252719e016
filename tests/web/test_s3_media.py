"""Uploads on S3-compatible storage (issue 14 §4): moto's S3 server on 127.0.0.1 stands in for
MinIO or a cloud's service; evidence goes in through the real upload view and comes out through
the real download view, access checked, and the bytes are in the bucket under kaohe's own name."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from kaohe.files import s3_storage
from kaohe.ledger.models import Entry, Evidence
from tests.web.conftest import World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
BUCKET = "kaohe-media"
KEYS = {"access_key": "kaohe-test", "secret_key": "kaohe-test-secret"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on a free port of 127.0.0.1, with the bucket created."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client(endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


def client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
        region_name="us-east-1",
    )


@pytest.fixture
def on_s3(settings: Any, s3_endpoint: str) -> str:
    storage = s3_storage(bucket=BUCKET, endpoint_url=s3_endpoint, region="us-east-1", **KEYS)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.MEDIA_ROOT = "/nonexistent/kaohe-media"  # nothing may land on the local disk
    return s3_endpoint


def test_evidence_goes_to_the_bucket_and_back_through_the_views(world: World, on_s3: str) -> None:
    clerk = world.client(world.clerk_zh)
    response = clerk.post(
        "/ledger/2016/entries/new/",
        {
            "office": "ZH",
            "department": "JS",
            "rule": "1.report_missed",
            "period": "H1",
            "count": "1",
            "description": "未报送",
            "action": "submit",
            "evidence_files": [SimpleUploadedFile("通报.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(entry=Entry.objects.get())
    # in the bucket, under kaohe's name (the original name is only in the row)
    key = evidence.file.name
    assert key == f"evidence/{evidence.pk.hex[:2]}/{evidence.pk.hex}"
    stored = client(on_s3).get_object(Bucket=BUCKET, Key=key)
    assert stored["Body"].read() == PDF
    # downloaded through the view, by whoever may see the entry
    download = clerk.get(f"/ledger/evidence/{evidence.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    # and refused to whoever may not know it exists
    assert world.client(world.head_xx).get(f"/ledger/evidence/{evidence.pk}/").status_code == 404


def test_a_file_gone_from_the_bucket_is_not_found(world: World, on_s3: str) -> None:
    clerk = world.client(world.clerk_zh)
    clerk.post(
        "/ledger/2016/entries/new/",
        {
            "office": "ZH",
            "department": "JS",
            "rule": "1.report_missed",
            "period": "H1",
            "count": "1",
            "action": "submit",
            "evidence_files": [SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")],
        },
    )
    evidence = Evidence.objects.get()
    client(on_s3).delete_object(Bucket=BUCKET, Key=evidence.file.name)
    assert clerk.get(f"/ledger/evidence/{evidence.pk}/").status_code == 404
