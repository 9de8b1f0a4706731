# One image for the API and the worker; docker-compose.yml runs it twice with different commands.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# patches/ holds a fix to postgres.js applied by postinstall (see patches/README.md).
COPY patches ./patches
RUN npm ci
COPY . .
RUN npm run build:ui
# The worker runs compiled (dist/worker/worker.mjs and the workflow bundle beside it): no TypeScript compiler in the process.
RUN npm run build:worker
ENV NODE_ENV=production
# Two malloc arenas, not eight per core: the Temporal core's threads otherwise each keep freed memory (docs/operations.md).
ENV MALLOC_ARENA_MAX=2
# In a container the API (and the worker's /health) listen on every interface, or a published port reaches nothing.
ENV HOST=0.0.0.0
EXPOSE 3000
# The API by default; compose runs the same image as `migrate` (bin/migrate.ts) and as the worker.
CMD ["npx", "tsx", "bin/api.ts"]
