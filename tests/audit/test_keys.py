"""The audit key: held in the settings and named on each seal by an id that does not reveal
it (production refuses the development key: tests/test_deploy_settings.py)."""

from __future__ import annotations

from audit import chain


def test_a_key_id_names_the_key_without_revealing_it():
    assert chain.key_id("a secret") == chain.key_id("a secret")
    assert chain.key_id("a secret") != chain.key_id("another secret")
    assert "secret" not in chain.key_id("a secret")


def test_the_digest_changes_with_the_key():
    fields = {
        "previous_digest": "",
        "table": "clients_accesslog",
        "after_id": 0,
        "last_id": 3,
        "row_count": 3,
        "columns": ["id", "path"],
        "rows_sha256": "0" * 64,
        "key_id": "k",
    }
    assert chain.seal_digest(key="one", **fields) != chain.seal_digest(key="two", **fields)
