# reglament: worker, API with the operator console, and SMTP intake from one image. Runs TypeScript
# through tsx (no build step to forget); the workflow bundle and the console are built once, so the
# image runs exactly what was tested.

# The console (web/ → web/dist) needs Vite and the front-end libraries: a build stage with dev dependencies.
FROM node:20-bookworm-slim AS console
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build:web

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY . .
COPY --from=console /app/web/dist /app/web/dist
RUN npx tsx worker/buildBundle.ts /app/dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
USER node
CMD ["npm", "run", "worker"]
