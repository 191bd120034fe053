import { extname } from 'node:path';

// Types browsers render inline and that can run script (html, svg) are left out on
// purpose: served from the API's origin they would be stored XSS.
const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
};

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** Every media type a download can answer with, without parameters. */
export const ARTIFACT_MEDIA_TYPES = [
  ...new Set([...Object.values(CONTENT_TYPES), DEFAULT_CONTENT_TYPE].map(withoutParameters)),
];

function withoutParameters(mediaType: string): string {
  return mediaType.split(';')[0];
}

/** The media type of an artifact, from its extension (case-insensitive). */
export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
}
