from fastapi import FastAPI
from fastapi.responses import PlainTextResponse


def get_application() -> FastAPI:
    application = FastAPI(title="inventory")

    @application.get("/", response_class=PlainTextResponse)
    def index() -> str:
        return "hello from py-fastapi-factory\n"

    return application
