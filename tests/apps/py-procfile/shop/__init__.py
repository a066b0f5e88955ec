"""A bare WSGI app (no framework): only the Procfile says how it is served."""


def make_app():
    def app(environ, start_response):
        body = b"hello from py-procfile\n"
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]

    return app
