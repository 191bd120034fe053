import { Scope } from '../scope';

export class ApiTokenResponse {
  id: string;
  name: string;
  /** The first characters of the secret, to tell tokens apart. */
  hint: string;
  /** null: the token may do whatever its user may. */
  scopes: Scope[] | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export class ApiTokenListResponse {
  items: ApiTokenResponse[];
}
