# The code location of mille-jours, as Dagster's Helm chart runs it (deploy/helm/values.yaml): a
# gRPC code server; the runs it launches use the same image. Build and push it with a unique tag:
#   docker build -t <registre>/mille-jours:<version> .
FROM python:3.11-slim

# Tesseract and its French model read the scanned PDF pages (pipelines/read/readers/ocr.py).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-fra \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/mille-jours

# As `make publish` installs requirements.lock: every dependency, the build backend included, each
# file checked against its hash (--no-deps: the lock is the whole tree), then the project itself,
# built by that setuptools with nothing more downloaded, and `pip check`. requirements-production.lock
# is requirements.lock's runtime part with the production extras (s3, k8s), at the same pins.
COPY requirements-production.lock ./
RUN python -m pip install --no-cache-dir --disable-pip-version-check \
        --require-hashes --no-deps -r requirements-production.lock
COPY pyproject.toml README.md ./
COPY pipelines ./pipelines
COPY assets ./assets
COPY schemas ./schemas
RUN python -m pip install --no-cache-dir --disable-pip-version-check \
        --no-deps --no-build-isolation -e . \
    && python -m pip check --disable-pip-version-check

# Never root: the code server and the runs write only under DAGSTER_HOME (the chart mounts its
# dagster.yaml there) and in the project's folder (raw/, published/: a shared volume).
RUN useradd --create-home --uid 10001 mille-jours \
    && mkdir -p /opt/dagster/dagster_home /srv/mille-jours \
    && chown 10001:10001 /opt/dagster/dagster_home /srv/mille-jours
USER 10001
ENV MILLE_JOURS_ROOT=/srv/mille-jours \
    DAGSTER_HOME=/opt/dagster/dagster_home

EXPOSE 3030
CMD ["dagster", "code-server", "start", "-m", "assets.definitions", "-h", "0.0.0.0", "-p", "3030"]
