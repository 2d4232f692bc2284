# vn-eid OpenID provider. Build: docker build -t vn-eid .
# Production needs REDIS_URL, COOKIE_KEYS (or *_FILE), an https ISSUER and config/clients.json (see docs/configuration.md).

# --- build: compile TypeScript with the dev dependencies ---------------------------------------------------------------
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# --- runtime: production dependencies, compiled code, templates, static files and configuration ----------------------
FROM node:22-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY views ./views
COPY static ./static
COPY config ./config
# The code is owned by root and read-only to the service; only var/ (development state) is writable.
RUN mkdir -p var && chown node:node var
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
