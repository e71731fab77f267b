// Store networks: the register reaches the profile service over HTTPS through the store's proxy
// (HTTPS_PROXY / NO_PROXY) and trusts the retailer's own CA (NODE_EXTRA_CA_CERTS). Node reads
// NODE_EXTRA_CA_CERTS at start-up, so each case runs the real CLI as a child process.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, request, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProfileServer, type ProfileServer } from '../support/profile-server/server.ts'
import { makeCertificates } from '../support/tls.ts'
import { customer } from '../support/fixtures.ts'

const ROOT = join(import.meta.dirname, '..', '..')
let dir: string
let profile: ProfileServer
let https: Server
let proxy: Server
let caFile: string
const tunnels: string[] = []

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'musubi-net-'))
  const certs = makeCertificates(dir)
  caFile = certs.caFile
  profile = await startProfileServer({ dbFile: join(dir, 'profile.db') })
  profile.addChanges([{ kind: 'customer', op: 'upsert', id: 'M0000001', data: customer('M0000001') }])
  const upstream = new URL(profile.url)
  // TLS in front of the profile server, with a certificate of the test CA.
  https = createHttpsServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  }) as unknown as Server
  // The store's proxy: CONNECT tunnels only, and it remembers where they went.
  proxy = createHttpServer((_req, res) => res.writeHead(405).end())
  proxy.on('connect', (req, socket, head) => {
    tunnels.push(req.url ?? '')
    const [host, port] = (req.url ?? '').split(':')
    const target = connect(Number(port), host!, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      target.write(head)
      target.pipe(socket)
      socket.pipe(target)
    })
    target.on('error', () => socket.destroy())
    socket.on('error', () => target.destroy())
  })
  await Promise.all([listen(https), listen(proxy)])
})

afterAll(async () => {
  https?.close()
  proxy?.close()
  await profile?.close()
  rmSync(dir, { recursive: true, force: true })
})

function sync(env: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
  const dataDir = mkdtempSync(join(dir, 'data-'))
  const configPath = join(dataDir, 'config.json')
  const port = (https.address() as AddressInfo).port
  writeFileSync(configPath, JSON.stringify({ storeId: 'S001', deviceId: 'REG-01', connector: { kind: 'http', endpoint: `https://localhost:${port}/`, token: 'test-token' } }))
  const base: Record<string, string> = { PATH: process.env['PATH'] ?? '' }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/musubi.js', 'sync', '--config', configPath, '--data-dir', dataDir], { cwd: ROOT, env: { ...base, ...env } })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (status) => resolve({ status, stderr }))
  })
}

describe('store networks', () => {
  it('syncs over HTTPS through the proxy, trusting the extra CA', async () => {
    tunnels.length = 0
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    const run = await sync({ HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: caFile })
    expect(run.stderr).toMatch(/up to date; 1 changes applied/)
    expect(run.status).toBe(0)
    expect(tunnels).toEqual([`localhost:${(https.address() as AddressInfo).port}`])
  })

  it('goes direct for hosts in NO_PROXY', async () => {
    tunnels.length = 0
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    const run = await sync({ HTTPS_PROXY: proxyUrl, NO_PROXY: 'localhost', NODE_EXTRA_CA_CERTS: caFile })
    expect(run.status).toBe(0)
    expect(tunnels).toEqual([])
  })

  it('refuses a certificate it cannot verify, and says why', async () => {
    const run = await sync({})
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/certificate|CERT|SELF_SIGNED|UNABLE_TO/i)
  })
})
