// Every entity and migration of the application. A module adds its tables here, so
// the app, the migration command and the schema tests all see one list.
import type { MigrationInterface } from 'typeorm';
import { AuditEntry } from '../../modules/admin/audit/audit-entry.entity';
import { ApiToken } from '../../modules/auth/api-tokens/api-token.entity';
import { RefreshToken } from '../../modules/auth/sessions/refresh-token.entity';
import { Session } from '../../modules/auth/sessions/session.entity';
import { User } from '../../modules/auth/users/user.entity';
import { CreateAuthTables1795382384096 } from './migrations/1795382384096-create-auth-tables';
import { CreateAuditLog1795382384097 } from './migrations/1795382384097-create-audit-log';

type EntityClass = new (...args: never[]) => object;
type MigrationClass = new () => MigrationInterface;

export const ENTITIES: EntityClass[] = [User, Session, RefreshToken, ApiToken, AuditEntry];

export const MIGRATIONS: MigrationClass[] = [
  CreateAuthTables1795382384096,
  CreateAuditLog1795382384097,
];
