// Reads the HTTP status out of the errors @kubernetes/client-node throws: ApiException
// carries it as `code`, the Watch helper as `statusCode`.

export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'number') return code;
  if (typeof statusCode === 'number') return statusCode;
  return undefined;
}

export const isNotFound = (error: unknown): boolean => httpStatusOf(error) === 404;
export const isAlreadyExists = (error: unknown): boolean => httpStatusOf(error) === 409;
/** The resourceVersion a watch asked for is older than the server keeps. */
export const isGone = (error: unknown): boolean => httpStatusOf(error) === 410;
