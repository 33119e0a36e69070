# The worker and the API (one image, two commands). Built by docker compose; see docker-compose.yml.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json tsconfig.dashboard.json ./
RUN npm ci --ignore-scripts
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY examples ./examples
COPY src/api/dashboard ./src/api/dashboard
# State and the secret store, owned by the user we run as: a named volume mounted there starts
# with this ownership, so the API can write the store and the worker read it.
RUN mkdir -p /var/lib/onboard /var/lib/onboard-secrets && chown node:node /var/lib/onboard /var/lib/onboard-secrets && chmod 0700 /var/lib/onboard-secrets
USER node
ENTRYPOINT ["node", "bin/onboard.js"]
