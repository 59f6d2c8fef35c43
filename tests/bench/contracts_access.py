"""Make the benchmark's commissioner a member of every commissioning body, so the contracts
overview shows every synthetic contract.

    python -m tests.bench.contracts_access EMAIL
"""

from __future__ import annotations

import sys

from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import CommissioningBody, User


def main() -> int:
    app = create_app()
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(email=sys.argv[1]))
        user.bodies = list(db.session.scalars(select(CommissioningBody)))
        db.session.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
