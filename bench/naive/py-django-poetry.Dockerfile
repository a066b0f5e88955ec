FROM python:3.13
WORKDIR /app
COPY . .
RUN pip install poetry && poetry config virtualenvs.create false && poetry install --no-root
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "mysite.wsgi"]
