# reglament: worker, API and SMTP intake from one image. Runs TypeScript through tsx (no build step
# to forget); the workflow bundle is prebuilt so workers start fast and run exactly what was tested.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY . .
RUN npx tsx worker/buildBundle.ts /app/dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
USER node
CMD ["npm", "run", "worker"]
