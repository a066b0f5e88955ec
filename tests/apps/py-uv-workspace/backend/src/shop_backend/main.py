from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from shop_core import GREETING

app = FastAPI(title="shop")


@app.get("/", response_class=PlainTextResponse)
def index() -> str:
    return GREETING + "\n"
