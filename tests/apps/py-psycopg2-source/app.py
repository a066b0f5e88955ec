"""Proves psycopg2 was compiled in the builder and links against libpq at run time."""

import psycopg2
import psycopg2.extensions
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    libpq = psycopg2.extensions.libpq_version()
    # Connecting needs a server; parsing a DSN exercises libpq itself.
    dsn = psycopg2.extensions.parse_dsn("postgresql://app@db:5432/app")
    body = f"hello from py-psycopg2-source (libpq {libpq}, host {dsn['host']})\n"
    return body, 200, {"Content-Type": "text/plain"}
