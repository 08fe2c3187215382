# The on-prem / cloud application image. The target is chosen with --build-arg TARGET.
# Issue 4 replaces this with images built from the per-target packages of `npm run build`.
# The base image is an argument so production can move to the current Node LTS (Node 20 left support in 2026-04).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM ${NODE_IMAGE}
ARG TARGET=onprem
ENV NODE_ENV=production \
    TIMESHEET_TARGET=${TARGET} \
    TIMESHEET_APP__HOST=0.0.0.0 \
    TIMESHEET_APP__PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY plugins ./plugins
COPY views ./views
COPY config/default.json ./config/default.json
COPY config/targets ./config/targets
# Production configuration (secrets, URLs) comes from config/env/production.json mounted at run time
# or from TIMESHEET_* environment variables; development keys are not copied.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "src/server.ts"]
