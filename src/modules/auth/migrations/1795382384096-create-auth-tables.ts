// Users, login sessions with their refresh tokens, and API tokens.
import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { nowDefault, typeFor } from '../../../infra/database/migration-helpers';

export class CreateAuthTables1795382384096 implements MigrationInterface {
  name = 'CreateAuthTables1795382384096';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(usersTable(queryRunner), true);
    await queryRunner.createTable(sessionsTable(queryRunner), true);
    await queryRunner.createTable(refreshTokensTable(queryRunner), true);
    await queryRunner.createTable(apiTokensTable(queryRunner), true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('api_tokens', true);
    await queryRunner.dropTable('refresh_tokens', true);
    await queryRunner.dropTable('auth_sessions', true);
    await queryRunner.dropTable('users', true);
  }
}

function id(queryRunner: QueryRunner): TableColumnOptions {
  return { name: 'id', type: typeFor(queryRunner, 'uuid'), isPrimary: true };
}

function timestamp(queryRunner: QueryRunner, name: string, nullable = false): TableColumnOptions {
  return { name, type: typeFor(queryRunner, 'timestamp'), isNullable: nullable };
}

function createdAt(queryRunner: QueryRunner, name = 'created_at'): TableColumnOptions {
  return { ...timestamp(queryRunner, name), default: nowDefault(queryRunner) };
}

function varchar(name: string, length: number, nullable = false): TableColumnOptions {
  return { name, type: 'varchar', length: String(length), isNullable: nullable };
}

function usersTable(queryRunner: QueryRunner): Table {
  return new Table({
    name: 'users',
    columns: [
      id(queryRunner),
      varchar('username', 64),
      varchar('username_normalized', 64),
      varchar('email', 320, true),
      varchar('display_name', 128),
      { name: 'roles', type: 'text' },
      { name: 'disabled', type: 'boolean' },
      varchar('password_hash', 255),
      timestamp(queryRunner, 'password_changed_at'),
      timestamp(queryRunner, 'last_login_at', true),
      createdAt(queryRunner),
      createdAt(queryRunner, 'updated_at'),
    ],
    indices: [
      {
        name: 'UQ_users_username_normalized',
        columnNames: ['username_normalized'],
        isUnique: true,
      },
    ],
  });
}

function sessionsTable(queryRunner: QueryRunner): Table {
  return new Table({
    name: 'auth_sessions',
    columns: [
      id(queryRunner),
      { name: 'user_id', type: typeFor(queryRunner, 'uuid') },
      timestamp(queryRunner, 'revoked_at', true),
      varchar('revoked_reason', 32, true),
      createdAt(queryRunner),
    ],
    indices: [{ name: 'IDX_auth_sessions_user_id', columnNames: ['user_id'] }],
    foreignKeys: [
      {
        name: 'FK_auth_sessions_user_id',
        columnNames: ['user_id'],
        referencedTableName: 'users',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      },
    ],
  });
}

function refreshTokensTable(queryRunner: QueryRunner): Table {
  return new Table({
    name: 'refresh_tokens',
    columns: [
      id(queryRunner),
      { name: 'session_id', type: typeFor(queryRunner, 'uuid') },
      varchar('token_hash', 64),
      timestamp(queryRunner, 'expires_at'),
      timestamp(queryRunner, 'used_at', true),
      createdAt(queryRunner),
    ],
    indices: [
      { name: 'IDX_refresh_tokens_session_id', columnNames: ['session_id'] },
      { name: 'UQ_refresh_tokens_token_hash', columnNames: ['token_hash'], isUnique: true },
    ],
    foreignKeys: [
      {
        name: 'FK_refresh_tokens_session_id',
        columnNames: ['session_id'],
        referencedTableName: 'auth_sessions',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      },
    ],
  });
}

function apiTokensTable(queryRunner: QueryRunner): Table {
  return new Table({
    name: 'api_tokens',
    columns: [
      id(queryRunner),
      { name: 'user_id', type: typeFor(queryRunner, 'uuid') },
      varchar('name', 100),
      varchar('token_hash', 64),
      varchar('hint', 16),
      { name: 'scopes', type: typeFor(queryRunner, 'json'), isNullable: true },
      timestamp(queryRunner, 'expires_at', true),
      timestamp(queryRunner, 'last_used_at', true),
      timestamp(queryRunner, 'revoked_at', true),
      createdAt(queryRunner),
    ],
    indices: [
      { name: 'IDX_api_tokens_user_id', columnNames: ['user_id'] },
      { name: 'UQ_api_tokens_token_hash', columnNames: ['token_hash'], isUnique: true },
    ],
    foreignKeys: [
      {
        name: 'FK_api_tokens_user_id',
        columnNames: ['user_id'],
        referencedTableName: 'users',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      },
    ],
  });
}
