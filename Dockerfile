# One image per target, built from the package `npm run build` makes for it:
#   docker build --build-arg TARGET=onprem -t timesheet-onprem .
#   docker build --build-arg TARGET=cloud  -t timesheet-cloud  .
# (scripts/deploy/build-images.sh builds both, with docker or podman --isolation=chroot; its
# --make-base makes a local stand-in for the base where Docker Hub cannot be reached.)
# The base is Node 24 LTS on Debian bookworm (slim); what this file uses of it: apt-get, /bin/sh,
# node, npm and npx on the PATH, and user node (uid 1000). An argument, to move to the next LTS.
ARG BASE_IMAGE=node:24-bookworm-slim

FROM ${BASE_IMAGE} AS build
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
COPY scripts/build ./scripts/build
# TARGET only from here on: the steps above are the same for both images (one cache for the two builds).
ARG TARGET=onprem
RUN npx tsx scripts/build.ts --target ${TARGET} --out /out \
 && cd /out/${TARGET} && npm ci --omit=dev --no-audit --no-fund \
 # node-gyp's intermediate files, when a native addon was compiled here rather than downloaded
 && find node_modules -path '*/build/Release/*' \( -name obj -o -name obj.target -o -name .deps -o -name '*.a' \) -prune -exec rm -rf {} + \
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
