// Serves the web console's built files at / (docs/architecture.md, "The web console"):
// hashed assets cached for a year, index.html never cached and sent for every page of
// the app with a fresh style nonce, and a Content-Security-Policy on all of it.
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { HttpConfig } from '../../config/sections/http.config';
import { isConsolePage } from './console-routes';
import { contentSecurityPolicy, newNonce, NONCE_PLACEHOLDER } from './content-security-policy';

/** Kiln's install directory (this file sits in src/ or dist/ under modules/console). */
const INSTALL_DIR = resolve(__dirname, '..', '..', '..');
const HASHED_ASSET = /\/assets\//;
const A_YEAR = 'public, max-age=31536000, immutable';

export function consoleDirectory(http: Pick<HttpConfig, 'consoleDir'>): string {
  return isAbsolute(http.consoleDir) ? http.consoleDir : join(INSTALL_DIR, http.consoleDir);
}

export function serveConsole(
  fastify: FastifyInstance,
  http: Pick<HttpConfig, 'consoleEnabled' | 'consoleDir'>,
): void {
  if (!http.consoleEnabled) return;
  const root = consoleDirectory(http);
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) {
    new Logger('Console').warn(
      `The web console is not built (no ${indexFile}); run \`npm run build\` to serve it at /`,
    );
    return;
  }
  const indexHtml = readFileSync(indexFile, 'utf8');
  void fastify.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    // index.html goes out only through answerPage (never cached); the build's manifest
    // and stamp are not for browsers.
    globIgnore: ['**/index.html', '**/.*', '**/.*/**'],
    dotfiles: 'deny',
    cacheControl: false,
    // The web build writes .br and .gz beside each asset; the smallest the client takes goes.
    preCompressed: true,
    setHeaders: (reply, path) => {
      void reply.header('cache-control', HASHED_ASSET.test(path) ? A_YEAR : 'no-cache');
      void reply.header('content-security-policy', contentSecurityPolicy());
      void reply.header('x-content-type-options', 'nosniff');
    },
  });
  // The SPA fallback answers only requests no route matched. A wildcard route would also
  // take requests the router refuses on its own, such as a path parameter over its
  // length limit (414), and turn them into 404s.
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.is404 || !['GET', 'HEAD'].includes(request.method)) return;
    if (!isConsolePage(request.url)) return;
    return answerPage(reply, indexHtml);
  });
}

/** index.html with a nonce of its own, which the app hands to every <style> it writes. */
function answerPage(reply: FastifyReply, indexHtml: string): FastifyReply {
  const nonce = newNonce();
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('content-security-policy', contentSecurityPolicy(nonce))
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .send(indexHtml.replaceAll(NONCE_PLACEHOLDER, nonce));
}
