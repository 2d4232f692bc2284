import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { loginKeyOf } from '../../src/domain/account.js';
import type { RegistryRecord } from '../../src/domain/registry.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { FakeSmsGateway, type GatewayBehaviour } from '../support/fake-sms-gateway.js';
import { latencySummary, roundMs, writeFaultFigures } from '../support/fault-figures.js';
import { LoopbackSmtpServer, type RelayBehaviour } from '../support/loopback-smtp-server.js';
import { startProvider, type RunningProvider } from '../support/provider-harness.js';
import { TestRedisServer } from '../support/redis-server.js';
import {
  askForNewCode,
  citizenFields,
  declare,
  enterCode,
  foreignerFields,
  freshContact,
  openRegistration,
  personas,
  registrationClock,
  shown,
  type Contact,
} from '../support/registration-steps.js';
import { UserAgent, type Page } from '../support/user-agent.js';

/**
 * Issue 6: the SMS gateway or the SMTP relay down or slow when the activation code is sent (Decision 34 Art 7.1). The
 * registration is kept awaiting its code (identity-registration.ts says why), but no account is activated; the code
 * page says the code could not be sent and offers a new one, and asking again while the sender is down gives the
 * "try again later" page (503). After `failureThreshold` failures the sender's circuit opens: nothing is handed to it
 * and the page comes at once; after `openMs` on the flows' clock one message probes it, and activation works again.
 * Figures go to test-artifacts/faults/notifications-down.json.
 */
const BREAKER = { failureThreshold: 2, openMs: 30_000 };
const SMS_TIMEOUT_MS = 500;
const SMTP_TIMEOUT_MS = 500;

describe('activation codes while the SMS gateway or the mail relay is down or slow', () => {
  let redis: TestRedisServer;
  let gateway: FakeSmsGateway;
  let relay: LoopbackSmtpServer;
  let running: RunningProvider;
  let clock: ManualClock;
  const figures: Record<string, unknown> = { breaker: BREAKER, smsTimeoutMs: SMS_TIMEOUT_MS, smtpTimeoutMs: SMTP_TIMEOUT_MS };

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    gateway = await FakeSmsGateway.start();
    relay = await LoopbackSmtpServer.start();
    clock = registrationClock();
    running = await startProvider(
      redis,
      {
        NOTIFICATIONS_MODE: 'deliver',
        SMS_URL: gateway.url,
        SMS_SENDER_ID: 'VNEID',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(relay.port),
        SMTP_FROM: 'vn-eid <no-reply@eid.test>',
      },
      {
        clock,
        config: {
          notifications: {
            // The loopback relay offers no STARTTLS; production refuses this setting.
            smtp: { requireTls: false, timeoutMs: SMTP_TIMEOUT_MS, ...BREAKER },
            sms: { timeoutMs: SMS_TIMEOUT_MS, ...BREAKER },
          },
        },
      },
    );
  });
  afterAll(async () => {
    writeFaultFigures('notifications-down', figures);
    await running?.stop();
    await gateway?.close();
    await relay?.close();
    await redis?.destroy();
  });

  /** The registration's account, which exists (pending) from the declaration on. */
  async function accountOf(record: RegistryRecord) {
    const id = await running.container.accounts.claimantOf(loginKeyOf(record));
    return id === undefined ? undefined : running.container.accounts.findById(id);
  }

  const timed = async (step: () => Promise<Page>): Promise<{ page: Page; ms: number }> => {
    const started = performance.now();
    const page = await step();
    return { page, ms: performance.now() - started };
  };

  /** What the sender under test has received so far. */
  interface SenderUnderTest {
    channel: 'sms' | 'email';
    attempts(): number;
    setBehaviour(behaviour: 'down' | 'slow' | 'up'): void;
    /** The code in the last message that reached `contact`. */
    lastCode(contact: Contact): string;
  }

  const sms: SenderUnderTest = {
    channel: 'sms',
    attempts: () => gateway.requests.length,
    setBehaviour: (behaviour) => {
      const map: Record<typeof behaviour, GatewayBehaviour> = { down: 'server_error', slow: 'slow', up: 'ok' };
      gateway.behaviour = map[behaviour];
    },
    lastCode: (contact) => {
      const to = `+84${contact.phone.slice(1)}`;
      const message = gateway.accepted.filter((request) => (request.body as { to?: string }).to === to).at(-1);
      return codeIn(String((message?.body as { text?: string } | undefined)?.text ?? ''));
    },
  };
  const email: SenderUnderTest = {
    channel: 'email',
    attempts: () => relay.offeredMessages,
    setBehaviour: (behaviour) => {
      const map: Record<typeof behaviour, RelayBehaviour> = { down: 'temporary_failure', slow: 'hang', up: 'accept' };
      relay.behaviour = map[behaviour];
    },
    lastCode: (contact) => codeIn(relay.received.filter((message) => message.envelopeTo.includes(contact.email)).at(-1)?.text ?? ''),
  };

  async function failOpenAndRecover(
    sender: SenderUnderTest,
    behaviour: 'down' | 'slow',
    record: RegistryRecord,
  ): Promise<Record<string, unknown>> {
    sender.setBehaviour(behaviour);
    const contact = freshContact();
    const agent = new UserAgent();
    const start = await openRegistration(agent, `${running.issuer}/register`);
    const kind = record.kind;
    const fields = kind === 'citizen' ? citizenFields(record, contact, sender.channel) : foreignerFields(record, contact, sender.channel);
    const failed: number[] = [];

    // 1. The declaration matched: the code page says the code could not be sent and offers a new one.
    const declared = await timed(() => declare(agent, start, kind, fields));
    failed.push(declared.ms);
    expect(declared.page.status).toBe(200);
    expect(declared.page.url).toMatch(/\/register\/code\?delivery=failed$/);
    expect(declared.page.html).toContain(shown('registration.code.notice.deliveryFailed'));
    expect((await accountOf(record))?.status).toBe('pending_activation');

    // 2. Asking again while the sender still fails: "try again later"; this failure opens the circuit.
    for (let attempt = 1; attempt < BREAKER.failureThreshold; attempt += 1) {
      const again = await timed(() => askForNewCode(agent, declared.page));
      failed.push(again.ms);
      expectTryAgainLater(again.page);
    }
    const attemptsWhenOpened = sender.attempts();
    expect(attemptsWhenOpened).toBeGreaterThanOrEqual(BREAKER.failureThreshold);

    // 3. Open: refused at once without reaching the sender, even once it is back.
    const refused: number[] = [];
    for (const back of [false, true]) {
      if (back) sender.setBehaviour('up');
      const again = await timed(() => askForNewCode(agent, declared.page));
      refused.push(again.ms);
      expectTryAgainLater(again.page);
    }
    expect(sender.attempts()).toBe(attemptsWhenOpened);
    expect((await accountOf(record))?.status).toBe('pending_activation');

    // 4. After the cool-down one message probes the sender; it is taken, and the code it carries activates.
    clock.advance(BREAKER.openMs);
    const probe = await timed(() => askForNewCode(agent, declared.page));
    expect(probe.page.url).toMatch(/\/register\/code\?notice=sent$/);
    expect(sender.attempts()).toBe(attemptsWhenOpened + 1);
    const passwordPage = await enterCode(agent, probe.page, sender.lastCode(contact));
    expect(passwordPage.url).toMatch(/\/register\/password$/);

    return {
      failedSends: latencySummary(failed),
      refusedWhileOpen: latencySummary(refused),
      senderCallsWhileOpen: sender.attempts() - attemptsWhenOpened - 1,
      firstSendAfterCoolDownMs: roundMs(probe.ms),
    };
  }

  it('SMS gateway down (503): no activation, a clear retry page, the circuit opens and closes', async () => {
    figures.smsDown = await failOpenAndRecover(sms, 'down', personas.citizens.adult);
  });

  /** A slow sender fails as a dead one does, each send only at its timeout; once open, refusals come before it. */
  async function slowRound(sender: SenderUnderTest, record: RegistryRecord, timeoutMs: number): Promise<Record<string, unknown>> {
    const round = await failOpenAndRecover(sender, 'slow', record);
    expect((round.failedSends as { medianMs: number }).medianMs).toBeGreaterThanOrEqual(timeoutMs);
    expect((round.refusedWhileOpen as { maxMs: number }).maxMs).toBeLessThan(timeoutMs);
    return round;
  }

  it('SMS gateway slow (no answer within the timeout): the same, and once open the page comes without waiting', async () => {
    figures.smsSlow = await slowRound(sms, personas.citizens.teenager, SMS_TIMEOUT_MS);
  });

  it('mail relay refusing for now (451): the same for a code sent by email', async () => {
    figures.emailDown = await failOpenAndRecover(email, 'down', personas.foreigners.resident);
  });

  it('mail relay hanging after the message: the same, and once open the page comes without waiting', async () => {
    figures.emailSlow = await slowRound(email, personas.foreigners.longTermVisa, SMTP_TIMEOUT_MS);
  });
});

/** The "try again later" page: 503 with Retry-After, in the person's language (English here). */
function expectTryAgainLater(page: Page): void {
  expect(page.status).toBe(503);
  expect(page.headers.get('retry-after')).toBeTruthy();
  expect(page.html).toContain(shown('errors.service_unavailable.title'));
  expect(page.html).toContain(shown('errors.service_unavailable.message'));
}

function codeIn(text: string): string {
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error('no code in the message');
  return code;
}
