// The 403 and 404 pages (Ant Design's Result, with its illustrations) load only when shown.
import { lazy } from 'react';

export const ForbiddenPage = lazy(() =>
  import('./ErrorPages').then((module) => ({ default: module.ForbiddenPage })),
);

export const NotFoundPage = lazy(() =>
  import('./ErrorPages').then((module) => ({ default: module.NotFoundPage })),
);
