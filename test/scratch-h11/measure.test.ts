import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { createCitizen, startProvider, type RunningProvider } from '../support/provider-harness.js';
import { faceSamples, samplePixels, scale, toJpeg } from '../support/face-samples.js';
import { identityOf, portraitsDirectory, sendPhoto } from '../support/level2-steps.js';
import { TestRedisServer } from '../support/redis-server.js';
import { personas } from '../support/registration-steps.js';
import { UserAgent } from '../support/user-agent.js';

let redis: TestRedisServer;
let running: RunningProvider;
const people = [personas.citizens.adult, personas.citizens.teenager, personas.citizens.toneStyleName, personas.citizens.guardian, personas.citizens.father, personas.citizens.mother];

beforeAll(async () => {
  redis = await TestRedisServer.start();
  const directory = portraitsDirectory(Object.fromEntries(people.map((p) => [p.biometrics.portraitRef ?? '', faceSamples.authorOffice()])));
  running = await startProvider(redis, { BIOMETRICS_PORTRAITS_DIR: directory });
  const t = performance.now();
  await running.container.biometrics.warmUp();
  console.log('warmUp ms', Math.round(performance.now() - t));
}, 120000);
afterAll(async () => { await running?.stop(); await redis?.destroy(); });

it('measures', async () => {
  const times: Record<string, number[]> = { notMatched: [], matched: [], big: [] };
  const casualBig = toJpeg(scale(samplePixels.authorCasual(), 8));
  console.log('big photo bytes', casualBig.length);
  for (const [index, person] of people.entries()) {
    const fixture = await createCitizen(running.container, { identity: identityOf(person), password: `pw-measure-${index}-xx` });
    const agent = new UserAgent();
    const login = await agent.navigate(`${running.issuer}/account/level2?lang=en`);
    const consent = await agent.submit(login, '/login', fixture.loginFields);
    let photo = await agent.submit(consent, '/account/level2/consent', { accept: 'yes' });
    for (let i = 0; i < 3; i += 1) {
      const t = performance.now();
      const r = await sendPhoto(agent, photo, faceSamples.others()[i % 4] ?? new Uint8Array(), { stopAt: `${running.issuer}/account/level2/result` });
      times.notMatched?.push(performance.now() - t);
      expect(r.url).toContain('not_matched');
      photo = await agent.navigate(`${running.issuer}/account/level2/photo`);
    }
    const t = performance.now();
    const useBig = index % 2 === 1;
    const r = await sendPhoto(agent, photo, useBig ? casualBig : faceSamples.authorCasual(), { stopAt: `${running.issuer}/account/level2/result` });
    (useBig ? times.big : times.matched)?.push(performance.now() - t);
    expect(r.url).toContain('outcome=matched');
  }
  for (const [k, v] of Object.entries(times)) {
    const sorted = [...v].sort((a, b) => a - b);
    console.log(k, sorted.map((x) => Math.round(x)).join(','), 'median', Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0));
  }
  console.log('rss MB', Math.round(process.memoryUsage().rss / 1e6));
}, 120000);
