"""A Flask app whose Pipfile was never locked."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "hello from py-pipfile-unlocked\n"
