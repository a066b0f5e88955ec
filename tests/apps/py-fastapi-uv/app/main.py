from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI(title="py-fastapi-uv")


@app.get("/", response_class=PlainTextResponse)
def index() -> str:
    return "hello from py-fastapi-uv\n"
