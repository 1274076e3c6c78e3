# Loket: the same install and start commands as the Makefile (`make install`, `loket migrate`,
# `loket serve`), so what CI tests is what the image runs.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    WEB_CONCURRENCY=4

WORKDIR /app
RUN useradd --create-home --uid 10001 loket
COPY pyproject.toml README.md ./
COPY booking ./booking
COPY migrations ./migrations
COPY templates ./templates
COPY locale ./locale
# Editable, as in the Makefile: Loket finds migrations/, templates/ and locale/ next to booking/.
RUN pip install --no-cache-dir -e . && mkdir -p var && chown loket var

USER loket
EXPOSE 8000
# DATABASE_URL=postgres://... in production; without it, SQLite under /app/var.
CMD ["sh", "-c", "loket migrate && exec loket serve"]
