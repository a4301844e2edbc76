// The loopback server of `catalog serve`: content types, index.html for folders, 404s, no way
// out of the site folder (raw and encoded dot segments, encoded separators, symbolic links,
// hidden files), loopback host names only, 127.0.0.1 only; and the command's exit codes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveRequest, serveSite, type SiteServer } from '../../src/catalog/serve.js';

const SECRET = 'secret outside the site';

let dir: string;
let site: string;
let server: SiteServer;

/** A raw request: the path goes on the wire exactly as given (fetch would normalize it). */
function get(path: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; type: string | undefined; location: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.host ? { host: options.host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rulebridge-serve-'));
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  site = join(dir, 'site');
  mkdirSync(join(site, 'rules'), { recursive: true });
  mkdirSync(join(site, 'assets'));
  mkdirSync(join(site, 'empty'));
  mkdirSync(join(site, '.git'));
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>home</title>');
  writeFileSync(join(site, 'rules', 'index.html'), '<!doctype html><title>rules</title>');
  writeFileSync(join(site, 'rules', 'a rule.html'), '<!doctype html><title>a rule</title>');
  writeFileSync(join(site, 'assets', 'site.css'), 'body{}');
  writeFileSync(join(site, 'assets', 'search.js'), 'export {}');
  writeFileSync(join(site, 'catalog.json'), '{}');
  writeFileSync(join(site, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(site, 'assets', 'shot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(site, 'assets', 'data.bin'), Buffer.from([1, 2, 3]));
  writeFileSync(join(site, '.git', 'config'), SECRET);
  symlinkSync(join(dir, 'secret.txt'), join(site, 'link.txt'));
  symlinkSync(dir, join(site, 'outside'));
  const started = await serveSite(site, { port: 0 });
  if (!started.ok) throw new Error(started.message);
  server = started.server;
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('serveSite', () => {
  test('listens on 127.0.0.1 and nowhere else', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    for (const address of others) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: address, port: server.port });
        socket.once('connect', () => (socket.destroy(), resolve(false)));
        socket.once('error', () => resolve(true));
      });
      expect(refused, address).toBe(true);
    }
  });

  test('content types by extension', async () => {
    const cases: Array<[string, string]> = [
      ['/index.html', 'text/html; charset=utf-8'],
      ['/assets/site.css', 'text/css; charset=utf-8'],
      ['/assets/search.js', 'text/javascript; charset=utf-8'],
      ['/catalog.json', 'application/json; charset=utf-8'],
      ['/assets/logo.svg', 'image/svg+xml'],
      ['/assets/shot.png', 'image/png'],
      ['/assets/data.bin', 'application/octet-stream'],
    ];
    for (const [path, type] of cases) {
      const r = await get(path);
      expect([r.status, r.type], path).toEqual([200, type]);
    }
  });

  test('folders serve their index.html; a folder without a trailing slash is redirected to it', async () => {
    expect(await get('/')).toMatchObject({ status: 200, body: '<!doctype html><title>home</title>' });
    expect(await get('/rules/')).toMatchObject({ status: 200, body: '<!doctype html><title>rules</title>' });
    expect(await get('/rules')).toMatchObject({ status: 301, location: '/rules/' });
    expect(await get('/empty/')).toMatchObject({ status: 404 });
    expect(await get('/rules/a%20rule.html?q=1#x')).toMatchObject({ status: 200, body: '<!doctype html><title>a rule</title>' });
  });

  test('404 for what is not there, with the site 404.html where it has one', async () => {
    expect(await get('/nope.html')).toMatchObject({ status: 404, type: 'text/html; charset=utf-8' });
    writeFileSync(join(site, '404.html'), '<!doctype html><title>lost</title>');
    expect(await get('/nope.html')).toMatchObject({ status: 404, body: '<!doctype html><title>lost</title>' });
    rmSync(join(site, '404.html'));
  });

  test('no request reaches a file outside the site folder', async () => {
    const attempts = [
      '/../secret.txt',
      '/../../../../etc/passwd',
      '/rules/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2e%2e/etc/passwd',
      '/rules/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/rules/..%2f..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%5c%2e%2e%5csecret.txt',
      '/.%2e/secret.txt',
      '/%252e%252e/secret.txt',
      '/secret.txt%00.html',
      '/link.txt',
      '/outside/secret.txt',
      '/.git/config',
      '/%2egit/config',
      '//secret.txt',
      '/%',
      '/%E0%A4%A',
    ];
    for (const path of attempts) {
      const r = await get(path);
      expect(r.body, path).not.toContain(SECRET);
      expect([400, 404], path).toContain(r.status);
    }
  });

  test('the folder redirect cannot point at another host', async () => {
    mkdirSync(join(site, 'evil.example'));
    writeFileSync(join(site, 'evil.example', 'index.html'), 'x');
    const r = await get('/.//evil.example');
    if (r.status === 301) expect(r.location).toBe('/evil.example/');
    rmSync(join(site, 'evil.example'), { recursive: true });
  });

  test('only loopback host names and only GET and HEAD are answered', async () => {
    expect((await get('/', { host: 'evil.example' })).status).toBe(403);
    expect((await get('/', { host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get('/', { host: `[::1]:${server.port}` })).status).toBe(200);
    expect((await get('/', { method: 'POST' })).status).toBe(405);
    expect(await get('/index.html', { method: 'HEAD' })).toMatchObject({ status: 200, body: '' });
  });

  test('a missing or non-directory root is an error value', async () => {
    expect(await serveSite(join(dir, 'nope'))).toMatchObject({ ok: false, reason: 'not-a-directory' });
    expect(await serveSite(join(dir, 'secret.txt'))).toMatchObject({ ok: false, reason: 'not-a-directory' });
  });

  test('a port in use is an error value', async () => {
    const second = await serveSite(site, { port: server.port });
    expect(second).toMatchObject({ ok: false, reason: 'listen-failed', message: expect.stringContaining('in use') });
  });

  test('resolveRequest maps paths inside the (real) root only', async () => {
    const { realpathSync } = await import('node:fs');
    const real = realpathSync(site);
    expect(await resolveRequest(real, '/rules/')).toEqual({ kind: 'file', path: join(real, 'rules', 'index.html') });
    expect(await resolveRequest(real, '/..%2f..%2fsecret.txt')).toEqual({ kind: 'bad-request' });
    expect(await resolveRequest(real, '/outside/secret.txt')).toEqual({ kind: 'not-found' });
  });
});

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'bin', 'rulebridge.js');
const built = existsSync(join(root, 'dist', 'cli', 'main.js'));

describe.skipIf(!built)('rulebridge catalog serve', () => {
  test('a missing folder exits 2', () => {
    const r = spawnSync(process.execPath, [cli, 'catalog', 'serve', join(dir, 'nope')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('path-not-found');
  });

  test('a bad port or a file exits 2', () => {
    expect(spawnSync(process.execPath, [cli, 'catalog', 'serve', site, '--port', 'http'], { encoding: 'utf8' }).status).toBe(2);
    expect(spawnSync(process.execPath, [cli, 'catalog', 'serve', site, '--port', '70000'], { encoding: 'utf8' }).status).toBe(2);
    expect(spawnSync(process.execPath, [cli, 'catalog', 'serve', join(dir, 'secret.txt')], { encoding: 'utf8' }).status).toBe(2);
  });

  test('prints its URL, serves the site, and exits 0 when interrupted', async () => {
    const child = spawn(process.execPath, [cli, 'catalog', 'serve', site, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        out += chunk;
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) resolve(m[0]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before printing a URL: ${out}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('home');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
