/**
 * Retraining through HTTP, with the real worker thread: a new label goes live without a failed
 * request, a worse model is kept back unless forced, and rollback returns to the previous version.
 */
import request from 'supertest';
import { readLabelledDir } from '../../src/data/labelled-pages';
import { seededRandom } from '../../src/model/folds';
import { ModelVersions } from '../../src/retrain/model-versions';
import type { LabelledPage } from '../../src/types';
import { ADMIN_TOKEN, adminApp, smallCorpus } from '../helpers/app';

const bearer = `Bearer ${ADMIN_TOKEN}`;
const corpus = smallCorpus(40);
type App = ReturnType<typeof adminApp>['app'];

async function waitForJob(app: App, id: string): Promise<Record<string, any>> {
  for (;;) {
    const res = await request(app).get(`/v1/retrain/${id}`).set('authorization', bearer).expect(200);
    if (res.body.state !== 'running') return res.body as Record<string, any>;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Article pages followed by reader comments labelled with a label the shipped model never had. */
function commentPages(n: number): LabelledPage[] {
  const names = ['Ana', 'Bo', 'Chidi', 'Dana', 'Emil', 'Fatou', 'Gus', 'Hana'];
  return Array.from({ length: n }, (_, i) => ({
    id: `comments-${i}`,
    blocks: [
      { label: 'navigation', text: 'Home News Opinion' },
      { label: 'content', text: `Ferry timetable number ${i} changes again` },
      { label: 'content', text: `The harbour board announced on Monday that crossing ${i} will run every forty minutes from next spring, after a long consultation.` },
      { label: 'navigation', text: `${3 + (i % 9)} comments` },
      { label: 'comment', text: `${names[i % names.length]} wrote: I take this boat every day and it has never once been on time, so I doubt it.` },
      { label: 'comment', text: `Reply from ${names[(i + 3) % names.length]}: the new boats should help, give them a chance this winter.` },
    ],
  }));
}

describe('POST /v1/retrain', () => {
  test('learns a new label and makes it live while requests keep being answered; rollback returns to the previous model', async () => {
    const { app, models, dataDir } = adminApp({ trainingDataDir: corpus, maxExamples: 5000, maxChars: 20000 });
    const before = models.current!.file.version;
    await request(app).post('/v1/examples').set('authorization', bearer).send({ pages: commentPages(30) }).expect(201);

    const started = await request(app).post('/v1/retrain').set('authorization', bearer).expect(202);
    expect(started.body).toMatchObject({ state: 'running', force: false, examples: { batches: 1, blocks: 180 } });
    expect(started.headers.location).toBe(`/v1/retrain/${started.body.id}`);
    const second = await request(app).post('/v1/retrain').set('authorization', bearer).expect(409);
    expect(second.body.error.details.job).toBe(started.body.id);

    // Classify while the worker trains: every request is answered.
    const statuses: number[] = [];
    let job: Record<string, any> | undefined;
    const done = waitForJob(app, started.body.id).then((j) => { job = j; });
    while (!job) {
      statuses.push((await request(app).post('/v1/classify').send({ text: 'Home\nThe council met on Tuesday to approve the budget.' })).status);
    }
    await done;
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);

    expect(job).toMatchObject({ state: 'activated', version: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(job!.gate.heldOutPages).toBeGreaterThan(0);
    const live = await request(app).get('/v1/model').expect(200);
    expect(live.body.version).toBe(job!.version);
    expect(live.body.labels).toContain('comment');
    expect(live.body.retrain).toEqual({ exampleBatches: 1, exampleBlocks: 180, corpusPages: 40, gate: job!.gate });
    const page = await request(app).post('/v1/classify').send({ blocks: ['Home News Opinion', 'Ferry timetable changes again', '5 comments', 'Dana wrote: I take this boat every day and it is never on time.'] }).expect(200);
    expect(Object.keys(page.body.blocks[3].scores)).toContain('comment');
    expect(new ModelVersions(dataDir, 5).live()?.version).toBe(job!.version); // what a restart would load

    const listed = await request(app).get('/v1/model/versions').set('authorization', bearer).expect(200);
    expect(listed.body.live).toBe(job!.version);
    expect(listed.body.versions.map((v: { version: string }) => v.version).sort()).toEqual([before, job!.version].sort());

    const back = await request(app).post('/v1/model/rollback').set('authorization', bearer).expect(200);
    expect(back.body.version).toBe(before);
    expect((await request(app).get('/v1/model').expect(200)).body.version).toBe(before);
    expect(new ModelVersions(dataDir, 5).live()?.version).toBe(before);
    const none = await request(app).post('/v1/model/rollback').set('authorization', bearer).expect(409);
    expect(none.body.error.message).toMatch(/no earlier model version/);
  });

  test('a model that scores worse on held-out pages than the margin allows is kept but not live; force makes it live', async () => {
    const { app, models } = adminApp({ trainingDataDir: corpus, margin: 0, maxExamples: 5000, maxChars: 20000 });
    const before = models.current!.file.version;
    // Real pages with labels drawn at random: a model that learns them gets worse.
    const random = seededRandom(3);
    const labels = ['caption', 'content', 'icon', 'navigation', 'paywall', 'sponsored'];
    const noisy = readLabelledDir(corpus).map((p) => ({ id: `noisy-${p.id}`, blocks: p.blocks.map((b) => ({ text: b.text, label: labels[Math.floor(random() * labels.length)] as string })) }));
    await request(app).post('/v1/examples').set('authorization', bearer).send({ pages: noisy.slice(0, 20) }).expect(201);
    await request(app).post('/v1/examples').set('authorization', bearer).send({ pages: noisy.slice(20) }).expect(201);

    const kept = await waitForJob(app, (await request(app).post('/v1/retrain').set('authorization', bearer).send({}).expect(202)).body.id);
    expect(kept.state).toBe('kept');
    expect(kept.gate.candidateMacroF1).toBeLessThan(kept.gate.liveMacroF1);
    expect(kept.reason).toMatch(/RETRAIN_MARGIN/);
    expect((await request(app).get('/v1/model').expect(200)).body.version).toBe(before);
    const listed = await request(app).get('/v1/model/versions').set('authorization', bearer).expect(200);
    expect(listed.body.versions).toContainEqual(expect.objectContaining({ version: kept.version, live: false }));

    const forced = await waitForJob(app, (await request(app).post('/v1/retrain').set('authorization', bearer).send({ force: true }).expect(202)).body.id);
    expect(forced).toMatchObject({ state: 'activated', force: true, version: kept.version });
    expect((await request(app).get('/v1/model').expect(200)).body.version).toBe(kept.version);
  });

  test.each([
    ['a force that is not a boolean', { force: 'yes' }],
    ['a body that is not an object', [1]],
  ])('%s is a 400', async (_name, body) => {
    const { app } = adminApp({ trainingDataDir: corpus });
    const res = await request(app).post('/v1/retrain').set('authorization', bearer).send(body as object).expect(400);
    expect(res.body.error.code).toBe('invalid_field');
  });

  test('an unknown job is a 404', async () => {
    const { app } = adminApp({ trainingDataDir: corpus });
    expect((await request(app).get('/v1/retrain/nope').set('authorization', bearer).expect(404)).body.error.code).toBe('not_found');
  });
});
