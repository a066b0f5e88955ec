FROM python:3.13
WORKDIR /app
COPY . .
# --ignore-installed: the local stand-in image's Debian-owned `packaging` cannot be
# removed by pip (upstream's python image needs no flag).
RUN pip install --ignore-installed poetry && poetry config virtualenvs.create false && poetry install --no-root
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "mysite.wsgi"]
