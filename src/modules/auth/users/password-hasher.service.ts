import { randomBytes } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { KilnConfig } from '../../../config/kiln.config';

/** argon2id hashing with the configured cost. */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** A hash of nothing anyone knows: unknown users are checked against it, so they cost the same time. */
  private dummyHash = '';

  constructor(private readonly config: KilnConfig) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(32).toString('hex'));
  }

  async hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, ...this.cost() });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      // A malformed stored hash must fail the login, not the request.
      return false;
    }
  }

  /** Spends the time of a real verification and always fails. */
  async verifyNobody(password: string): Promise<false> {
    await this.verify(this.dummyHash, password);
    return false;
  }

  /** True when the hash was made with another cost than the configured one. */
  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, this.cost());
    } catch {
      return true;
    }
  }

  private cost() {
    const { argon2MemoryKib, argon2TimeCost, argon2Parallelism } = this.config.auth;
    return {
      memoryCost: argon2MemoryKib,
      timeCost: argon2TimeCost,
      parallelism: argon2Parallelism,
    };
  }
}
