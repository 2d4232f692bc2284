import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpAbisVerifier } from '../../../src/biometrics/http-abis-verifier.js';
import type { BiometricVerifier, PortraitCheckFailure } from '../../../src/domain/ports.js';
import { fail, ok, type Result } from '../../../src/shared/result.js';
import { FakeAbisServer } from '../../support/fake-abis-server.js';
import { createTestCertificates } from '../../support/test-certificates.js';

/**
 * The ABIS adapter against a loopback fake speaking docs/biometrics.md: what goes on the wire, how every answer is
 * read, and that every way the service can fail ends as `verifier_unavailable`.
 */

const API_KEY = 'abis-test-key-0123456789';
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9]);

/** Decides by portrait reference, so each test names the answer it wants. */
const scripted: BiometricVerifier = {
  async verifyPortrait({ portraitRef }) {
    if (portraitRef === 'pt_same') return ok({ matched: true, score: 0.91, method: 'face' });
    if (portraitRef === 'pt_other') return ok({ matched: false, score: 0.12, method: 'face' });
    return fail(portraitRef.replace(/^pt_/, '') as PortraitCheckFailure) as Result<never, PortraitCheckFailure>;
  },
};

let abis: FakeAbisServer;
let verifier: HttpAbisVerifier;

beforeAll(async () => {
  abis = await FakeAbisServer.start({ verifier: scripted, apiKey: API_KEY });
  verifier = new HttpAbisVerifier({ baseUrl: `${abis.url}/`, timeoutMs: 1000, apiKey: API_KEY });
});

afterAll(async () => {
  verifier.close();
  await abis.close();
});

describe('the ABIS adapter', () => {
  it('sends the reference and the photo with its media type, API key and a request id', async () => {
    await verifier.verifyPortrait({ probe: JPEG, portraitRef: 'pt_same' });
    await verifier.verifyPortrait({ probe: PNG, portraitRef: 'pt_same' });
    const [first, second] = abis.requests.slice(-2);
    expect(first).toEqual({
      apiKey: API_KEY,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      contentType: 'application/json; charset=utf-8',
      portraitRef: 'pt_same',
      mediaType: 'image/jpeg',
      probeBytes: JPEG.length,
    });
    expect(second?.mediaType).toBe('image/png');
    expect(second?.requestId).not.toBe(first?.requestId);
  });

  it("passes on the service's decision and score", async () => {
    expect(await verifier.verifyPortrait({ probe: JPEG, portraitRef: 'pt_same' })).toEqual(
      ok({ matched: true, score: 0.91, method: 'face' }),
    );
    expect(await verifier.verifyPortrait({ probe: JPEG, portraitRef: 'pt_other' })).toEqual(
      ok({ matched: false, score: 0.12, method: 'face' }),
    );
  });

  it('passes on every rejection the wire format names', async () => {
    for (const reason of ['no_face', 'multiple_faces', 'poor_quality', 'reference_unavailable'] as const) {
      expect(await verifier.verifyPortrait({ probe: JPEG, portraitRef: `pt_${reason}` })).toEqual(fail(reason));
    }
  });

  it('does not send something that is not a JPEG or PNG', async () => {
    const before = abis.requests.length;
    const gif = new TextEncoder().encode('GIF89a');
    expect(await verifier.verifyPortrait({ probe: gif, portraitRef: 'pt_same' })).toEqual(fail('poor_quality'));
    expect(abis.requests.length).toBe(before);
  });

  it('answers verifier_unavailable whenever the service gives no usable answer', async () => {
    const behaviours = ['hang', 'drop', 'server_error', 'not_json', 'wrong_shape', 'unknown_reason', 'huge'] as const;
    try {
      for (const behaviour of behaviours) {
        abis.behaviour = behaviour;
        expect([behaviour, await verifier.verifyPortrait({ probe: JPEG, portraitRef: 'pt_same' })]).toEqual([
          behaviour,
          fail('verifier_unavailable'),
        ]);
      }
    } finally {
      abis.behaviour = 'normal';
    }
    // Its own 503 (the service could not compare) is the same.
    expect(await verifier.verifyPortrait({ probe: JPEG, portraitRef: 'pt_verifier_unavailable' })).toEqual(
      fail('verifier_unavailable'),
    );
  });

  it('answers verifier_unavailable with a wrong key, a wrong URL or nobody listening', async () => {
    const wrongKey = new HttpAbisVerifier({ baseUrl: abis.url, timeoutMs: 1000, apiKey: 'not-the-key-0000000' });
    const wrongPath = new HttpAbisVerifier({ baseUrl: `${abis.url}/elsewhere`, timeoutMs: 1000, apiKey: API_KEY });
    const closedPort = new HttpAbisVerifier({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000, apiKey: API_KEY });
    for (const client of [wrongKey, wrongPath, closedPort]) {
      const outcome = await client.verifyPortrait({ probe: JPEG, portraitRef: 'pt_same' });
      expect(outcome).toEqual(fail('verifier_unavailable'));
      client.close();
    }
  });

  it('speaks mutual TLS, and fails closed when the service does not accept the certificate', async () => {
    const certificates = createTestCertificates();
    const secure = await FakeAbisServer.start({
      verifier: scripted,
      tls: { key: certificates.serverKey, cert: certificates.serverCert, ca: certificates.ca },
    });
    const trusted = new HttpAbisVerifier({
      baseUrl: secure.url,
      timeoutMs: 2000,
      mutualTls: { cert: certificates.clientCert, key: certificates.clientKey },
      caCertificate: certificates.ca,
    });
    const stranger = new HttpAbisVerifier({
      baseUrl: secure.url,
      timeoutMs: 2000,
      mutualTls: { cert: certificates.strangerCert, key: certificates.strangerKey },
      caCertificate: certificates.ca,
    });
    try {
      expect(await trusted.verifyPortrait({ probe: JPEG, portraitRef: 'pt_same' })).toEqual(
        ok({ matched: true, score: 0.91, method: 'face' }),
      );
      const refused = await stranger.verifyPortrait({ probe: JPEG, portraitRef: 'pt_same' });
      expect(refused).toEqual(fail('verifier_unavailable'));
    } finally {
      trusted.close();
      stranger.close();
      await secure.close();
    }
  });

  it('refuses TLS settings with a plain http URL', () => {
    expect(
      () => new HttpAbisVerifier({ baseUrl: 'http://abis.example', timeoutMs: 1000, caCertificate: 'pem' }),
    ).toThrow(/https/);
  });
});
