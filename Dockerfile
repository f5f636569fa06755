# Footing production image: gunicorn serves the Django app; the same image runs the Celery
# worker and beat (see docker-compose.yml and the Procfile).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

RUN groupadd --system footing \
    && useradd --system --gid footing --home-dir /app --no-create-home --shell /usr/sbin/nologin footing

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so this layer is rebuilt only when they change.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write('\n'.join(deps) + '\n')" \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the source. Named paths only, so a local .env, var/ (SQLite, broker folders), media/
# or .venv never ends up in the image.
COPY manage.py ./
COPY config ./config
COPY people ./people
COPY programmes ./programmes
COPY supervision ./supervision
COPY assessments ./assessments
COPY templates ./templates
COPY static ./static
RUN pip install --no-cache-dir --no-deps . \
    && rm -rf build ./*.egg-info

# Static files are collected at build time. The SECRET_KEY and DATABASE_URL here exist only for
# this one command; the running container gets its own from the environment.
RUN SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3

RUN mkdir -p /app/var /app/media \
    && chown -R footing:footing /app/var /app/media

USER footing

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
