# One image per target, built from the package `npm run build` makes for it:
#   docker build --build-arg TARGET=onprem -t timesheet-onprem .
#   docker build --build-arg TARGET=cloud  -t timesheet-cloud  .
# (scripts/deploy/build-images.sh builds both, with docker or podman --isolation=chroot.)
# BASE_IMAGE is an argument so production can move to the current Node LTS: Node 20 left support in
# 2026-04, and the package needs Node >= 20.19.
ARG BASE_IMAGE=node:20.19-bookworm-slim

FROM ${BASE_IMAGE} AS build
ARG TARGET=onprem
WORKDIR /src
# sqlite3 (on-prem) builds its native addon from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY plugins ./plugins
COPY views ./views
COPY config ./config
COPY scripts/build.ts ./scripts/build.ts
RUN npx tsx scripts/build.ts --target ${TARGET} --out /out \
 && cd /out/${TARGET} && npm ci --omit=dev --no-audit --no-fund \
 # development values stay out of the image: production settings come from the config volume or TIMESHEET_* variables
 && rm -rf config/env config/dev

FROM ${BASE_IMAGE}
ARG TARGET=onprem
ENV NODE_ENV=production \
    TIMESHEET_TARGET=${TARGET} \
    TIMESHEET_APP__HOST=0.0.0.0 \
    TIMESHEET_APP__PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /out/${TARGET}/ ./
RUN mkdir -p /app/config/env /app/data && chown -R node:node /app/config/env /app/data
USER node
# config/env/production.json (secrets, URLs) is mounted here; data/ holds the SQLite file when used.
VOLUME ["/app/config/env", "/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "server.js"]
