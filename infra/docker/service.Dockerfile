# One image for every control-plane process; the command picks the service:
#   docker build -f infra/docker/service.Dockerfile -t meshplane/control-plane .
#   docker run meshplane/control-plane services/gateway/dist/main.js
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY libs/platform/package.json libs/platform/
COPY libs/protocol/package.json libs/protocol/
COPY libs/policy/package.json libs/policy/
COPY libs/testing/package.json libs/testing/
COPY libs/devtools/package.json libs/devtools/
COPY services/gateway/package.json services/gateway/
COPY services/tenants/package.json services/tenants/
COPY services/clusters/package.json services/clusters/
COPY services/policies/package.json services/policies/
COPY services/telemetry/package.json services/telemetry/
COPY services/agent-hub/package.json services/agent-hub/
COPY libs/events/package.json libs/events/
COPY agent/package.json agent/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -b tsconfig.json && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/package.json ./
COPY --from=build /src/libs libs
COPY --from=build /src/services services
COPY --from=build /src/migrations migrations
USER node
EXPOSE 4000 4001 4002 4003 4004 4010
ENTRYPOINT ["node", "--enable-source-maps"]
CMD ["services/gateway/dist/main.js"]
