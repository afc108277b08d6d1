/** The user's own example page, end to end over HTTP: every block labelled as the user labelled it. */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { SEED_DIR, testApp } from '../helpers/app';

const text = fs.readFileSync(path.join(SEED_DIR, 'page.txt'), 'utf8');
const expected = JSON.parse(fs.readFileSync(path.join(SEED_DIR, 'expected.json'), 'utf8')) as { blocks: { label: string; text: string }[] };

test('the seed page comes out 48/48 over HTTP', async () => {
  const { app } = testApp();
  const res = await request(app).post('/v1/classify').set('Content-Type', 'text/plain').send(text).expect(200);
  expect(res.body.blocks).toHaveLength(48);
  const got = res.body.blocks.map((b: { text: string; label: string }) => ({ label: b.label, text: b.text }));
  expect(got).toEqual(expected.blocks);
});

test('the seed page shows a wall, but its article is whole: wall true, truncated false', async () => {
  const { app } = testApp();
  const res = await request(app).post('/v1/classify').set('Content-Type', 'text/plain').send(text).expect(200);
  expect(res.body.paywall).toMatchObject({ wall: true, truncated: false });
  // The verdict rests on the wall's blocks: exactly those the user labelled paywall.
  const walls = expected.blocks.flatMap((b, i) => (b.label === 'paywall' ? [i] : []));
  expect(res.body.paywall.evidence).toEqual(walls);
  expect(res.body.paywall.confidence).toBeGreaterThan(0.5);
});
