# Loket: installed from the lock file (requirements.txt, hashes checked), the same set
# `make run` installs; compose.yaml runs this image as migrate, web and worker.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    WEB_CONCURRENCY=4

# pg_dump and pg_restore for `loket backup` and `loket restore` (PostgreSQL 15 client).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN useradd --create-home --uid 10001 loket
COPY requirements.txt ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.txt
COPY pyproject.toml README.md ./
COPY booking ./booking
COPY migrations ./migrations
COPY templates ./templates
COPY locale ./locale
# Editable, as in the Makefile: Loket finds migrations/, templates/ and locale/ next to booking/.
RUN pip install --no-cache-dir --no-deps --no-build-isolation -e . && pip check \
    && mkdir -p var /backups && chown loket var /backups

USER loket
EXPOSE 8000
# DATABASE_URL=postgres://... in production; without it, SQLite under /app/var.
CMD ["sh", "-c", "loket migrate && exec loket serve"]
