#!/usr/bin/env python3
"""Fresh secrets for every built-in secret rule, in the files where they are found.

Every call of generate() draws new random secrets (Python's `secrets` module; nothing
here is a fixed token), each in the format its vendor documents (prefix, alphabet,
length, base64 bodies of the right size, JWTs of real base64url JSON, PEM keys with
real ASN.1 or OpenSSH headers) and in the file context that carries it in practice: an
.env line, ~/.aws/credentials, a service-account JSON, .npmrc, .pypirc, a YAML or PHP
assignment. Used by tests/e2e/e2e.py (planted in a real image) and bench/secret_recall.py
(recall against secretlint).

    planted = generate()
    planted.files    {image path: file content}
    planted.cases    [Case], one per planted secret; path 'config:Env' for ENV entries
    planted.env      ['NAME=value'] for the image config's Env
    planted.silent   image paths of files of placeholders that no scanner may report

builtin_rule_ids() reads the rule ids from src/bulkhead/secret/builtin_rules.cc, so that
a test can fail when a rule has no planted case.

usage: planted.py [--check]   prints the planted cases without their secrets; --check
                              exits 1 when a built-in rule has no case.
"""
import base64
import collections
import json
import os
import re
import secrets as rnd
import string
import struct
import sys
import uuid

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
BUILTIN_RULES = os.path.join(ROOT, 'src', 'bulkhead', 'secret', 'builtin_rules.cc')

DIGITS = string.digits
HEX = '0123456789abcdef'
UPPER_ALNUM = string.ascii_uppercase + string.digits
BASE32 = string.ascii_uppercase + '234567'
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + '-_'
LETTERS = string.ascii_letters
DJANGO_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'  # get_random_secret_key

# Words that scanners take for placeholders anywhere in a value. A real secret can hold
# one by chance; the generator draws again so that a run never fails by chance.
_PLACEHOLDER_WORDS = ('example', 'sample', 'dummy', 'fake', 'todo', 'fixme', 'test', 'xxx',
                      'lorem', 'ipsum', 'foobar', 'changeme', 'changeit', 'redacted', 'your',
                      'insert', 'replace', 'hidden', 'masked', 'secret', 'token', 'pass',
                      'admin', 'null', 'none', 'true', 'false', 'env')

ENV_PATH = 'config:Env'


class Case(collections.namedtuple('Case', 'family rule path line secret shape')):
    """One planted secret.

    family  the vendor or kind, for per-family recall ('aws', 'github', 'private-key')
    rule    the built-in rule id that must report it
    path    the file's path in the image, or 'config:Env'
    line    1-based line of the secret's first character (0 in the config)
    secret  the raw secret; for a multi-line key, the first line of its body (no output
            may hold it)
    shape   the secret's shape and context in words, never the secret itself
    """


class Planted(collections.namedtuple('Planted', 'files cases env silent')):

    def tree(self):
        """(files, cases) with the ENV entries written to /etc/environment as lines, for
        scanners that only read files."""
        files = dict(self.files)
        cases = []
        env_lines = []
        for c in self.cases:
            if c.path != ENV_PATH:
                cases.append(c)
                continue
            index = next(i for i, e in enumerate(self.env) if c.secret in e)
            env_lines.append(self.env[index])
            cases.append(c._replace(path='/etc/environment', line=len(env_lines)))
        if env_lines:
            files['/etc/environment'] = ''.join(e + '\n' for e in env_lines)
        return files, cases


def fresh(alphabet, n):
    """n characters of `alphabet` from a CSPRNG, never holding a placeholder word."""
    while True:
        s = ''.join(rnd.choice(alphabet) for _ in range(n))
        if not any(w in s.lower() for w in _PLACEHOLDER_WORDS):
            return s


def fresh_mixed(alphabet, n):
    """fresh(), with at least one digit and one letter (as generated keys have)."""
    while True:
        s = fresh(alphabet, n)
        if any(ch.isdigit() for ch in s) and any(ch.isalpha() for ch in s):
            return s


def b64(data):
    return base64.b64encode(data).decode()


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip('=')


def wrap(body, width):
    return '\n'.join(body[i:i + width] for i in range(0, len(body), width))


def der_length(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    return bytes([0x82, n >> 8, n & 0xff])


def der_seq(*parts):
    body = b''.join(parts)
    return b'\x30' + der_length(len(body)) + body


def der_int(n_bytes):
    """A positive INTEGER of n_bytes random bytes (leading 0x00 when the top bit is set)."""
    v = rnd.token_bytes(n_bytes)
    if v[0] & 0x80:
        v = b'\x00' + v
    return b'\x02' + der_length(len(v)) + v


def der_octets(data):
    return b'\x04' + der_length(len(data)) + data


RSA_OID = bytes.fromhex('06092a864886f70d0101010500')  # rsaEncryption, NULL


def rsa_pkcs1_der():
    """RSAPrivateKey (PKCS#1) of a 2048-bit key: version, n, e, d, p, q, dp, dq, qinv."""
    return der_seq(b'\x02\x01\x00', der_int(256), b'\x02\x03\x01\x00\x01', der_int(256),
                   der_int(128), der_int(128), der_int(128), der_int(128), der_int(128))


def pem(label, der, headers=''):
    body = b64(der)
    return (f'-----BEGIN {label}-----\n{headers}' + wrap(body, 64) +
            f'\n-----END {label}-----\n'), body[:64]


def ssh_string(data):
    return struct.pack('>I', len(data)) + data


def openssh_key(cipher):
    """An ed25519 key in the openssh-key-v1 format, unencrypted when cipher is 'none'."""
    pub = rnd.token_bytes(32)
    pub_blob = ssh_string(b'ssh-ed25519') + ssh_string(pub)
    check = rnd.token_bytes(4)
    private = (check + check + ssh_string(b'ssh-ed25519') + ssh_string(pub) +
               ssh_string(rnd.token_bytes(32) + pub) + ssh_string(b'deploy@build'))
    private += bytes(range(1, 1 + (-len(private)) % 8))
    if cipher == 'none':
        kdf, kdf_options = b'none', b''
    else:
        kdf = b'bcrypt'
        kdf_options = ssh_string(rnd.token_bytes(16)) + struct.pack('>I', 16)
        private = rnd.token_bytes(len(private) + 16)  # ciphertext and the tag
    raw = (b'openssh-key-v1\0' + ssh_string(cipher.encode()) + ssh_string(kdf) +
           ssh_string(kdf_options) + struct.pack('>I', 1) + ssh_string(pub_blob) +
           ssh_string(private))
    body = b64(raw)
    return ('-----BEGIN OPENSSH PRIVATE KEY-----\n' + wrap(body, 70) +
            '\n-----END OPENSSH PRIVATE KEY-----\n'), body[:70]


def crc24(data):
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def pgp_secret_key():
    """An armored OpenPGP v4 secret-key packet (RSA 2048, unprotected), with its CRC-24."""
    body = (b'\x04' + struct.pack('>I', 1700000000 + rnd.randbelow(10 ** 8)) + b'\x01' +
            b'\x08\x00' + b'\x80' + rnd.token_bytes(255) + b'\x00\x11\x01\x00\x01' + b'\x00' +
            rnd.token_bytes(900))
    packet = b'\x95' + struct.pack('>H', len(body)) + body
    armored = b64(packet)
    crc = b64(crc24(packet).to_bytes(3, 'big'))
    return ('-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n' + wrap(armored, 64) + f'\n={crc}\n' +
            '-----END PGP PRIVATE KEY BLOCK-----\n'), armored[:64]


def jwt():
    header = b64url(json.dumps({'alg': 'HS256', 'typ': 'JWT'}, separators=(',', ':')).encode())
    now = 1700000000 + rnd.randbelow(10 ** 8)
    payload = b64url(json.dumps({
        'sub': str(uuid.UUID(bytes=rnd.token_bytes(16))), 'iat': now, 'exp': now + 86400,
        'scope': 'api:read api:write', 'jti': fresh(ALNUM, 16)}, separators=(',', ':')).encode())
    return f'{header}.{payload}.{b64url(rnd.token_bytes(32))}'


def discord_token():
    user_id = str(10 ** 18 + rnd.randbelow(9 * 10 ** 17)).encode()  # a 19-digit snowflake
    return f'{b64url(user_id)}.{fresh(URLSAFE, 6)}.{fresh(URLSAFE, 38)}'


def pypi_token(host):
    """A PyPI macaroon: location, identifier (a UUID) and a caveat, then the signature."""
    macaroon = (b'\x02\x01' + bytes([len(host)]) + host + b'\x02\x24' +
                str(uuid.UUID(bytes=rnd.token_bytes(16))).encode() + b'\x00\x02' +
                bytes([0x80 | rnd.randbelow(0x80), 0x01]) + b'\x00\x00\x06\x20' +
                rnd.token_bytes(32))
    return 'pypi-' + b64url(macaroon)


def password(n=24):
    return fresh_mixed(ALNUM, n)


class _Builder:
    """Collects files; '@@name@@' marks in a template are replaced by planted values."""

    def __init__(self):
        self.files = {}
        self.cases = []
        self.env = []
        self.silent = []

    def file(self, path, template, **values):
        """values: name -> v(...); its `text` replaces @@name@@, and the case's line is
        that of `start` in it."""
        out = ''
        rest = template
        while True:
            m = re.search(r'@@(\w+)@@', rest)
            if not m:
                out += rest
                break
            family, rule, text, secret, shape, start = values[m.group(1)]
            out += rest[:m.start()]
            offset = text.find(start)
            assert offset >= 0 and secret in text, (path, m.group(1))
            line = out.count('\n') + text[:offset].count('\n') + 1
            self.cases.append(Case(family, rule, path, line, secret, shape))
            out += text
            rest = rest[m.end():]
        assert path not in self.files, path
        self.files[path] = out

    def env_var(self, entry, family, rule, secret, shape):
        assert secret in entry
        self.env.append(entry)
        self.cases.append(Case(family, rule, ENV_PATH, 0, secret, shape))

    def placeholder_file(self, path, content):
        self.files[path] = content
        self.silent.append(path)


def v(family, rule, secret, shape, text=None, start=None):
    """A planted value: `text` (default: the secret) goes into the file, `secret` is in
    it, and the secret's line is that of `start` (default: the secret)."""
    return (family, rule, secret if text is None else text, secret, shape,
            secret if start is None else start)


def generate():
    """Returns a Planted of fresh secrets, at least one for every built-in rule."""
    b = _Builder()

    # AWS.
    akia = 'AKIA' + fresh(BASE32, 16)
    b.file('/root/.aws/credentials',
           '[default]\naws_access_key_id = @@id@@\naws_secret_access_key = @@key@@\n'
           'region = eu-west-1\n',
           id=v('aws', 'aws-access-token', akia, 'AKIA + 16 base32 in ~/.aws/credentials'),
           key=v('aws', 'aws-secret-access-key', fresh_mixed(ALNUM + '+/', 40),
                 'aws_secret_access_key = 40 base64 chars in ~/.aws/credentials'))
    b.file('/app/config/aws.env',
           'AWS_REGION=us-east-1\nAWS_ACCESS_KEY_ID=@@id@@\nAWS_SECRET_ACCESS_KEY=@@key@@\n'
           'AWS_SESSION_TOKEN=FwoGZXIvYXdzE' + fresh(URLSAFE, 60) + '\n',
           id=v('aws', 'aws-access-token', 'ASIA' + fresh(BASE32, 16),
                'AWS_ACCESS_KEY_ID=ASIA + 16 base32 (STS) in an .env'),
           key=v('aws', 'aws-secret-access-key', fresh_mixed(ALNUM + '+/', 40),
                 'AWS_SECRET_ACCESS_KEY=40 base64 chars in an .env'))

    # GCP: a service-account key file, and an API key in a web app's config.
    gcp_key, gcp_first = pem('PRIVATE KEY', der_seq(b'\x02\x01\x00', b'\x30\x0d' + RSA_OID,
                                                      der_octets(rsa_pkcs1_der())))
    project = 'billing-' + fresh(string.ascii_lowercase, 6) + '-' + fresh(DIGITS, 6)
    sa = json.dumps({
        'type': 'service_account',
        'project_id': project,
        'private_key_id': fresh(HEX, 40),
        'private_key': gcp_key,
        'client_email': f'deployer@{project}.iam.gserviceaccount.com',
        'client_id': fresh(DIGITS, 21),
        'auth_uri': 'https://accounts.google.com/o/oauth2/auth',
        'token_uri': 'https://oauth2.googleapis.com/token',
        'auth_provider_x509_cert_url': 'https://www.googleapis.com/oauth2/v1/certs',
        'client_x509_cert_url': 'https://www.googleapis.com/robot/v1/metadata/x509/deployer%40'
                                f'{project}.iam.gserviceaccount.com',
        'universe_domain': 'googleapis.com',
    }, indent=2)
    escaped = json.dumps(gcp_key)[1:-1]
    sa = sa.replace(escaped, '@@key@@')
    b.file('/app/secrets/gcp-sa.json', sa + '\n',
           key=v('gcp', 'gcp-service-account', gcp_first,
                 'service-account JSON with a PKCS#8 RSA private_key', text=escaped,
                 start='-----BEGIN'))
    b.file('/app/public/firebase-config.js',
           'const firebaseConfig = {\n  apiKey: "@@key@@",\n'
           f'  authDomain: "{project}.firebaseapp.com",\n  projectId: "{project}",\n}};\n'
           'export default firebaseConfig;\n',
           key=v('gcp', 'gcp-api-key', 'AIza' + fresh(URLSAFE, 35),
                 'apiKey: "AIza + 35 url-safe" in a JS config'))

    # Azure: a storage connection string (64-byte key) and a Service Bus one (32 bytes).
    account = 'st' + fresh(string.ascii_lowercase + DIGITS, 12)
    storage_key = b64(rnd.token_bytes(64))
    b.file('/app/appsettings.json',
           '{\n  "Logging": { "LogLevel": { "Default": "Information" } },\n'
           '  "ConnectionStrings": {\n    "Storage": "DefaultEndpointsProtocol=https;'
           f'AccountName={account};AccountKey=@@key@@;EndpointSuffix=core.windows.net"\n'
           '  }\n}\n',
           key=v('azure', 'azure-storage-key', storage_key,
                 'AccountKey=<88 base64> in a storage connection string (appsettings.json)'))
    sb_key = b64(rnd.token_bytes(32))
    b.file('/app/config/servicebus.env',
           'SERVICEBUS_CONNECTION=Endpoint=sb://orders-' + fresh(string.ascii_lowercase, 6) +
           '.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;'
           'SharedAccessKey=@@key@@\n',
           key=v('azure', 'azure-storage-key', sb_key,
                 'SharedAccessKey=<44 base64> in a Service Bus connection string'))

    # GitHub.
    b.file('/app/deploy.sh',
           '#!/bin/sh\nset -e\n'
           'curl -fsS -H "Authorization: token @@t@@" https://api.github.com/user\n',
           t=v('github', 'github-pat', 'ghp_' + fresh(ALNUM, 36),
               'ghp_ + 36 base62 in a curl header'))
    b.file('/root/.config/gh/hosts.yml',
           'github.com:\n    user: deploy-bot\n    oauth_token: @@t@@\n    git_protocol: https\n',
           t=v('github', 'github-oauth', 'gho_' + fresh(ALNUM, 36),
               'oauth_token: gho_ + 36 base62 in gh hosts.yml'))
    b.file('/app/ci/github-app.env',
           'GH_APP_USER_TOKEN=@@u@@\nGH_INSTALLATION_TOKEN=@@s@@\nGH_REFRESH_TOKEN=@@r@@\n',
           u=v('github', 'github-app-token', 'ghu_' + fresh(ALNUM, 36), 'ghu_ + 36 base62 in .env'),
           s=v('github', 'github-app-token', 'ghs_' + fresh(ALNUM, 36), 'ghs_ + 36 base62 in .env'),
           r=v('github', 'github-refresh-token', 'ghr_' + fresh(ALNUM, 76),
               'ghr_ + 76 base62 in .env'))
    b.file('/root/.git-credentials',
           'https://x-access-token:@@t@@@github.com\n',
           t=v('github', 'github-fine-grained-pat',
               'github_pat_11' + fresh(ALNUM, 20) + '_' + fresh(ALNUM, 59),
               'github_pat_ + 22 + _ + 59 in .git-credentials (as a URL password)'))

    # GitLab: personal access tokens and every other prefix the rules know.
    b.file('/app/.gitlab-token', '@@t@@\n',
           t=v('gitlab', 'gitlab-pat', 'glpat-' + fresh(URLSAFE, 20),
               'glpat- + 20 alone in a file'))
    gitlab = [('gldt', 20, 'deploy token'), ('glrt', 20, 'runner token'),
              ('glcbt', 20, 'CI build token'), ('glft', 20, 'feed token'),
              ('glsoat', 20, 'SCIM OAuth token'), ('glffct', 20, 'feature-flags client token'),
              ('glwt', 20, 'workspace token'), ('glcit', 20, 'incoming-mail CI token'),
              ('glagent', 50, 'agent token'), ('glimt', 25, 'incoming mail token'),
              ('glptt', 40, 'pipeline trigger token'), ('gloas', 64, 'OAuth app secret')]
    template = ''.join(f'GITLAB_{p.upper()}=@@{p}@@\n' for p, _, _ in gitlab)
    values = {p: v('gitlab', 'gitlab-token', f'{p}-' + fresh_mixed(URLSAFE, n),
                   f'{p}- + {n} url-safe ({what}) in .env') for p, n, what in gitlab}
    b.file('/app/ci/gitlab.env', template + 'CI_RUNNER_REGISTRATION=@@gr@@\n',
           gr=v('gitlab', 'gitlab-token', 'GR1348941' + fresh(URLSAFE, 20),
                'GR1348941 + 20 (runner registration) in .env'), **values)

    # Slack.
    b.file('/app/config/slack.yaml',
           'slack:\n  bot_token: @@bot@@\n  user_token: "@@user@@"\n  app_token: @@app@@\n'
           '  webhook: @@hook@@\n',
           bot=v('slack', 'slack-token', f'xoxb-{fresh(DIGITS, 12)}-{fresh(DIGITS, 13)}-'
                 f'{fresh(ALNUM, 24)}', 'xoxb-<12 digits>-<13 digits>-<24 base62> in YAML'),
           user=v('slack', 'slack-token', f'xoxp-{fresh(DIGITS, 12)}-{fresh(DIGITS, 12)}-'
                  f'{fresh(DIGITS, 13)}-{fresh(HEX, 32)}',
                  'xoxp-<d>-<d>-<d>-<32 hex> in YAML'),
           app=v('slack', 'slack-app-token', f'xapp-1-A{fresh(UPPER_ALNUM, 10)}-'
                 f'{fresh(DIGITS, 13)}-{fresh(HEX, 64)}',
                 'xapp-1-A<10>-<13 digits>-<64 hex> in YAML'),
           hook=v('slack', 'slack-webhook-url', 'https://hooks.slack.com/services/T' +
                  fresh(UPPER_ALNUM, 8) + '/B' + fresh(UPPER_ALNUM, 10) + '/' + fresh(ALNUM, 24),
                  'https://hooks.slack.com/services/T<8>/B<10>/<24> in YAML'))
    slack_env = f'xoxb-{fresh(DIGITS, 12)}-{fresh(DIGITS, 13)}-{fresh(ALNUM, 24)}'
    b.env_var(f'SLACK_BOT_TOKEN={slack_env}', 'slack', 'slack-token', slack_env,
              'SLACK_BOT_TOKEN=xoxb-... in the image config Env')

    # Payment and messaging.
    b.file('/app/config/payments.env',
           'STRIPE_SECRET_KEY=@@sk@@\nSTRIPE_RESTRICTED_KEY=@@rk@@\n'
           'STRIPE_PUBLISHABLE_KEY=pk_live_' + fresh(ALNUM, 99) + '\n',
           sk=v('stripe', 'stripe-access-token', 'sk_live_' + fresh(ALNUM, 24),
                'sk_live_ + 24 base62 in .env'),
           rk=v('stripe', 'stripe-access-token', 'rk_live_51' + fresh(ALNUM, 97),
                'rk_live_ + 99 base62 in .env'))
    b.file('/app/config/twilio.py',
           'TWILIO_ACCOUNT_SID = "@@ac@@"\nTWILIO_API_KEY = "@@sk@@"\n'
           'TWILIO_AUTH_TOKEN = "@@auth@@"\n',
           ac=v('twilio', 'twilio-account-sid', 'AC' + fresh(HEX, 32), 'AC + 32 hex in Python'),
           sk=v('twilio', 'twilio-api-key', 'SK' + fresh(HEX, 32), 'SK + 32 hex in Python'),
           auth=v('generic', 'generic-api-key', fresh_mixed(HEX, 32),
                  'TWILIO_AUTH_TOKEN = "<32 hex>" in Python'))
    b.file('/app/config/mail.env', 'SENDGRID_API_KEY=@@k@@\nMAILCHIMP_API_KEY=@@mc@@\n',
           k=v('sendgrid', 'sendgrid-api-token', f'SG.{fresh(URLSAFE, 22)}.{fresh(URLSAFE, 43)}',
               'SG.<22>.<43> in .env'),
           mc=v('mailchimp', 'mailchimp-api-key', f'{fresh(HEX, 32)}-us{1 + rnd.randbelow(21)}',
                '<32 hex>-us<N> in .env'))

    # Package registries.
    b.file('/root/.npmrc', '//registry.npmjs.org/:_authToken=@@t@@\n',
           t=v('npm', 'npm-access-token', 'npm_' + fresh(ALNUM, 36), 'npm_ + 36 base62 in .npmrc'))
    b.file('/home/node/.npmrc',
           'registry=https://nexus.corp.internal/repository/npm-group/\n'
           '//nexus.corp.internal/repository/npm-group/:_auth=@@auth@@\n'
           '//registry.npmjs.org/:_authToken=@@uuid@@\nalways-auth=true\n',
           auth=v('npm', 'npmrc-auth-token',
                  b64(f'ci-{fresh(string.ascii_lowercase, 5)}:{password(20)}'.encode()),
                  '_auth=base64(user:password) for a private registry in .npmrc'),
           uuid=v('npm', 'npmrc-auth-token', str(uuid.UUID(bytes=rnd.token_bytes(16))),
                  'legacy _authToken=<uuid> in .npmrc'))
    b.file('/root/.pypirc',
           '[distutils]\nindex-servers =\n    pypi\n    testpypi\n\n[pypi]\nusername = __token__\n'
           'password = @@pypi@@\n\n[testpypi]\nusername = __token__\npassword = @@test@@\n',
           pypi=v('pypi', 'pypi-upload-token', pypi_token(b'pypi.org'),
                  'pypi-AgEIcHlwaS5vcmc... macaroon in .pypirc'),
           test=v('pypi', 'pypi-upload-token', pypi_token(b'test.pypi.org'),
                  'pypi-AgENdGVzdC5weXBpLm9yZw... macaroon in .pypirc'))

    # Private keys. The RSA key is the one e2e.py deletes in a later layer.
    keys = [
        ('id_rsa', 'RSA PRIVATE KEY (PKCS#1)', pem('RSA PRIVATE KEY', rsa_pkcs1_der())),
        ('ec.key', 'EC PRIVATE KEY (SEC1 P-256)', pem('EC PRIVATE KEY', der_seq(
            b'\x02\x01\x01', der_octets(rnd.token_bytes(32)),
            b'\xa0\x0a\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07',
            b'\xa1\x44\x03\x42\x00\x04' + rnd.token_bytes(64)))),
        ('dsa.key', 'DSA PRIVATE KEY', pem('DSA PRIVATE KEY', der_seq(
            b'\x02\x01\x00', der_int(128), der_int(20), der_int(128), der_int(128),
            der_int(20)))),
        ('id_ed25519', 'OPENSSH PRIVATE KEY (ed25519, cipher none)', openssh_key('none')),
        ('signing.asc', 'PGP PRIVATE KEY BLOCK', pgp_secret_key()),
        ('tls.key', 'PRIVATE KEY (PKCS#8 RSA)', pem('PRIVATE KEY', der_seq(
            b'\x02\x01\x00', b'\x30\x0d' + RSA_OID, der_octets(rsa_pkcs1_der())))),
    ]
    for name, shape, (text, first) in keys:
        b.file(f'/root/.ssh/{name}' if name.startswith('id_') else f'/etc/app/keys/{name}',
               '@@k@@', k=v('private-key', 'private-key', first, shape, text=text))
    encrypted_pkcs8 = der_seq(
        der_seq(bytes.fromhex('06092a864886f70d01050d'), der_seq(
            der_seq(bytes.fromhex('06092a864886f70d01050c'),
                    der_seq(der_octets(rnd.token_bytes(8)), b'\x02\x02\x08\x00',
                            der_seq(bytes.fromhex('06082a864886f70d0209'), b'\x05\x00'))),
            der_seq(bytes.fromhex('0609608648016503040102'), der_octets(rnd.token_bytes(16))))),
        der_octets(rnd.token_bytes(1232)))
    dek = f'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,{fresh(HEX, 32).upper()}\n\n'
    legacy, legacy_first = pem('RSA PRIVATE KEY', rnd.token_bytes(1200), headers=dek)
    encrypted = [
        ('enc-pkcs8.key', 'ENCRYPTED PRIVATE KEY (PKCS#8, PBES2)',
         pem('ENCRYPTED PRIVATE KEY', encrypted_pkcs8)),
        ('enc-legacy.key', 'RSA PRIVATE KEY with Proc-Type: 4,ENCRYPTED',
         (legacy, legacy_first, 'Proc-Type')),
        ('id_ed25519_enc', 'OPENSSH PRIVATE KEY (aes256-ctr, bcrypt)', openssh_key('aes256-ctr')),
    ]
    for name, shape, (text, first, *start) in encrypted:
        b.file(f'/root/.ssh/{name}' if name.startswith('id_') else f'/etc/app/keys/{name}',
               '@@k@@', k=v('private-key', 'private-key-encrypted', first, shape, text=text,
                            start=start[0] if start else None))

    # Bearer tokens and database URLs.
    b.file('/app/scripts/call-api.sh',
           '#!/bin/sh\ncurl -fsS https://api.internal.corp/v1/orders \\\n'
           '  -H "Authorization: Bearer @@jwt@@"\n',
           jwt=v('jwt', 'jwt', jwt(), 'Authorization: Bearer <HS256 JWT> in a shell script'))
    db_host = 'db-' + fresh(string.ascii_lowercase, 6) + '.internal.corp'
    b.file('/app/config/database.env',
           'DATABASE_URL=postgres://app:@@pg@@@' + db_host + ':5432/orders?sslmode=require\n'
           'MONGO_URI=mongodb+srv://reporting:@@mongo@@@cluster0.' +
           fresh(string.ascii_lowercase + DIGITS, 5) + '.mongodb.net/reports\n'
           'REDIS_URL=redis://:@@redis@@@redis.internal.corp:6379/0\n'
           'BROKER_URL=amqp://orders:@@amqp@@@rabbitmq.internal.corp:5672/orders\n',
           pg=v('database-url', 'database-url-password', password(),
                'postgres://user:<24 base62>@host/db in .env'),
           mongo=v('database-url', 'database-url-password', password(),
                   'mongodb+srv://user:<24 base62>@cluster in .env'),
           redis=v('database-url', 'database-url-password', password(32),
                   'redis://:<32 base62>@host in .env (no user)'),
           amqp=v('database-url', 'database-url-password', password(),
                  'amqp://user:<24 base62>@host in .env'))
    b.file('/app/src/main/resources/application.properties',
           'server.port=8080\nspring.datasource.url=jdbc:mysql://orders:@@pw@@@' + db_host +
           ':3306/orders\n',
           pw=v('database-url', 'database-url-password', password(),
                'jdbc:mysql://user:<24 base62>@host in application.properties'))
    db_pw = password()
    b.env_var(f'DATABASE_URL=postgresql://orders:{db_pw}@{db_host}:5432/orders',
              'database-url', 'database-url-password', db_pw,
              'DATABASE_URL=postgresql://user:<24 base62>@host in the image config Env')
    b.file('/app/scripts/mirror.sh',
           'MIRROR=https://ci:@@pw@@@artifacts.internal.corp/debian\n'
           'FTP_DROP=ftp://upload:@@ftp@@@ftp.internal.corp/incoming\n',
           pw=v('url-credentials', 'url-credentials', password(),
                'https://user:<24 base62>@host in a shell file'),
           ftp=v('url-credentials', 'url-credentials', password(20),
                 'ftp://user:<20 base62>@host in a shell file'))

    # Generic assignments of passwords, secrets and keys.
    b.file('/app/config/settings.py',
           'DEBUG = False\nSECRET_KEY = \'@@django@@\'\nALLOWED_HOSTS = ["orders.internal.corp"]\n',
           django=v('generic', 'generic-api-key', fresh_mixed(URLSAFE, 50),
                    "SECRET_KEY = '<50 url-safe>' in Django settings"))
    b.file('/app/config/database.yml',
           'production:\n  adapter: postgresql\n  host: ' + db_host + '\n  username: orders\n'
           '  password: @@pw@@\n',
           pw=v('generic', 'generic-api-key', password(), 'password: <24 base62> bare in YAML'))
    b.file('/app/.env', 'NODE_ENV=production\nDB_PASSWORD=@@pw@@\n',
           pw=v('generic', 'generic-api-key', password(20), 'DB_PASSWORD=<20 base62> in .env'))
    b.file('/app/config/oauth.json',
           '{\n  "client_id": "' + fresh(DIGITS, 12) + '",\n  "client_secret": "@@cs@@",\n'
           '  "redirect_uri": "https://orders.internal.corp/callback"\n}\n',
           cs=v('generic', 'generic-api-key', fresh_mixed(URLSAFE, 40),
                '"client_secret": "<40 url-safe>" in JSON'))
    b.file('/app/src/client.go',
           'package main\n\nfunc newClient() *Client {\n\tapiKey := "@@k@@"\n'
           '\treturn &Client{key: apiKey}\n}\n',
           k=v('generic', 'generic-api-key', fresh_mixed(ALNUM, 32),
               'apiKey := "<32 base62>" in Go'))
    b.file('/app/config/services.php',
           "<?php\n\nreturn [\n    'mailgun' => [\n        'domain' => 'mg.orders.corp',\n"
           "        'secret' => '@@s@@',\n    ],\n];\n",
           s=v('generic', 'generic-api-key', 'key-' + fresh(HEX, 32),
               "'secret' => 'key-<32 hex>' in PHP"))
    # Random keys that hold characters the placeholder heuristics read as templates:
    # about 4% of the keys Django's startproject generates (its own alphabet) hold "$("
    # or "%(", and password generators with symbols (pwgen -y, KeePass) emit '<' and '>'.
    django = ''.join(rnd.choice(DJANGO_KEY_CHARS) for _ in range(50))
    at = 5 + rnd.randbelow(40)
    django = django[:at] + rnd.choice(('$(', '%(')) + django[at + 2:]
    b.file('/app/config/local_settings.py',
           "from .settings import *  # noqa\n\nSECRET_KEY = 'django-insecure-@@django@@'\n",
           django=v('generic', 'generic-api-key', django,
                    "SECRET_KEY = 'django-insecure-' + 50 chars of Django's key alphabet, "
                    'among them $( or %(, in Django settings'))
    b.file('/app/config/db.env', f"DB_HOST={db_host}\nDB_PASSWORD='@@pw@@'\n",
           pw=v('generic', 'generic-api-key', password(8) + rnd.choice('<>') + password(10),
                "DB_PASSWORD='...' of 18 base62 and one < or > (a generated password with "
                'symbols) in .env'))
    b.file('/app/Makefile',
           'REGISTRY ?= registry.internal.corp\nREGISTRY_TOKEN ?= @@t@@\n\npush:\n'
           '\tdocker login -u ci -p $(REGISTRY_TOKEN) $(REGISTRY)\n',
           t=v('generic', 'generic-api-key', fresh_mixed(ALNUM, 32),
               'REGISTRY_TOKEN ?= <32 base62> in a Makefile'))

    # AI, chat and developer platforms.
    b.file('/app/config/ai.env',
           'OPENAI_API_KEY=@@oa@@\nOPENAI_PROJECT_KEY=@@oap@@\nANTHROPIC_API_KEY=@@an@@\n'
           'HF_TOKEN=@@hf@@\n',
           oa=v('openai', 'openai-api-key',
                'sk-' + fresh(ALNUM, 20) + 'T3BlbkFJ' + fresh(ALNUM, 20),
                'sk-<20>T3BlbkFJ<20> (legacy) in .env'),
           oap=v('openai', 'openai-api-key', 'sk-proj-' + fresh(URLSAFE, 74) + 'T3BlbkFJ' +
                 fresh(URLSAFE, 74), 'sk-proj-<74>T3BlbkFJ<74> in .env'),
           an=v('anthropic', 'anthropic-api-key', 'sk-ant-api03-' + fresh(URLSAFE, 93) + 'AA',
                'sk-ant-api03-<93>AA in .env'),
           hf=v('huggingface', 'huggingface-access-token', 'hf_' + fresh(LETTERS, 34),
                'hf_ + 34 letters in .env'))
    b.file('/app/bots/config.toml',
           '[telegram]\ntoken = "@@tg@@"\n\n[discord]\ndiscord_bot_token = "@@dc@@"\n',
           tg=v('telegram', 'telegram-bot-api-token',
                f'{1 + rnd.randbelow(9)}{fresh(DIGITS, 9)}:AA{fresh(URLSAFE, 33)}',
                'token = "<10 digits>:AA<33>" in TOML'),
           dc=v('discord', 'discord-bot-token', discord_token(),
                'discord_bot_token = "<base64 id>.<6>.<38>" in TOML'))
    b.file('/root/.jfrog/artifactory.env',
           'ARTIFACTORY_API_KEY=@@ak@@\nARTIFACTORY_ACCESS_TOKEN=@@ref@@\n',
           ak=v('artifactory', 'artifactory-api-key', 'AKCp8' + fresh(ALNUM, 68),
                'AKCp + 69 base62 in .env'),
           ref=v('artifactory', 'artifactory-reference-token', b64(
               b'reftkn:01:' + str(1900000000 + rnd.randbelow(10 ** 8)).encode() + b':' +
               fresh(ALNUM, 27).encode()), 'base64("reftkn:01:<expiry>:<27>") in .env'))
    b.file('/app/config/shopify.env',
           'SHOPIFY_ACCESS_TOKEN=@@at@@\nSHOPIFY_SHARED_SECRET=@@ss@@\n',
           at=v('shopify', 'shopify-token', 'shpat_' + fresh(HEX, 32), 'shpat_ + 32 hex in .env'),
           ss=v('shopify', 'shopify-token', 'shpss_' + fresh(HEX, 32), 'shpss_ + 32 hex in .env'))
    b.file('/root/.config/doctl/config.yaml',
           'access-token: @@do@@\ncontext: default\n',
           do=v('digitalocean', 'digitalocean-token', 'dop_v1_' + fresh(HEX, 64),
                'access-token: dop_v1_ + 64 hex in doctl config.yaml'))
    b.file('/root/.vault-token', '@@t@@',
           t=v('vault', 'vault-service-token', 'hvs.CAESI' + fresh(URLSAFE, 86),
               'hvs. + 91 url-safe alone in ~/.vault-token'))
    b.file('/app/ci/docker-login.sh',
           '#!/bin/sh\necho "@@t@@" | docker login -u deploybot --password-stdin\n',
           t=v('docker-hub', 'docker-hub-pat', 'dckr_pat_' + fresh(URLSAFE, 27),
               'dckr_pat_ + 27 in a shell script'))

    # Placeholders, templates and environment lookups: silent.
    b.placeholder_file('/app/config/placeholders.env',
                       'API_KEY=YOUR_API_KEY\nGITHUB_TOKEN=${TOKEN}\nDB_PASSWORD=$DB_PASSWORD\n'
                       'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n'
                       'STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n')
    b.placeholder_file('/app/src/settings_prod.py',
                       'import os\n\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n'
                       'password = os.environ.get("DB_PASSWORD")\n'
                       'api_key = settings.API_KEY\n')
    b.placeholder_file('/app/chart/templates/secret.yaml',
                       'apiVersion: v1\nkind: ConfigMap\ndata:\n'
                       '  password: "{{ .Values.db.password }}"\n'
                       '  token: <your-token-here>\n')
    return Planted(b.files, b.cases, b.env, b.silent)


def builtin_rule_ids(source=BUILTIN_RULES):
    """The ids of the built-in rules, in the order of builtin_rules.cc."""
    with open(source, encoding='utf-8') as f:
        text = f.read()
    specs = text[text.index('const Spec kSpecs[] = {'):]
    return re.findall(r'^\s*\{"([a-z0-9-]+)",\s*$', specs, re.M)


def rules_without_case(planted):
    """Built-in rule ids that no planted case expects."""
    covered = {c.rule for c in planted.cases}
    return [r for r in builtin_rule_ids() if r not in covered]


def main():
    planted = generate()
    ids = builtin_rule_ids()
    missing = rules_without_case(planted)
    unknown = sorted({c.rule for c in planted.cases} - set(ids))
    for c in planted.cases:
        print(f'{c.family:16s} {c.rule:28s} {c.path}:{c.line}  {c.shape}')
    print(f'{len(planted.cases)} cases for {len(ids)} built-in rules; '
          f'{len(planted.silent)} placeholder files')
    if missing or unknown:
        print(f'rules without a case: {missing}; cases of unknown rules: {unknown}')
    if '--check' in sys.argv[1:]:
        sys.exit(1 if missing or unknown else 0)


if __name__ == '__main__':
    main()
