#!/usr/bin/env node
// An issuer nobody on this project wrote: oidc-provider (an OpenID Certified OAuth 2.0
// authorization server) configured as the counterpart of a ZITADEL instance, so the harness's
// live mode can run the whole matrix against it (issue #5).
//
//   node provider.mjs --port 0 --write-env DIR
//
// Listens on 127.0.0.1, generates every key and secret at run time, writes DIR/.env and the
// key files in ZITADEL's JSON layout, prints ONE line of JSON on stdout when ready and serves
// until SIGTERM/SIGINT. Secrets never reach stdout or stderr.
//
// Standards: RFC 6749 §4.4 (client credentials), RFC 7523 §2.1/§3 (JWT bearer grant, verified
// by the handler below), RFC 7523 §2.2 (private_key_jwt client authentication, done by
// oidc-provider itself), RFC 7662 (introspection), RFC 7009 (revocation), RFC 8707 (resource
// indicators give the tokens their audience).
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';

import * as jose from 'jose';
import Provider, { errors } from 'oidc-provider';

// oidc-provider prints its notices with console.info; stdout carries only the ready line.
console.info = console.error;
console.log = console.error;

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ROLE = 'read:messages';
const TOKEN_TTL = 3600;
const PAT_TTL = 365 * 24 * 3600;
// Resource indicators (RFC 8707). API is what the sample APIs accept; OTHER_API is a second
// audience so a wrong-audience token can be minted; JWT_API issues JWT access tokens, which
// oidc-provider refuses to introspect.
const RESOURCES = {
  api: { id: 'urn:interop:messages-api', format: 'opaque' },
  other: { id: 'urn:interop:other-api', format: 'opaque' },
  jwt: { id: 'urn:interop:jwt-api', format: 'jwt' },
};
// The scope `aud:<resource indicator>` picks the resource when the request names none: the
// stand-in for ZITADEL's `urn:zitadel:iam:org:project:id:{id}:aud`, so clients that can only
// choose scopes (OTHER_AUDIENCE_SCOPES, JWT_ACCESS_TOKEN_SCOPES) can choose the audience.
const AUDIENCE_SCOPE = 'aud:';

/** A numeric id like ZITADEL's (snowflake-like strings). */
function numericId() {
  return String(randomInt(1e9, 1e10 - 1)) + String(randomInt(1e8, 1e9 - 1));
}

/** A client secret ending in characters that only a form-urlencoded Basic header carries intact. */
function clientSecret() {
  return `${randomBytes(24).toString('base64url')}+/:%`;
}

/** An RSA 2048 key pair: the private key as PKCS#1 PEM, the public key as a JWK with a kid. */
function rsaKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = numericId();
  return {
    keyId,
    pem: privateKey.export({ type: 'pkcs1', format: 'pem' }),
    jwk: { ...publicKey.export({ format: 'jwk' }), kid: keyId, alg: 'RS256', use: 'sig' },
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid: keyId, alg: 'RS256', use: 'sig' },
  };
}

/** Everything the fixture provisions: the stand-ins for ZITADEL's apps, users and PAT. */
function provision() {
  return {
    signingKey: rsaKey(),
    apiJwt: { clientId: 'interop-api-jwt', appId: numericId(), key: rsaKey() },
    apiBasic: { clientId: 'interop-api-basic', secret: clientSecret() },
    service: { clientId: 'interop-service-client', secret: clientSecret() },
    jwtProfile: { clientId: 'interop-jwt-profile' },
    patHolder: { clientId: 'interop-pat-holder' },
    serviceUser: { userId: numericId(), key: rsaKey(), roles: [ROLE] },
    patUser: { userId: numericId(), roles: [ROLE] },
  };
}

function clientsFor(p) {
  const none = { grant_types: [], response_types: [], redirect_uris: [] };
  return [
    {
      ...none,
      client_id: p.apiJwt.clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'RS256',
      jwks: { keys: [p.apiJwt.key.jwk] },
    },
    {
      ...none,
      client_id: p.apiBasic.clientId,
      client_secret: p.apiBasic.secret,
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      ...none,
      client_id: p.service.clientId,
      client_secret: p.service.secret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
    },
    // oidc-provider authenticates every token request, so the service user's jwt-bearer
    // requests name this public client (JWT_PROFILE_CLIENT_ID); the assertion is the credential.
    {
      ...none,
      client_id: p.jwtProfile.clientId,
      token_endpoint_auth_method: 'none',
      grant_types: [JWT_BEARER],
    },
    { ...none, client_id: p.patHolder.clientId, token_endpoint_auth_method: 'none' },
  ];
}

/** A Map-backed adapter: the built-in one is an LRU of 1000 entries that would evict the PAT. */
function memoryAdapter() {
  const store = new Map();
  const now = () => Math.floor(Date.now() / 1000);
  setInterval(() => {
    for (const [key, entry] of store) if (entry.expiresAt < now()) store.delete(key);
  }, 60_000).unref();
  return class FixtureAdapter {
    constructor(model) { this.model = model; }
    key(id) { return `${this.model}:${id}`; }
    async upsert(id, payload, expiresIn) {
      const expiresAt = expiresIn ? now() + expiresIn + 60 : Infinity;
      store.set(this.key(id), { payload, expiresAt });
    }
    async find(id) {
      const entry = store.get(this.key(id));
      return entry && entry.expiresAt >= now() ? entry.payload : undefined;
    }
    async findByUid() { return undefined; }
    async findByUserCode() { return undefined; }
    async consume(id) {
      const entry = store.get(this.key(id));
      if (entry) entry.payload.consumed = now();
    }
    async destroy(id) { store.delete(this.key(id)); }
    async revokeByGrantId(grantId) {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key);
    }
  };
}

/** The resource a request asks for: RFC 8707 `resource`, else an `aud:` scope, else the API. */
function requestedResource(params) {
  if (params.resource) return params.resource;
  const scopes = (params.scope ?? '').split(' ');
  const chosen = scopes.find((s) => s.startsWith(AUDIENCE_SCOPE));
  return chosen ? chosen.slice(AUDIENCE_SCOPE.length) : RESOURCES.api.id;
}

/** RFC 8707: the resource server behind an indicator, or invalid_target. */
function resourceServerInfo(indicator) {
  const found = Object.values(RESOURCES).find((r) => r.id === indicator);
  if (!found) {
    const known = Object.values(RESOURCES).map((r) => r.id).join(', ');
    throw new errors.InvalidTarget(`unknown resource indicator; use one of: ${known}`);
  }
  return {
    scope: ROLE, audience: found.id, accessTokenFormat: found.format, accessTokenTTL: TOKEN_TTL,
  };
}

function configuration(p) {
  const introspectors = new Set([p.apiJwt.clientId, p.apiBasic.clientId]);
  // The API apps may introspect (and revoke) every token, as ZITADEL's API apps do for their
  // project; any other client only its own.
  const ownerOrApi = async (_ctx, client, token) => (
    token.clientId === client.clientId || introspectors.has(client.clientId));
  const accounts = new Set([p.serviceUser.userId, p.patUser.userId]);
  const account = (sub) => ({ accountId: sub, claims: async () => ({ sub }) });
  const ttl = (_ctx, token) => token.resourceServer?.accessTokenTTL ?? TOKEN_TTL;
  return {
    adapter: memoryAdapter(),
    clients: clientsFor(p),
    jwks: { keys: [p.signingKey.privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    clientBasedCORS: () => false,
    findAccount: async (_ctx, sub) => (accounts.has(sub) ? account(sub) : undefined),
    ttl: { AccessToken: ttl, ClientCredentials: ttl },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: ownerOrApi },
      revocation: { enabled: true, allowedPolicy: ownerOrApi },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx, _client, oneOf) => oneOf ?? requestedResource(ctx.oidc.params),
        getResourceServerInfo: async (_ctx, indicator) => resourceServerInfo(indicator),
      },
    },
  };
}

/** invalid_grant (RFC 7523 §3.1) with a description that says which rule the assertion broke. */
class AssertionRejected extends errors.InvalidGrant {
  constructor(description) {
    super();
    this.error_description = description;
  }
}

/** RFC 7523 §3: signed by the service user's key, iss == sub, aud names us, exp not passed. */
async function verifyAssertion(ctx, serviceUsers) {
  const { assertion } = ctx.oidc.params;
  if (!assertion) throw new errors.InvalidRequest('assertion missing');
  let unverified;
  try {
    unverified = {
      header: jose.decodeProtectedHeader(assertion), claims: jose.decodeJwt(assertion),
    };
  } catch {
    throw new AssertionRejected('assertion is not a signed JWT');
  }
  const user = serviceUsers.get(unverified.claims.iss);
  if (!user || unverified.header.kid !== user.key.keyId) {
    throw new AssertionRejected('no key registered for this assertion\'s iss and kid');
  }
  const issuer = ctx.oidc.issuer;
  let claims;
  try {
    ({ payload: claims } = await jose.jwtVerify(assertion, user.publicKey, {
      algorithms: ['RS256'],
      audience: [issuer, ctx.oidc.urlFor('token')],
      requiredClaims: ['iss', 'sub', 'aud', 'exp'],
      clockTolerance: 1,
    }));
  } catch (err) {
    throw new AssertionRejected(`assertion rejected: ${err.message}`);
  }
  if (claims.sub !== claims.iss) {
    throw new AssertionRejected('assertion iss and sub must be identical');
  }
  // RFC 7523 §3 item 7 lets the server reject replays; oidc-provider does so for client
  // assertions, so its grant does too. A jti is not required (ZITADEL does not check it).
  const { ReplayDetection } = ctx.oidc.provider;
  const replayKey = `${JWT_BEARER}:${claims.iss}`;
  if (claims.jti && !(await ReplayDetection.unique(replayKey, claims.jti, claims.exp))) {
    throw new AssertionRejected('assertion jti was already used');
  }
  return { claims, user };
}

/** The token endpoint handler for RFC 7523 §2.1, registered with provider.registerGrantType. */
function jwtBearerGrant(provider, serviceUsers) {
  return async function handle(ctx) {
    const { claims, user } = await verifyAssertion(ctx, serviceUsers);
    const indicator = requestedResource(ctx.oidc.params);
    const info = resourceServerInfo(indicator);
    // Like a role assignment: the user's roles that were asked for and that the API knows.
    const requested = new Set((ctx.oidc.params.scope ?? '').split(' '));
    const known = new Set(info.scope.split(' '));
    const scope = user.roles.filter((r) => requested.has(r) && known.has(r)).join(' ');
    const token = new provider.AccessToken({
      client: ctx.oidc.client,
      accountId: claims.sub,
      gty: JWT_BEARER,
      scope: scope || undefined,
      resourceServer: new provider.ResourceServer(indicator, info),
    });
    ctx.body = {
      access_token: await token.save(),
      token_type: token.tokenType,
      expires_in: token.expiration,
      ...(token.scope ? { scope: token.scope } : {}),
    };
  };
}

/** The PAT stand-in: a long-lived opaque access token issued to the PAT user up front. */
async function issuePat(provider, p) {
  const info = resourceServerInfo(RESOURCES.api.id);
  const token = new provider.AccessToken({
    client: await provider.Client.find(p.patHolder.clientId),
    accountId: p.patUser.userId,
    scope: p.patUser.roles.join(' '),
    expiresIn: PAT_TTL,
    resourceServer: new provider.ResourceServer(RESOURCES.api.id, info),
  });
  return token.save();
}

async function writeSecretFile(file, text) {
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** Key files in ZITADEL's JSON layout (members and order as ZITADEL writes them). */
async function writeKeyFiles(dir, p) {
  const apiKeyFile = path.join(dir, 'api-key-file.json');
  const clientKeyFile = path.join(dir, 'client-key-file.json');
  await writeSecretFile(apiKeyFile, JSON.stringify({
    type: 'application', keyId: p.apiJwt.key.keyId, key: p.apiJwt.key.pem,
    appId: p.apiJwt.appId, clientId: p.apiJwt.clientId,
  }));
  await writeSecretFile(clientKeyFile, JSON.stringify({
    type: 'serviceaccount', keyId: p.serviceUser.key.keyId, key: p.serviceUser.key.pem,
    userId: p.serviceUser.userId,
  }));
  return { apiKeyFile, clientKeyFile };
}

/** The live-mode variables (see .env.example), then the issuer-specific settings. */
function envLines(issuer, p, files, pat) {
  const roles = (list) => list.join(',');
  return {
    ZITADEL_DOMAIN: issuer,
    PROJECT_ID: RESOURCES.api.id,
    API_PRIVATE_KEY_FILE: files.apiKeyFile,
    API_CLIENT_ID: p.apiBasic.clientId,
    API_CLIENT_SECRET: p.apiBasic.secret,
    CLIENT_PRIVATE_KEY_FILE_PATH: files.clientKeyFile,
    CLIENT_ID: p.service.clientId,
    CLIENT_SECRET: p.service.secret,
    PERSONAL_ACCESS_TOKEN: pat,
    EXPECTED_ROLES_JWT_PROFILE: roles(p.serviceUser.roles),
    EXPECTED_ROLES_CLIENT_CREDENTIALS: ROLE,
    EXPECTED_ROLES_PAT: roles(p.patUser.roles),
    TOKEN_SCOPES: ROLE,
    // Harness-only settings (see docs/harness.md): a token for another audience, one without
    // the role from the same users, and JWT access tokens for the issuer-behaviour record.
    OTHER_AUDIENCE_SCOPES: `${ROLE} ${AUDIENCE_SCOPE}${RESOURCES.other.id}`,
    NO_ROLE_SCOPES: `${AUDIENCE_SCOPE}${RESOURCES.api.id}`,
    JWT_ACCESS_TOKEN_SCOPES: `${ROLE} ${AUDIENCE_SCOPE}${RESOURCES.jwt.id}`,
    API_AUDIENCE: RESOURCES.api.id,
    ROLES_CLAIM: 'scope',
    CLIENT_ASSERTION_JTI: 'true',
    CLIENT_ASSERTION_AUDIENCE: issuer,
    CLIENT_AUTH_METHOD: 'client_secret_basic',
    INTROSPECT_JWT_ACCESS_TOKENS: 'false',
    JWT_PROFILE_CLIENT_ID: p.jwtProfile.clientId,
  };
}

async function writeEnv(dir, issuer, p, pat) {
  await mkdir(dir, { recursive: true });
  const files = await writeKeyFiles(dir, p);
  const vars = envLines(issuer, p, files, pat);
  const text = Object.entries(vars)
    .map(([name, value]) => (/[\s#"'\\]/.test(value) ? `${name}="${value}"` : `${name}=${value}`))
    .join('\n');
  const envFile = path.join(dir, '.env');
  const header = `# Written by tests/interop/provider.mjs for ${issuer}; secrets, do not commit.`;
  await writeSecretFile(envFile, `${header}\n${text}\n`);
  return envFile;
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address().port));
  });
}

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'write-env': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    const got = JSON.stringify(values.port);
    throw new Error(`--port must be an integer 0-65535 (0 = a free port), got ${got}`);
  }
  if (!values['write-env']) {
    throw new Error('--write-env DIR is required: the folder that receives .env and the key files');
  }
  return { port, host: values.host, dir: path.resolve(values['write-env']) };
}

async function main() {
  const started = process.hrtime.bigint();
  const args = parseCommandLine();
  const p = provision();
  const server = createServer();
  const port = await listen(server, args.port, args.host);
  const issuer = `http://${args.host}:${port}`;
  const provider = new Provider(issuer, configuration(p));
  const publicKey = await jose.importJWK(p.serviceUser.key.jwk, 'RS256');
  const serviceUsers = new Map([[p.serviceUser.userId, { ...p.serviceUser, publicKey }]]);
  const grantParams = ['assertion', 'scope', 'resource'];
  provider.registerGrantType(JWT_BEARER, jwtBearerGrant(provider, serviceUsers), grantParams);
  provider.on('server_error', (_ctx, err) => console.error(`server_error: ${err.message}`));
  server.on('request', provider.callback());
  const envFile = await writeEnv(args.dir, issuer, p, await issuePat(provider, p));
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections(); // keep-alive clients would otherwise hold close() open
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  const resources = Object.fromEntries(Object.entries(RESOURCES).map(([name, r]) => [name, r.id]));
  const ready = { issuer, env_file: envFile, resources, startup_ms: Math.round(startupMs) };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

main().catch((err) => {
  console.error(`provider.mjs: ${err.message}`);
  process.exit(1);
});
