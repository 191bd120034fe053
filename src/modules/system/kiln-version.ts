import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../../../package.json';

/** The version of this build, from package.json. */
export const KILN_VERSION: string = version;

export interface BuildInfo {
  /** The git commit built. */
  commit: string | null;
  /** The CI build's id, when the build was given one. */
  id: string | null;
  builtAt: string | null;
}

const UNKNOWN_BUILD: BuildInfo = { commit: null, id: null, builtAt: null };

/**
 * What `npm run build` baked into dist/build-info.json (scripts/write-build-info.js),
 * found from the package root, as package.json is, so sources run by the tests read the
 * last build's; unknown when nothing was built.
 */
export function readBuildInfo(distDir = join(__dirname, '..', '..', '..', 'dist')): BuildInfo {
  try {
    const baked = JSON.parse(readFileSync(join(distDir, 'build-info.json'), 'utf8')) as BuildInfo;
    return { commit: baked.commit ?? null, id: baked.id ?? null, builtAt: baked.builtAt ?? null };
  } catch {
    return UNKNOWN_BUILD;
  }
}
