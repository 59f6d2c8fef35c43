"""The OpenAPI 3.1 document describing the API, written as data.

Every address under /api/v1 is described here (a test checks it against the app's routes
and validates the document), and every object the API answers with has a schema here with
no fields left out or added (tests check real answers against them).
"""

from __future__ import annotations

from copy import deepcopy

VERSION = "1.0.0"

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
OPTIONAL_DATE = {"type": ["string", "null"], "format": "date"}
URL = {"type": "string", "format": "uri"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, description: str = "", optional: tuple[str, ...] = ()) -> dict:
    schema = {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _described(schema: dict, description: str) -> dict:
    return {**schema, "description": description}


VALUE = {
    "description": 'The figure; "suppressed" when the small-numbers rules hide it (the number '
    "is never given); null when there is nothing to measure.",
    "oneOf": [{"type": "number"}, {"const": "suppressed"}, {"type": "null"}],
}
STATUS = {
    "type": "string",
    "enum": ["met", "close", "not_met", "no_data"],
    "description": "met, close (within the tolerance of the target), not_met, or no_data "
    "(hidden by the small-numbers rules, or nothing to measure yet).",
}

RESULT_FIELDS = {
    "period_start": DATE,
    "period_end": DATE,
    "period_label": _described(STRING, 'As the pages write it: "April to June 2026".'),
    "value": VALUE,
    "value_text": _described(STRING, 'As the pages write it: "42%"; empty without a value.'),
    "suppressed": _described(BOOLEAN, "Whether the small-numbers rules hide the figure."),
    "status": STATUS,
    "status_label": _described(STRING, '"Met", "Close", "Not met" or "Not enough data".'),
    "reason": _described(
        STRING, 'The status in words: "42% against a target of 60%; 18 points below."'
    ),
}

MEASURE_FIELDS = {
    "key": _described(STRING, "The measure's stable key in the measure library."),
    "name": STRING,
    "kind": {"type": "string", "enum": ["outcome", "experience", "output", "process"]},
    "tag": {"type": "string", "enum": ["national", "local"]},
    "unit": {"type": "string", "description": "score, percent, count or days."},
    "direction": {
        "type": "string",
        "enum": ["higher", "lower"],
        "description": "Whether higher or lower is better.",
    },
    "target": NUMBER,
    "tolerance": _described(NUMBER, "How far on the wrong side of the target is still close."),
}

CONTRACT_FIELDS = {
    "reference": STRING,
    "title": STRING,
    "provider": _ref("Named"),
    "bodies": {
        "type": "array",
        "description": "The commissioning bodies the contract is for.",
        "items": _ref("Body"),
    },
    "services": {"type": "array", "items": _ref("ServiceLink")},
    "starts_on": OPTIONAL_DATE,
    "ends_on": OPTIONAL_DATE,
    "value_pounds": {"type": ["integer", "null"], "description": "Whole pounds, when recorded."},
    "monitoring_interval_months": INTEGER,
    "risk": {"type": "string", "enum": ["low", "medium", "high"]},
    "risk_label": STRING,
    "last_reviewed_on": OPTIONAL_DATE,
    "url": _described(URL, "This contract's address in the API, with its measures."),
}

STATUS_ROW_FIELDS = {
    "contract": _described(STRING, "The contract's reference."),
    "contract_title": STRING,
    "provider": STRING,
    "risk": {"type": "string", "enum": ["low", "medium", "high"]},
    "measure": _described(STRING, "The measure's key."),
    "measure_name": STRING,
    **{name: MEASURE_FIELDS[name] for name in ("kind", "tag", "unit", "direction", "target")},
    "tolerance": MEASURE_FIELDS["tolerance"],
    "period_start": {"type": ["string", "null"], "format": "date"},
    "period_end": {"type": ["string", "null"], "format": "date"},
    "period_label": {"type": ["string", "null"]},
    "latest": _described(BOOLEAN, "Whether this is the latest complete period."),
    **{name: RESULT_FIELDS[name] for name in RESULT_FIELDS if not name.startswith("period_")},
}

CELL = {
    "description": "A published figure (shares as fractions, 0.42 for 42%), a label, null, or "
    '"suppressed" for a figure the small-numbers rules hide.',
    "type": ["number", "string", "null"],
}


def _page(item: str, description: str) -> dict:
    return _object(
        {
            "data": {"type": "array", "items": _ref(item)},
            "page": INTEGER,
            "page_size": INTEGER,
            "pages": INTEGER,
            "total": _described(INTEGER, "Rows in all pages together."),
            "next": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The next page's address; null on the last page.",
            },
        },
        description,
    )


SCHEMAS = {
    "Error": _object(
        {
            "status": INTEGER,
            "error": _described(STRING, "The HTTP status in words."),
            "message": _described(STRING, "What went wrong, and what to do about it."),
            "field": _described(STRING, "The query argument at fault, when there is one."),
        },
        "Every error answers with this.",
        optional=("field",),
    ),
    "Named": _object({"id": INTEGER, "name": STRING}),
    "Body": _object(
        {"id": INTEGER, "name": STRING, "kind": {"type": "string"}},
        "A commissioning body: a council, a health partner or a partnership.",
    ),
    "ServiceLink": _object(
        {"id": INTEGER, "name": STRING, "evidence_url": URL},
        "A service the contract covers, with the address of its evidence.",
    ),
    "Period": _object({"start": DATE, "end": DATE, "label": STRING}),
    "Contract": _object(CONTRACT_FIELDS, "A contract in the token owner's scope."),
    "PeriodResult": _object(RESULT_FIELDS, "A measure's value, status and reason in one period."),
    "ContractMeasure": _object(
        {
            **MEASURE_FIELDS,
            "results": {
                "type": "array",
                "description": "One per complete period, the most recent first.",
                "items": _ref("PeriodResult"),
            },
        },
        "A measure the contract is monitored on, with its target.",
    ),
    "ContractDetail": _object(
        {
            **CONTRACT_FIELDS,
            "periods": {
                "type": "array",
                "description": "The complete periods shown, the most recent first.",
                "items": _ref("Period"),
            },
            "measures": {"type": "array", "items": _ref("ContractMeasure")},
        },
        "A contract with its measures' history.",
    ),
    "StatusRow": _object(
        STATUS_ROW_FIELDS,
        "One contract, measure and period. A contract with no complete period yet has one "
        "row per measure with null period fields.",
    ),
    "ContractPage": _page("Contract", "A page of contracts."),
    "StatusPage": _page("StatusRow", "A page of the flat table of statuses."),
    "EvidenceTable": _object(
        {
            "key": STRING,
            "caption": STRING,
            "note": STRING,
            "columns": {
                "type": "array",
                "items": _object(
                    {
                        "heading": STRING,
                        "kind": {
                            "type": "string",
                            "enum": ["text", "count", "number", "share", "p_value"],
                        },
                    }
                ),
            },
            "rows": {
                "type": "array",
                "description": "The first cell names the row.",
                "items": {"type": "array", "items": CELL},
            },
        }
    ),
    "EvidenceSection": _object(
        {
            "key": STRING,
            "title": STRING,
            "note": STRING,
            "tables": {"type": "array", "items": _ref("EvidenceTable")},
        }
    ),
    "ServiceEvidence": _object(
        {
            "service": _object(
                {
                    "id": INTEGER,
                    "name": STRING,
                    "provider": _ref("Named"),
                    "contract": {"type": ["string", "null"], "description": "Its reference."},
                }
            ),
            "period": _ref("Period"),
            "url": URL,
            "title": STRING,
            "scope": STRING,
            "previous_period_label": STRING,
            "method": {
                "type": "array",
                "items": _object({"label": STRING, "value": STRING}),
            },
            "suppression_note": STRING,
            "sections": {"type": "array", "items": _ref("EvidenceSection")},
        },
        "A service's published evidence for one period, as its evidence page shows it.",
    ),
}


def _json(schema_name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref(schema_name)}},
    }


ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "401": {"$ref": "#/components/responses/Unauthorised"},
    "403": {"$ref": "#/components/responses/Forbidden"},
}

PAGE = {
    "name": "page",
    "in": "query",
    "required": False,
    "description": "Which page of 200 rows, from 1.",
    "schema": {"type": "integer", "minimum": 1, "default": 1},
}


def _operation(operation_id: str, summary: str, description: str, ok: dict, **extra) -> dict:
    responses = {"200": ok, **ERRORS, **extra.pop("responses", {})}
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description,
            "responses": responses,
            **extra,
        }
    }


NOT_FOUND = {"404": {"$ref": "#/components/responses/NotFound"}}

PATHS = {
    "/contracts": _operation(
        "listContracts",
        "Contracts in your scope",
        "The contracts your commissioning bodies commission (a provider: its own), by "
        "reference, with their provider, bodies, services, dates, risk and last review.",
        _json("ContractPage", "A page of contracts."),
        parameters=[PAGE],
    ),
    "/contracts/{reference}": _operation(
        "getContract",
        "One contract with its measures",
        "Each measure's target and tolerance, and its value, status and reason in each "
        "complete period (the four most recent), as the contract page shows them.",
        _json("ContractDetail", "The contract."),
        parameters=[
            {
                "name": "reference",
                "in": "path",
                "required": True,
                "description": "The contract's reference, e.g. CYP-2026-014.",
                "schema": {"type": "string"},
            }
        ],
        responses=NOT_FOUND,
    ),
    "/statuses": _operation(
        "listStatuses",
        "Every measure's status, as one flat table",
        "One row per contract, measure and period, with no nesting, for Power Query or "
        "Power BI. The same figures as the contract pages and `contracts status`.",
        _json("StatusPage", "A page of rows."),
        parameters=[PAGE],
    ),
    "/evidence/services/{service_id}": _operation(
        "getServiceEvidence",
        "A service's published evidence figures",
        "The figures the service's evidence page publishes for one period, table by table. "
        'A figure hidden by the small-numbers rules is "suppressed", never a number.',
        _json("ServiceEvidence", "The service's evidence."),
        parameters=[
            {
                "name": "service_id",
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "period",
                "in": "query",
                "required": False,
                "description": "Any date inside the period, YYYY-MM-DD. By default the last "
                "complete period.",
                "schema": {"type": "string", "format": "date"},
            },
        ],
        responses=NOT_FOUND,
    ),
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApiDocument",
            "summary": "This document",
            "description": "Needs no token.",
            "security": [],
            "responses": {
                "200": {
                    "description": "The OpenAPI document.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
}

RESPONSES = {
    "BadRequest": {
        "description": "A query argument is wrong; `field` names it.",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
    "Unauthorised": {
        "description": "No token, or a token that is unknown, revoked, or whose owner's "
        "account is inactive.",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
    "Forbidden": {
        "description": "The token's owner no longer has a role that may read evidence.",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
    "NotFound": {
        "description": "Nothing at this address that your token may see.",
        "content": {"application/json": {"schema": _ref("Error")}},
    },
}

DESCRIPTION = """\
Read-only figures for business-intelligence tools such as Power BI and Excel Power Query:
contracts, their measures and statuses, and services' published evidence, with the same
scope and small-numbers rules as the pages. Make a token on your account's "API tokens"
page and send it with every call as `Authorization: Bearer <token>`. Lists come in pages of
200 rows; `next` gives the next page's address. Every call is audited."""


def document(server_url: str) -> dict:
    """The whole document, with the API's address on this server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Have your say: contracts, measures and evidence",
            "version": VERSION,
            "description": DESCRIPTION,
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerToken": []}],
        "paths": deepcopy(PATHS),
        "components": {
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token from your account's API tokens page.",
                }
            },
            "schemas": deepcopy(SCHEMAS),
            "responses": deepcopy(RESPONSES),
        },
    }
