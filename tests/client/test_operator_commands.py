"""What an operator sees from the `flask --app wsgi ...` commands."""

from sqlalchemy import select

from app.config import from_environment
from app.extensions import db
from app.models import Campaign
from tests.support.apps import make_app


def invoke(runner, *args):
    return runner.invoke(args=list(args), catch_exceptions=False)


def test_a_licensed_scale_cannot_open_until_the_licence_reference_is_recorded(runner, app):
    assert invoke(runner, "providers", "create", "Northside Family Support").exit_code == 0
    result = invoke(runner, "services", "create", "--provider", "1", "--name", "Parenting")
    assert result.exit_code == 0
    result = invoke(
        runner,
        "campaigns", "create", "--service", "1", "--name", "Spring check",
        "--instrument", "wemwbs", "--opens", "2026-01-01", "--closes", "2030-12-31",
    )  # fmt: skip
    assert result.exit_code == 0
    assert "/s/" in result.output

    refused = invoke(runner, "campaigns", "open", "1")
    assert refused.exit_code != 0
    assert "licence reference" in refused.output
    assert db.session.scalar(select(Campaign)).status == "draft"

    assert invoke(runner, "campaigns", "licence", "1", "WEMWBS-REG-0042").exit_code == 0
    opened = invoke(runner, "campaigns", "open", "1")
    assert opened.exit_code == 0, opened.output
    db.session.expire_all()
    assert db.session.scalar(select(Campaign)).status == "open"


def test_an_own_questionnaire_opens_without_a_licence(runner, app):
    invoke(runner, "providers", "create", "Northside Family Support")
    invoke(runner, "services", "create", "--provider", "1", "--name", "Parenting")
    invoke(
        runner,
        "campaigns", "create", "--service", "1", "--name", "Feedback",
        "--instrument", "service-feedback", "--opens", "2026-01-01", "--closes", "2030-12-31",
    )  # fmt: skip
    assert invoke(runner, "campaigns", "open", "1").exit_code == 0


def test_an_unknown_instrument_is_named_in_the_error(runner, app):
    invoke(runner, "providers", "create", "Northside Family Support")
    invoke(runner, "services", "create", "--provider", "1", "--name", "Parenting")
    result = invoke(
        runner,
        "campaigns", "create", "--service", "1", "--name", "X", "--instrument", "wembws",
        "--opens", "2026-01-01", "--closes", "2030-12-31",
    )  # fmt: skip
    assert result.exit_code != 0
    assert "'wembws'" in result.output


def test_demo_load_prints_the_respondent_links_and_runs_once_with_if_empty(runner, app):
    first = invoke(runner, "demo", "load", "--if-empty")
    assert first.output.count("/s/") == 3
    second = invoke(runner, "demo", "load", "--if-empty")
    assert "already has data" in second.output
    assert len(db.session.scalars(select(Campaign)).all()) == 3


def test_campaign_qr_command_writes_a_poster_file(runner, app, tmp_path, demo):
    target = tmp_path / "poster.png"
    result = invoke(runner, "campaigns", "qr", str(demo["wemwbs"].id), str(target))
    assert result.exit_code == 0
    assert target.read_bytes().startswith(b"\x89PNG")


def test_instruments_check_lists_the_shipped_instruments(runner, app):
    result = invoke(runner, "instruments", "check")
    assert result.exit_code == 0
    for key in ("wemwbs@1", "swemwbs@1", "service-feedback@1"):
        assert key in result.output


def test_make_run_on_another_port_prints_links_to_that_port(app, monkeypatch):
    # `make run PORT=5050` serves on 5050; without PUBLIC_BASE_URL the links must lead there.
    monkeypatch.setenv("DEVELOPMENT", "1")
    monkeypatch.setenv("PORT", "5050")
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    served = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    with served.app_context():
        result = invoke(served.test_cli_runner(), "demo", "load")
    assert result.output.count("http://127.0.0.1:5050/s/") == 3
    assert "Staff sign-in at http://127.0.0.1:5050/sign-in" in result.output


def test_a_public_base_url_that_is_set_wins_over_the_port(monkeypatch, tmp_path):
    monkeypatch.setenv("PORT", "5050")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://have-your-say.example.org.uk")
    for development in ("1", "0"):
        monkeypatch.setenv("DEVELOPMENT", development)
        config = from_environment(str(tmp_path), {"SECRET_KEY": "x"})
        assert config["PUBLIC_BASE_URL"] == "https://have-your-say.example.org.uk"
    # Outside development PORT is where gunicorn listens behind a proxy, never a public address.
    monkeypatch.delenv("PUBLIC_BASE_URL")
    assert from_environment(str(tmp_path), {"SECRET_KEY": "x"})["PUBLIC_BASE_URL"] == (
        "http://127.0.0.1:5000"
    )


def test_every_command_group_comes_from_the_one_list(app):
    from app.cli import COMMAND_GROUPS

    names = {group.name for group in COMMAND_GROUPS}
    assert names == {
        "api-tokens", "campaigns", "contracts", "demo", "evidence", "improvement", "instruments",
        "providers", "retention", "safeguarding", "services", "translate", "users",
    }  # fmt: skip
    # Flask-Migrate's `db` is the one group added elsewhere; no blueprint carries commands.
    assert set(app.cli.commands) == names | {"db"}
    assert [name for name, bp in app.blueprints.items() if bp.cli.commands] == []
