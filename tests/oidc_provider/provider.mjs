// A real OpenID Connect provider for Veiviser's integration tests: panva's oidc-provider on
// loopback, with its development login and consent pages (devInteractions).
//
// Usage: node provider.mjs CONFIG.json
//
// CONFIG.json (written by tests/integration/test_oidc.py):
//   {
//     "clients":  [ oidc-provider client metadata, e.g. {client_id, redirect_uris,
//                   token_endpoint_auth_method, jwks | client_secret, ...} ],
//     "claims":   { scope: [claim names] }   (openid: ["sub"] is always there),
//     "accounts": { sub: { claim: value } }  (the sub is what one types as login),
//     "pkce_required": [ client_id, ... ]    (clients that must send a PKCE S256 challenge)
//   }
//
// It listens on 127.0.0.1 on a free port and prints one JSON line {"issuer": "..."} on stdout
// when ready. It logs each authorization request and token request as a JSON line
// ({"event": ...}) so the tests can see what the relying party sent. It stops on SIGTERM or
// when its standard input closes (so it never outlives the test run).

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts ?? {};
const pkceRequired = new Set(config.pkce_required ?? []);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };

function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

const server = createServer();

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    clients: config.clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], ...(config.claims ?? {}) },
    // HelseID and ID-porten put the identity claims in the ID token itself.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: true },
      userinfo: { enabled: true },
    },
    pkce: {
      required: (ctx, client) => pkceRequired.has(client.clientId),
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256'],
    },
    async findAccount(ctx, id) {
      if (!Object.hasOwn(accounts, id)) return undefined;
      return {
        accountId: id,
        async claims() {
          return { ...accounts[id], sub: id };
        },
      };
    },
    renderError(ctx, out) {
      ctx.type = 'json';
      ctx.body = out;
    },
  });

  provider.on('authorization.accepted', (ctx) => {
    const { params } = ctx.oidc;
    emit({
      event: 'authorization',
      client_id: params.client_id,
      code_challenge_method: params.code_challenge_method ?? null,
      has_code_challenge: Boolean(params.code_challenge),
      has_nonce: Boolean(params.nonce),
      has_state: Boolean(params.state),
    });
  });
  provider.on('pushed_authorization_request.success', (ctx, client) => {
    emit({
      event: 'par',
      client_id: client.clientId,
      client_auth: client.clientAuthMethod,
      code_challenge_method: ctx.oidc.params.code_challenge_method ?? null,
    });
  });
  provider.on('pushed_authorization_request.error', (ctx, err) => {
    emit({ event: 'par_error', error: err.error ?? String(err), description: err.error_description ?? null });
  });
  provider.on('grant.success', (ctx) => {
    const idToken = ctx.body?.id_token;
    emit({
      event: 'token',
      client_id: ctx.oidc.client.clientId,
      client_auth: ctx.oidc.client.clientAuthMethod,
      has_code_verifier: Boolean(ctx.oidc.params.code_verifier),
      // The names (never the values) of the claims in the ID token that was issued.
      id_token_claims: idToken
        ? Object.keys(JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString()))
        : [],
    });
  });
  provider.on('grant.error', (ctx, err) => {
    emit({ event: 'token_error', error: err.error ?? String(err), description: err.error_description ?? null });
  });
  provider.on('server_error', (ctx, err) => {
    emit({ event: 'server_error', error: String(err) });
  });

  server.on('request', provider.callback());
  emit({ issuer });
});

function stop() {
  server.close();
  process.exit(0);
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
