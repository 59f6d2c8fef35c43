"""`/` for anyone who arrives without a campaign link, and `/favicon.ico`."""

from flask import current_app, render_template, send_from_directory

from app.home import bp


@bp.get("/")
def index():
    return render_template("home/index.html")


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for this address whatever the page links to; a day's caching is plenty.
    return send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/x-icon", max_age=86400
    )
