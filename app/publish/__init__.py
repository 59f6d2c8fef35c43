"""Staff pages for results for young people: a coordinator previews and publishes each
period's "you said, we did" page and chooses its poster's languages; a provider writes its
public wording for each action and reply. English only, like every staff page."""

from flask import Blueprint

bp = Blueprint("publish", __name__, url_prefix="/results-pages")

from app.publish import routes, wording  # noqa: E402, F401
