# jxc as a container image: Node 24 LTS, compiled JavaScript only, production dependencies only, non-root.
#
#   docker build -t jxc .
#   docker run -p 127.0.0.1:3000:3000 -v jxc-data:/data -e JXC_BOOTSTRAP_ADMIN_KEY=... jxc
#
# Or through docker-compose.yml (profiles "embedded" and "distributed"); README "Running in production".
# The build stage compiles TypeScript and better-sqlite3's native addon (a prebuilt binary when one is
# published for this Node, else node-gyp with the tools installed there); the runtime stage gets dist/ and
# the pruned node_modules, built against the same Node image, and no compiler.
# Validated here by hadolint only (scripts/validate-packaging): it has never been built on this project's CI.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
# node-gyp's tools, used only if no prebuilt better-sqlite3 binary fits. Unpinned: Debian bookworm's
# security updates replace the exact versions, so a pin would break the build rather than make it repeatable.
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY domain ./domain
COPY projections ./projections
COPY scripts ./scripts
# The web console's sources: `npm run build` bundles them into dist/console (Vite), served at /.
COPY web ./web
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    JXC_DATA_DIR=/data
WORKDIR /app
# Owned by root, read-only for the service's user: only /data is writable.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The image's "node" user, by number (uid and gid 1000) so that a host or an orchestrator can check it is
# not root. A named volume mounted on /data starts with this owner and mode.
RUN mkdir -p /data && chown 1000:1000 /data && chmod 700 /data
USER 1000:1000
VOLUME ["/data"]
EXPOSE 3000
# Liveness (GET /api/health/live answers 200 while the process serves requests), over HTTPS when
# JXC_TLS_CERT is set (the service's own certificate may be self-signed, so it is not verified here).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const s=!!process.env.JXC_TLS_CERT;require(s?'node:https':'node:http').get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/api/health/live',rejectUnauthorized:false,timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]
# No tsc, no npm at start: node runs the compiled service and receives SIGTERM itself (graceful stop).
CMD ["node", "dist/src/main.js"]
