// A real OpenID Connect provider for the tests (oidc-provider, the certified Node.js
// implementation), on 127.0.0.1 at the port given as the first argument. It prints "ready" once
// it listens. Its sign-in page takes any login: the login is the email the ID token carries, and
// a login starting with "unverified:" gives email_verified false. One confidential client,
// "gatehouse" with the secret "gatehouse-secret", may return to any http://127.0.0.1 address (each
// test's console has its own port). PKCE S256 is required, as Gatehouse always sends it.
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'gatehouse',
    client_secret: 'gatehouse-secret',
    redirect_uris: ['http://127.0.0.1/sso/callback'],
    post_logout_redirect_uris: ['http://127.0.0.1/'],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['gatehouse-tests-only'] },
  async findAccount(ctx, id) {
    const unverified = id.startsWith('unverified:');
    const email = unverified ? id.slice('unverified:'.length) : id;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email, email_verified: !unverified };
      },
    };
  },
  // Consent is taken as given: the tests are about Gatehouse, not the provider's consent page.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email');
    grant.addOIDCClaims(['email', 'email_verified']);
    await grant.save();
    return grant;
  },
});

// Each test's console listens on its own port of this machine.
const loopback = (uri) => {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && url.hostname === '127.0.0.1';
  } catch {
    return false;
  }
};
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(uri) {
  return loopback(uri) && new URL(uri).pathname === '/sso/callback';
};
provider.Client.prototype.postLogoutRedirectUriAllowed = loopback;

provider.listen(port, '127.0.0.1', () => {
  console.log('ready');
});
