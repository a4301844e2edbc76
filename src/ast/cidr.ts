// IPv4 and IPv6 addresses and networks, for the `cidr` operator: validated by the front ends,
// tested by the evaluator.

export interface IpAddress {
  version: 4 | 6;
  bytes: Uint8Array;
}

export interface Network extends IpAddress {
  prefix: number;
}

export function parseIp(text: string): IpAddress | undefined {
  const t = text.trim();
  if (t.includes(':')) {
    const bytes = parseIpv6(t);
    return bytes ? { version: 6, bytes } : undefined;
  }
  const bytes = parseIpv4(t);
  return bytes ? { version: 4, bytes } : undefined;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    bytes[i] = n;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const zone = text.indexOf('%');
  const t = zone >= 0 ? text.slice(0, zone) : text;
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (i === pieces.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

export type NetworkResult = { ok: true; network: Network } | { ok: false; message: string };

/** A network in CIDR notation; like Python's ip_network, host bits must be zero. */
export function parseNetwork(text: string): NetworkResult {
  const [addressText, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return { ok: false, message: `'${text}' has more than one '/'` };
  const address = parseIp(addressText ?? '');
  if (!address) return { ok: false, message: `'${addressText}' is not an IPv4 or IPv6 address` };
  const bits = address.version === 4 ? 32 : 128;
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
      return { ok: false, message: `'/${prefixText}' is not a valid prefix length for IPv${address.version}` };
    }
    prefix = Number(prefixText);
  }
  for (let bit = prefix; bit < bits; bit++) {
    if (address.bytes[bit >> 3]! & (0x80 >> (bit & 7))) {
      return { ok: false, message: `'${text}' has host bits set` };
    }
  }
  return { ok: true, network: { ...address, prefix } };
}

/**
 * Whether the network holds the address. Versions are not mixed: an IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is an IPv6 address, as the query languages' range functions read it.
 */
export function networkContains(network: Network, ip: IpAddress): boolean {
  if (network.version !== ip.version) return false;
  for (let bit = 0; bit < network.prefix; bit++) {
    const mask = 0x80 >> (bit & 7);
    if ((network.bytes[bit >> 3]! & mask) !== (ip.bytes[bit >> 3]! & mask)) return false;
  }
  return true;
}

