"""The API's addresses: contracts, one contract, the flat table of statuses, a service's
evidence, and the OpenAPI document that describes them all. GET only."""

from __future__ import annotations

from flask import jsonify, request, url_for

from app import scope
from app.api import bp, contracts, evidence, openapi
from app.api.guard import ApiError, caller
from app.extensions import db
from app.models import Service
from app.models.timeutil import uk_today

# Lists longer than this come in pages (`?page=2`); each page says where the next one is.
PAGE_SIZE = 200
LAST_PAGE = 100_000


def _route(rule: str, **options):
    # GET (and HEAD) only: OPTIONS and every other method answer 405 in JSON.
    return bp.get(rule, provide_automatic_options=False, **options)


def _page_asked() -> int:
    asked = request.args.get("page", "1").strip()
    if not asked.isascii() or not asked.isdigit() or not 1 <= int(asked[:7]) <= LAST_PAGE:
        raise ApiError(400, f"page must be a whole number from 1 to {LAST_PAGE:,}.", "page")
    return int(asked)


def _paged(endpoint: str, rows: list, total: int, page: int):
    pages = max(1, -(-total // PAGE_SIZE))
    following = None
    if page < pages:
        following = url_for(endpoint, page=page + 1, _external=True)
    return jsonify(
        {
            "data": rows,
            "page": page,
            "page_size": PAGE_SIZE,
            "pages": pages,
            "total": total,
            "next": following,
        }
    )


@_route("/contracts")
def contract_list():
    page = _page_asked()
    found = contracts.visible(caller())
    first = (page - 1) * PAGE_SIZE
    rows = [contracts.summary(contract) for contract in found[first : first + PAGE_SIZE]]
    return _paged("api.contract_list", rows, len(found), page)


@_route("/contracts/<path:reference>")
def contract(reference):
    found = contracts.find(caller(), reference)
    if found is None:
        raise ApiError(404, f"There is no contract {reference} that your token may see.")
    return jsonify(contracts.detail(found, uk_today()))


@_route("/statuses")
def statuses():
    page = _page_asked()
    rows, total = contracts.status_page(caller(), uk_today(), (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return _paged("api.statuses", rows, total, page)


@_route("/evidence/services/<int:service_id>")
def service_evidence(service_id):
    service = db.session.get(Service, service_id)
    if service is None or not scope.can_see_service(caller(), service.id):
        raise ApiError(404, f"There is no service {service_id} that your token may see.")
    try:
        period = evidence.chosen_period(service, request.args.get("period"), uk_today())
    except evidence.PeriodProblem as problem:
        raise ApiError(400, str(problem), "period") from None
    return jsonify(evidence.service_evidence(service, period))


@_route("/openapi.json", endpoint="openapi")
def openapi_document():
    return jsonify(openapi.document(request.url_root.rstrip("/") + bp.url_prefix))
