// A real OpenID Connect provider (oidc-provider, certified) configured like ProConnect, for
// entrepairs' tests: claims given_name, usual_name, email, email_verified, uid, siret, idp_id
// in the userinfo (signed RS256, as ProConnect answers it), PKCE required, RP-initiated
// logout, an in-memory store. Bound to 127.0.0.1 on PORT (0: any free port); prints
// `listening http://127.0.0.1:PORT` once ready.
//
// Clients (fixed, see CLIENTS): native clients, so their loopback redirect URIs match any
// port (RFC 8252 §7.3) and every test node, whatever its random port, can use them.
//
// Who signs in: GET /interaction/:uid shows a one-field form; POST /interaction/:uid/login
// with `login=NAME` signs NAME in, non-interactively for tests. NAME is a known user of
// USERS, or an address with options: `agent@ville.fr;siret=11000201100044;verified=false`.
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 0);

export const CLIENTS = [
  {
    client_id: 'entrepairs-test',
    client_secret: 'entrepairs-test-secret-0123456789abcdef',
  },
  {
    // A second client: its tokens are for another audience.
    client_id: 'entrepairs-other',
    client_secret: 'entrepairs-other-secret-0123456789abcdef',
  },
].map((c) => ({
  ...c,
  application_type: 'native',
  redirect_uris: ['http://127.0.0.1/login/oidc/callback'],
  post_logout_redirect_uris: ['http://127.0.0.1/login'],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
  id_token_signed_response_alg: 'RS256',
  userinfo_signed_response_alg: 'RS256',
}));

// The Mairie de Sète's SIRET (SIREN 213403011) is what the tests allow.
const USERS = {
  jeanne: {
    email: 'jeanne.dupont@ville-sete.fr',
    given_name: 'Jeanne',
    usual_name: 'Dupont',
    siret: '21340301100015',
  },
  autre: {
    email: 'paul.martin@prefecture.gouv.fr',
    given_name: 'Paul',
    usual_name: 'Martin',
    siret: '11000201100044',
  },
};

function user(login) {
  if (USERS[login]) return { verified: true, ...USERS[login] };
  const [email, ...options] = login.split(';');
  if (!email.includes('@')) return undefined;
  const opts = Object.fromEntries(options.map((o) => o.split('=')));
  const local = email.split('@')[0];
  return {
    email,
    given_name: opts.given_name ?? local.split('.')[0],
    usual_name: opts.usual_name ?? (local.split('.')[1] ?? 'Agent'),
    siret: opts.siret ?? '21340301100015',
    verified: opts.verified !== 'false',
  };
}

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const server = http.createServer();
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const SCOPES = ['openid', 'given_name', 'usual_name', 'email', 'uid', 'siret', 'idp_id'];

const provider = new Provider(issuer, {
  clients: CLIENTS,
  jwks: { keys: [jwk] },
  scopes: SCOPES,
  claims: {
    openid: ['sub'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    email: ['email', 'email_verified'],
    uid: ['uid'],
    siret: ['siret'],
    idp_id: ['idp_id'],
  },
  features: {
    devInteractions: { enabled: false },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    registration: { enabled: false },
  },
  pkce: { required: () => true },
  clientAuthMethods: ['client_secret_post'],
  cookies: { keys: ['entrepairs-test-provider-cookie-key'] },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, id) {
    const u = user(id);
    if (!u) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: u.email,
          email_verified: u.verified,
          given_name: u.given_name,
          usual_name: u.usual_name,
          uid: `uid-${id}`,
          siret: u.siret,
          idp_id: 'test-idp',
        };
      },
    };
  },
  // Consent is implicit, as at ProConnect: every scope the client asks for is granted.
  async loadExistingGrant(ctx) {
    const { Grant } = ctx.oidc.provider;
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const existing = await Grant.find(grantId);
      if (existing) return existing;
    }
    const grant = new Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(SCOPES.join(' '));
    await grant.save();
    return grant;
  },
});
// Plain http on 127.0.0.1: tests only.
provider.proxy = false;

function escape(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function interactions(req, res) {
  const match = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url);
  if (!match) return false;
  const [, uid, login] = match;
  if (req.method === 'GET' && !login) {
    await provider.interactionDetails(req, res);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="fr"><head><title>Fournisseur de test</title></head><body>
<main><h1>Fournisseur d'identité de test</h1>
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Identifiant</label> <input id="login" name="login" value="jeanne">
<button type="submit">Se connecter</button></form></main></body></html>`);
    return true;
  }
  if (req.method === 'POST' && login) {
    let body = '';
    for await (const chunk of req) body += chunk;
    const name = new URLSearchParams(body).get('login') || '';
    const details = await provider.interactionDetails(req, res);
    let result = { error: 'access_denied', error_description: 'unknown test user' };
    if (user(name)) {
      // Login and consent at once: native clients are always asked for consent, and every
      // scope asked for is granted, as at ProConnect.
      const grant = new provider.Grant({ accountId: name, clientId: details.params.client_id });
      grant.addOIDCScope(SCOPES.join(' '));
      result = { login: { accountId: name }, consent: { grantId: await grant.save() } };
    }
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return true;
  }
  return false;
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  try {
    if (await interactions(req, res)) return;
    callback(req, res);
  } catch (e) {
    console.error(e);
    res.statusCode = 500;
    res.end(String(e.message || e));
  }
});

console.log(`listening ${issuer}`);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
