"""deploy/nginx/casework.conf passes ``nginx -t`` (with its paths pointed at this checkout and a
throwaway certificate), and logs no query string."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

PROJECT = Path(__file__).resolve().parent.parent
CONFIG = PROJECT / "deploy" / "nginx" / "casework.conf"


def _self_signed(folder: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "casework.example.org")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (folder / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _main_config(folder: Path) -> Path:
    """An nginx.conf whose http block includes ours, everything under ``folder``."""
    _self_signed(folder)
    site = CONFIG.read_text()
    for installed, here in (
        ("/etc/casework/tls", str(folder)),
        ("/opt/casework", str(PROJECT)),
        ("/var/log/nginx", str(folder)),
    ):
        site = site.replace(installed, here)
    (folder / "casework.conf").write_text(site)
    main = folder / "nginx.conf"
    main.write_text(
        f"pid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log;\n"
        "events {}\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        f"    client_body_temp_path {folder};\n"
        f"    include {folder}/casework.conf;\n"
        "}\n"
    )
    return main


def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    nginx = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if nginx is None:
        pytest.skip("nginx is not installed here (CI installs it)")
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(_main_config(tmp_path))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "[warn]" not in result.stderr


def test_its_access_log_leaves_out_query_strings() -> None:
    text = CONFIG.read_text()
    assert "$uri" in text
    assert "$request " not in text and "$request'" not in text and "$args" not in text


def test_the_health_check_is_answered_over_plain_http() -> None:
    plain = CONFIG.read_text().split("listen 443")[0]
    assert "location = /health/" in plain
