"""The written answers page: a service's free-text answers for a period, grouped by
question, for the roles allowed to read them; every view is audited. A commissioner (or
coordinator or admin) names themes for the period and marks answers with them; the
evidence then counts each theme under the small-numbers rule (`app.evidence.themes`).
No code, date or other answer is shown beside the answers.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import audit
from app.evidence import build, themes
from app.evidence.periods import Period
from app.evidence.written_answers import written_answers as read_written_answers
from app.extensions import db, instrument_registry
from app.figures import display
from app.models.timeutil import uk_today
from app.paging import page_number
from app.review import bp
from app.review.choices import choose_period, service_grid
from app.review.routes import _rule, _service

FREE_TEXT_PAGE_SIZE = 100


def _questions(service, period: Period, page: int):
    publishable = build.written_sections(service, period, _rule())
    return read_written_answers(
        service, period, instrument_registry(), page, FREE_TEXT_PAGE_SIZE, publishable
    )


def _field(key) -> str:
    response_id, item_id = key
    return f"theme-{response_id}-{item_id}"


def _render(service, period, offered, error, page, questions, chosen, theme_error="", status=200):
    audit.record(
        "written_answers_viewed",
        service,
        period=period.label,
        period_start=period.start.isoformat(),
        page=page,
        answers_shown=sum(len(question.answers) for question in questions),
    )
    period_themes = themes.themes_for(service, period)
    counts = dict(themes.counts(period_themes))
    rule = _rule()
    return render_template(
        "review/written_answers.html",
        today=uk_today(),
        service=service,
        period=period,
        offered=offered,
        error=error,
        theme_error=theme_error,
        new_theme=request.form.get("new_theme", "") if theme_error else "",
        questions=questions,
        themes=[(theme, display(rule.count(counts.get(theme.name, 0)))) for theme in period_themes],
        chosen=chosen,
        field=_field,
        may_mark=any(question.answers for question in questions),
        page=page,
        more=any(question.more for question in questions),
        next_url=url_for(
            "review.written_answers",
            service_id=service.id,
            period=period.start.isoformat(),
            page=page + 1,
        ),
    ), status


@bp.get("/services/<int:service_id>/written-answers")
def written_answers(service_id):
    """Free-text answers for a service and period, a page at a time, with their themes."""
    service = _service(service_id)
    period, offered, error = choose_period(service_grid(service), request.args, uk_today())
    page = page_number(request.args.get("page"))
    questions = _questions(service, period, page)
    marked = themes.marks(themes.themes_for(service, period))
    chosen = {key: marked.get(key, set()) for q in questions for key, _ in q.keyed}
    return _render(service, period, offered, error, page, questions, chosen)


@bp.post("/services/<int:service_id>/written-answers/themes")
def written_answer_themes(service_id):
    """Save the themes of the answers on one page, and add a new theme when one is named.
    Only the answers the page shows can be marked, whatever the form sends."""
    service = _service(service_id)
    period, offered, error = choose_period(service_grid(service), request.args, uk_today())
    page = page_number(request.args.get("page"))
    back = url_for(
        "review.written_answers",
        service_id=service.id,
        period=period.start.isoformat(),
        page=page if page > 1 else None,
    )
    if error:
        return redirect(back)
    questions = _questions(service, period, page)
    shown = [key for q in questions for key, _ in q.keyed]
    period_themes = themes.themes_for(service, period)
    ids = {str(theme.id): theme.id for theme in period_themes}
    chosen = {
        key: {ids[value] for value in request.form.getlist(_field(key)) if value in ids}
        for key in shown
    }
    name = request.form.get("new_theme", "")
    try:
        if name.strip():
            themes.add_theme(service, period, name, current_user)
    except themes.ThemeError as problem:
        db.session.rollback()
        return _render(
            service, period, offered, "", page, questions, chosen, str(problem), status=400
        )
    themes.set_marks(period_themes, shown, chosen)
    db.session.commit()
    audit.record("written_answer_themes_saved", service, period=period.label, page=page)
    flash(
        "Themes saved."
        + (f" Theme \u201c{' '.join(name.split())}\u201d added." if name.strip() else "")
    )
    return redirect(back + "#themes")
