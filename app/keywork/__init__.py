"""Key workers' pages: the fieldwork index, recording an outcomes-wheel reading with a young
person, finding a young person by their code, their readings and wheel chart. The work is
done in `app.readings`."""

from flask import Blueprint

bp = Blueprint("keywork", __name__, url_prefix="/fieldwork")

from app.keywork import routes, steps  # noqa: E402,F401
