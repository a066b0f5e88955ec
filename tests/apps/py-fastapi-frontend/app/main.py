from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

app = FastAPI(title="py-fastapi-frontend")


@app.get("/api/hello")
def hello() -> dict:
    return {"message": "hello from py-fastapi-frontend api"}


# The front end's Vite build (frontend/dist), served at / by the same process.
app.mount("/", StaticFiles(directory="frontend/dist", html=True), name="frontend")
