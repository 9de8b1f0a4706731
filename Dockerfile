# One image for the API and the worker; docker-compose.yml runs it twice with different commands.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# patches/ holds a fix to postgres.js applied by postinstall (see patches/README.md).
COPY patches ./patches
RUN npm ci
COPY . .
RUN npm run build:ui
ENV NODE_ENV=production
CMD ["npx", "tsx", "bin/api.ts"]
