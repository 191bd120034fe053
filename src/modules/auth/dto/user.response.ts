import { Role } from '../role';

export class UserResponse {
  /** @example 5b0e0a8e-3c1f-4f7e-9f1a-1f2d3c4b5a69 */
  id: string;
  username: string;
  email: string | null;
  displayName: string;
  roles: Role[];
  disabled: boolean;
  /** ISO-8601 UTC. */
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}
