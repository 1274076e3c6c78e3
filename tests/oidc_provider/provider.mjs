// A real OpenID Connect provider for Loket's single sign-on tests: panva's oidc-provider
// (OpenID Certified) with one client, static test users with a groups claim, and plain
// login and consent pages of its own (the library's development pages load web fonts and
// take any password). Listens on 127.0.0.1 only.
//
//   OIDC_PORT=9999 OIDC_REDIRECT_URIS=http://127.0.0.1:8000/staff/sso/callback node provider.mjs
//
// Prints "ready <issuer>" once it listens. Keys are made at start; nothing is stored.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const PASSWORD = 'provider test password';

const USERS = {
  ewa: { name: 'Ewa Kowalska', email: 'ewa@veghel.example', groups: ['loket-noordoost-consultants'] },
  monique: {
    name: 'Monique de Vries',
    email: 'coordinator@loket.example',
    groups: ['loket-noordoost-consultants', 'loket-noordoost-coordinators', 'intranet'],
  },
  root: { name: 'Rootje Admin', email: 'root@provincie.example', groups: ['loket-admins'] },
  nobody: { name: 'Nobody Mapped', email: 'nobody@provincie.example', groups: ['intranet'] },
  split: {
    name: 'Split Regions',
    email: 'split@provincie.example',
    groups: ['loket-noordoost-consultants', 'loket-west-consultants'],
  },
  ghost: { name: 'Ghost Region', email: 'ghost@provincie.example', groups: ['loket-ghost-consultants'] },
  odd: { name: 'Odd\u0000 Name\u0007', email: 'ODD@Provincie.example', groups: 'loket-admins' },
  unverified: {
    name: 'Not Verified',
    email: 'agnieszka@example.nl',
    emailVerified: false,
    groups: ['loket-noordoost-consultants'],
  },
};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID || 'loket',
      client_secret: process.env.OIDC_CLIENT_SECRET || 'loket-test-secret',
      redirect_uris: (process.env.OIDC_REDIRECT_URIS || '').split(',').filter(Boolean),
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const user = USERS[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          name: user.name,
          email: user.email,
          email_verified: user.emailVerified ?? true,
          groups: user.groups,
        };
      },
    };
  },
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, title, body, status = 200) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>`
    + `<body><h1>${escape(title)}</h1>${body}</body></html>`);
}

async function formOf(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

function loginForm(uid, error = '') {
  return `${error ? `<p role="alert">${escape(error)}</p>` : ''}`
    + `<form method="post" action="/interaction/${uid}/login">`
    + '<label for="username">Username</label><input id="username" name="username" autocomplete="username">'
    + '<label for="password">Password</label><input id="password" name="password" type="password">'
    + '<button type="submit">Sign in</button></form>';
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') return page(res, 'Sign in at the test provider', loginForm(uid));
    const scopes = escape([...(prompt.details.missingOIDCScope || [])].join(' '));
    return page(res, 'Allow Loket?', `<p>Loket asks for: ${scopes}</p>`
      + `<form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form>`);
  }
  if (req.method === 'POST' && action === 'login' && prompt.name === 'login') {
    const form = await formOf(req);
    const username = form.get('username') || '';
    if (!Object.hasOwn(USERS, username) || form.get('password') !== PASSWORD) {
      return page(res, 'Sign in at the test provider', loginForm(uid, 'Wrong username or password.'), 401);
    }
    return provider.interactionFinished(req, res, { login: { accountId: username } }, {
      mergeWithLastSubmission: false,
    });
  }
  if (req.method === 'POST' && action === 'confirm' && prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, {
      mergeWithLastSubmission: true,
    });
  }
  return page(res, 'Not possible', '<p>This step is not possible now.</p>', 400);
}

const handler = provider.callback();
const INTERACTION = /^\/interaction\/([\w-]+)(?:\/(login|confirm))?$/;

createServer(async (req, res) => {
  const match = INTERACTION.exec(new URL(req.url, issuer).pathname);
  if (!match) return handler(req, res);
  try {
    return await interaction(req, res, match[1], match[2]);
  } catch (error) {
    return page(res, 'Error', `<p>${escape(error.message)}</p>`, 400);
  }
}).listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
