// Refuses webhook targets inside Kiln's own network (SSRF): a URL whose host is, or
// resolves to, a loopback, private, link-local, unique-local, carrier-grade NAT or cloud
// metadata address, unless KILN_WEBHOOK_ALLOW_PRIVATE_TARGETS allows them. Checked when
// a webhook is saved and again before every request, since DNS answers change.
import { lookup } from 'node:dns/promises';
import { Inject, Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { InvalidInputError } from '../../../common/errors/domain-error';
import { KilnConfig } from '../../../config/kiln.config';

/** The only range ipaddr.js calls public. */
const PUBLIC_RANGE = 'unicast';

export class PrivateTargetError extends InvalidInputError {
  constructor(host: string, address: string) {
    super(
      `The webhook target ${host} resolves to ${address}, a private address; set KILN_WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it.`,
      [{ field: 'url', message: 'must resolve to a public address' }],
    );
  }
}

@Injectable()
export class WebhookTargetGuard {
  constructor(@Inject(KilnConfig) private readonly config: KilnConfig) {}

  /** Throws PrivateTargetError (a 400) when the URL's host is not a public address. */
  async assertAllowed(url: string): Promise<void> {
    if (this.config.webhooks.allowPrivateTargets) return;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const addresses = ipaddr.isValid(host)
      ? [host]
      : (await lookup(host, { all: true, verbatim: true }).catch(() => [])).map((a) => a.address);
    for (const address of addresses) {
      if (!isPublic(address)) throw new PrivateTargetError(host, address);
    }
  }
}

export function isPublic(address: string): boolean {
  // process() reads an IPv4-mapped IPv6 address as the IPv4 address it carries
  return ipaddr.process(address).range() === PUBLIC_RANGE;
}
