"""A Flask app built by a factory, started by the Procfile through gunicorn."""

from flask import Flask


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(config or {})

    @app.get("/")
    def index():
        return "hello from py-flask-factory\n", 200, {"Content-Type": "text/plain"}

    return app
