"""flask users create|key|revoke|list, and the keys they print."""

import re

from sqlalchemy import text

from creditsvc import create_app
from tests.conftest import make_config


def key_of(output: str) -> str:
    return re.search(r"(csk_\S+)", output).group(1)


def test_create_prints_a_key_once_and_stores_only_its_hash(runner, client, session):
    result = runner.invoke(args=["users", "create", "li", "--role", "officer"])
    assert result.exit_code == 0, result.output
    key = key_of(result.output)
    stored = " ".join(str(r) for r in session.execute(text("SELECT * FROM api_keys")))
    assert key not in stored
    assert client.get("/api/v1/households", headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_bank_users_need_a_known_bank(runner):
    assert runner.invoke(args=["users", "create", "b1", "--role", "bank"]).exit_code != 0
    bad = runner.invoke(args=["users", "create", "b1", "--role", "bank", "--bank", "XYZ"])
    assert bad.exit_code != 0 and "XYZ" in bad.output and "Traceback" not in bad.output
    assert runner.invoke(args=["users", "create", "b1", "--role", "bank", "--bank", "ABC"]).exit_code == 0
    officer_with_bank = runner.invoke(args=["users", "create", "o", "--role", "officer", "--bank", "ABC"])
    assert officer_with_bank.exit_code != 0


def test_duplicate_names_are_refused(runner):
    runner.invoke(args=["users", "create", "li", "--role", "officer"])
    again = runner.invoke(args=["users", "create", "li", "--role", "admin"])
    assert again.exit_code != 0 and "exists" in again.output


def test_revoke_stops_every_key(runner, client):
    key1 = key_of(runner.invoke(args=["users", "create", "li", "--role", "officer"]).output)
    key2 = key_of(runner.invoke(args=["users", "key", "li"]).output)
    assert runner.invoke(args=["users", "revoke", "li"]).exit_code == 0
    for key in (key1, key2):
        response = client.get("/api/v1/households", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 401 and response.get_json()["code"] == "invalid_api_key"
    listing = runner.invoke(args=["users", "list"]).output
    assert re.search(r"li\s+officer\s+-\s+revoked", listing)


def test_unknown_user_is_a_clean_error(runner):
    result = runner.invoke(args=["users", "revoke", "nobody"])
    assert result.exit_code != 0 and "no user nobody" in result.output


def test_an_unmigrated_database_is_explained_not_a_traceback(tmp_path):
    app = create_app(make_config(f"sqlite:///{tmp_path / 'empty.sqlite3'}"))
    for args in (["users", "list"], ["fund", "reconcile"], ["audit", "verify"]):
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 1, (args, result.output)
        assert "db upgrade" in result.output and "Traceback" not in result.output


def test_password_sets_an_initial_password_that_must_be_changed(runner, session):
    runner.invoke(args=["users", "create", "li-pw", "--role", "officer"])
    result = runner.invoke(args=["users", "password", "li-pw"])
    assert result.exit_code == 0, result.output
    password = re.search(r"initial password \(shown once.*\): (\S+)", result.output).group(1)
    row = session.execute(text("SELECT password_hash, must_change_password FROM users "
                               "WHERE name = 'li-pw'")).one()
    assert row.password_hash.startswith("$argon2id$") and password not in row.password_hash
    assert row.must_change_password


def test_password_from_stdin_is_checked(runner):
    runner.invoke(args=["users", "create", "li-pw2", "--role", "officer"])
    weak = runner.invoke(args=["users", "password", "li-pw2", "--stdin"], input="short\n")
    assert weak.exit_code != 0 and "too weak" in weak.output and "Traceback" not in weak.output
    good = runner.invoke(args=["users", "password", "li-pw2", "--stdin"], input="a-good-pass-2026\n")
    assert good.exit_code == 0 and "a-good-pass-2026" not in good.output
    missing = runner.invoke(args=["users", "password", "nobody"])
    assert missing.exit_code != 0 and "no user nobody" in missing.output
