import request from 'supertest';
import { testApp } from '../helpers/app';

const PAGE = 'Home World Business Tech\nCouncil approves harbour budget\nThe council approved the new harbour budget on Tuesday after a debate that lasted most of the evening.\n\nShare on Facebook Share on Twitter Email\n';

describe('POST /v1/classify', () => {
  const { app, models } = testApp();
  const labels = models.current!.file.labels;

  test('page text: one block per non-empty line, each with a label, scores over every label and a confidence', async () => {
    const res = await request(app).post('/v1/classify').send({ text: PAGE, id: 'page-17' }).expect(200);
    expect(res.body.id).toBe('page-17');
    expect(res.body.model.version).toBe(models.current!.file.version);
    expect(res.body.blocks.map((b: { text: string }) => b.text)).toEqual(PAGE.split('\n').filter((l) => l.trim()));
    for (const [i, block] of res.body.blocks.entries()) {
      expect(block.index).toBe(i);
      expect(Object.keys(block.scores).sort()).toEqual(labels);
      const values = Object.values(block.scores) as number[];
      expect(Math.abs(values.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
      expect(block.confidence).toBe(Math.max(...values));
      expect(block.scores[block.label]).toBe(block.confidence);
    }
    const summary = res.body.summary as Record<string, number>;
    expect(Object.keys(summary).sort()).toEqual(labels);
    expect(Object.values(summary).reduce((a, b) => a + b, 0)).toBe(4);
    const contentTexts = res.body.blocks.filter((b: { label: string }) => b.label === 'content').map((b: { text: string }) => b.text);
    expect(res.body.content).toBe(contentTexts.join('\n'));
    expect(res.headers['content-type']).toMatch(/application\/json/);
  });

  test('CRLF text keeps each line exactly, minus the carriage return', async () => {
    const res = await request(app).post('/v1/classify').send({ text: '  • Unlimited access\r\nSee all offers\r\n' }).expect(200);
    expect(res.body.blocks.map((b: { text: string }) => b.text)).toEqual(['  • Unlimited access', 'See all offers']);
  });

  test('text/plain is the same as {"text": ...}', async () => {
    const asJson = await request(app).post('/v1/classify').send({ text: PAGE }).expect(200);
    const asText = await request(app).post('/v1/classify').set('Content-Type', 'text/plain; charset=utf-8').send(PAGE).expect(200);
    expect(asText.body.blocks).toEqual(asJson.body.blocks);
    expect(asText.body.id).toBeNull();
  });

  test('the caller\'s blocks: exactly one result per block, same order, blank blocks included', async () => {
    const blocks = ['Council approves harbour budget', '', '   ', 'The council approved the new harbour budget on Tuesday after a long debate.', 'Close'];
    const res = await request(app).post('/v1/classify').send({ blocks }).expect(200);
    expect(res.body.blocks.map((b: { text: string }) => b.text)).toEqual(blocks);
    expect(res.body.blocks.map((b: { index: number }) => b.index)).toEqual([0, 1, 2, 3, 4]);
    for (const block of res.body.blocks) expect(labels).toContain(block.label);
    // Blank blocks take a label from their neighbours but never add to the article text.
    const nonBlankContent = res.body.blocks.filter((b: { label: string; text: string }) => b.label === 'content' && b.text.trim() !== '');
    expect(res.body.content).toBe(nonBlankContent.map((b: { text: string }) => b.text).join('\n'));
  });

  test('an empty page gives no blocks, not an error', async () => {
    const res = await request(app).post('/v1/classify').send({ text: '\n \n' }).expect(200);
    expect(res.body.blocks).toEqual([]);
    expect(res.body.content).toBe('');
    expect(Object.values(res.body.summary).every((n) => n === 0)).toBe(true);
  });

  test('labels are useful on a plain page: prose is content, and the chrome around it is not', async () => {
    const page = [
      'Skip to main content', 'Home News Sport Business Culture', 'Local politics',
      'Council backs harbour budget after marathon session', 'By Ana Ruiz, Local Democracy Reporter',
      'Councillors voted 31 to 12 in favour of the plan on Tuesday night, ending weeks of argument over the future of the harbour.',
      'The budget sets aside money for new sea walls, a ferry terminal and repairs to the old swing bridge, which has been closed to lorries since the spring.',
      'Subscribe for unlimited access', 'Share on Facebook Share on X Email', '© 2026 Harbour Gazette. All rights reserved.',
    ];
    const res = await request(app).post('/v1/classify').send({ text: page.join('\n') }).expect(200);
    const labelOf = (i: number) => res.body.blocks[i].label as string;
    expect([labelOf(5), labelOf(6)]).toEqual(['content', 'content']);
    expect(labelOf(0)).toBe('navigation');
    expect(labelOf(7)).toBe('paywall');
    expect(labelOf(8)).toBe('icon');
    expect(labelOf(9)).toBe('navigation');
  });

  test('every page gets a paywall verdict: a page with no wall says so, and a teaser cut off by a wall is truncated', async () => {
    const head = ['Skip to main content', 'Home News Sport Business Culture', 'Harbour ferry fares rise for the first time in six years', 'By Maren Holt', '4 min read'];
    const open = await request(app).post('/v1/classify').send({ text: [...head,
      'Commuters on the east shore will pay 40 cents more from March, the port authority said on Tuesday, blaming fuel and crew costs.',
      'The authority said the rise would pay for two new engines and a longer timetable on weekend evenings, which riders have asked for since 2019.',
      '"We held fares for six years, and we cannot hold them for a seventh," said its chair, Ole Brandt.',
      'Share on Facebook Share on X Email', '© 2026 Harbour Gazette. All rights reserved.'].join('\n') }).expect(200);
    expect(open.body.paywall).toMatchObject({ wall: false, truncated: false, evidence: [] });

    const cut = await request(app).post('/v1/classify').send({ text: [...head,
      'Commuters on the east shore will pay 40 cents more from March, the port authority said on Tuesday, blaming fuel and crew costs that have',
      'This article is for subscribers. Subscribe to continue reading.',
      'You have read all of your free articles this month.',
      'Get unlimited access for $1 a week',
      'Already a subscriber? Sign in',
      '© 2026 Harbour Gazette. All rights reserved.'].join('\n') }).expect(200);
    expect(cut.body.paywall).toMatchObject({ wall: true, truncated: true });
    expect(cut.body.paywall.evidence).toEqual(expect.arrayContaining([5, 6, 7, 8, 9]));
    expect(cut.body.paywall.confidence).toBeGreaterThan(0);
  });

  test('a swapped model applies to the next request', async () => {
    const { app: other, models: holder } = testApp();
    const before = await request(other).post('/v1/classify').send({ text: 'Hello' }).expect(200);
    holder.set({ ...holder.current!, file: { ...holder.current!.file, version: 'feedfacefeedface' } });
    const after = await request(other).post('/v1/classify').send({ text: 'Hello' }).expect(200);
    expect(before.body.model.version).not.toBe('feedfacefeedface');
    expect(after.body.model.version).toBe('feedfacefeedface');
  });
});
