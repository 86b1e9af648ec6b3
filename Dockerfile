# One image for the API, the worker and the migrations (see docker-compose.yml).
# Node 24 LTS, the major that package.json's engines and its pinned node-linux-* binaries name
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/cli/package.json apps/cli/
COPY apps/cli/bin apps/cli/bin
COPY apps/web/package.json apps/web/
COPY libs/core/package.json libs/core/
COPY libs/blueprints/package.json libs/blueprints/
COPY libs/cloud-adapters/package.json libs/cloud-adapters/
COPY libs/network-fabric/package.json libs/network-fabric/
COPY migrations/package.json migrations/
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
RUN npm run build
USER node
EXPOSE 3000
CMD ["node", "apps/api/dist/main.js"]
