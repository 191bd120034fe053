// The one parser of request bodies: JSON only, with a nesting limit checked on the raw
// text before anything recurses into the value (the validation pipe and class-transformer
// recurse once per level, so a few KB of `[[[…]]]` would otherwise exhaust the stack).
import { BadRequestException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import './raw-json-body.decorator';

/** Deeper than any body Kiln accepts needs (hyperparameters included), far below the stack. */
export const MAX_JSON_DEPTH = 32;

const OPEN = new Set(['[', '{']);
const CLOSE = new Set([']', '}']);

/**
 * Parses `application/json` bodies. A blank body is no body, so a body-less action (cancel,
 * retry, logout) sent with a session-wide `content-type: application/json` still works;
 * routes that need a body reject its absence in validation. A route marked @RawJsonBody
 * gets the bytes unparsed.
 */
export function useJsonBodies(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) => {
    if (request.routeOptions.config.kilnRawJsonBody) {
      return done(null, body.length > 0 ? body : undefined);
    }
    const text = body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    if (exceedsDepth(text, MAX_JSON_DEPTH)) {
      return done(
        new BadRequestException(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`),
        undefined,
      );
    }
    void parseJson(request, text, done);
  });
}

/** One pass over the text, stopping at the first bracket past `limit`; strings are skipped. */
export function exceedsDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (OPEN.has(char) && ++depth > limit) return true;
    else if (CLOSE.has(char)) depth--;
  }
  return false;
}
