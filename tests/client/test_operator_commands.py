"""What an operator sees from the `flask --app wsgi ...` commands."""

from sqlalchemy import select

from app.extensions import db
from app.models import Campaign


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
