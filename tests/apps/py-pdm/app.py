from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "hello from py-pdm\n", 200, {"Content-Type": "text/plain"}
