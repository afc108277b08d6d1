import { DEFAULT_FEATURIZER_OPTIONS, featurizePage } from '../../src/features/featurize';
import { normalizeBlocks } from '../../src/text/segment';

const featurize = (texts: string[]) => featurizePage(normalizeBlocks(texts));
const one = (text: string) => featurize([text])[0] as string[];
const slot = (tokens: string[], prefix: string) => tokens.filter((t) => t.startsWith(`${prefix}:`));

describe('featurizePage', () => {
  test('no token is integer-like and every token is namespaced (natural reorders integer-like keys)', () => {
    const tokens = featurize(['2019', '42 123 9', '__proto__ constructor', 'Updated March 21, 2019 9:05 pm']).flat();
    for (const token of tokens) {
      expect(token).toMatch(/^[a-z]+:/);
      expect(String(Number.parseInt(token, 10))).not.toBe(token);
      expect(token).not.toBe('__proto__');
    }
    expect(tokens).toContain('w:2019');
    expect(tokens).toContain('w:proto');
    expect(tokens).toContain('w:constructor');
  });

  test('every shape slot holds exactly one token, for a one-word and a long block alike', () => {
    const short = one('Close');
    const long = one('The resumption of talks comes amid reports of negotiators being concerned that China is pushing back.');
    // A slot is the token without its value: "len:f" -> "len", "cue:paywall:0" -> "cue:paywall".
    const slots = (tokens: string[]) => tokens.filter((t) => !t.startsWith('w:') && !t.startsWith('pad:')).map((t) => t.slice(0, t.lastIndexOf(':')));
    expect(slots(short)).toEqual(slots(long));
    expect(new Set(slots(short)).size).toBe(slots(short).length);
  });

  test('lexical slots: the words at the edges of the block and of its neighbours; none for a version 1 model', () => {
    const texts = ['Skip to content', 'Read more about the Alpine rail deal', 'Share'];
    const [first, mid, last] = featurize(texts) as [string[], string[], string[]];
    expect(slot(mid, 'first')).toEqual(['first:read']);
    expect(slot(mid, 'head')).toEqual(['head:read_more']);
    expect(slot(mid, 'last')).toEqual(['last:deal']);
    expect(slot(mid, 'prevfirst')).toEqual(['prevfirst:skip']);
    expect(slot(mid, 'nextfirst')).toEqual(['nextfirst:share']);
    expect(slot(first, 'prevfirst')).toEqual(['prevfirst:start']);
    expect(slot(last, 'nextfirst')).toEqual(['nextfirst:end']);
    expect(slot(last, 'head')).toEqual(['head:share']);
    // A model trained before the slots came is featurized as it was trained.
    const v1 = featurizePage(normalizeBlocks(texts), { ...DEFAULT_FEATURIZER_OPTIONS, version: 1 })[1] as string[];
    expect(v1.filter((t) => /^(first|head|last|prevfirst|nextfirst):/.test(t))).toEqual([]);
    expect(v1).toEqual(mid.filter((t) => !/^(first|head|last|prevfirst|nextfirst|prevpair|nextpair|form|firstlen|prevlast|nextlast|tailcredit|record):/.test(t)));
  });

  test('conjunction slots: length and ending with each neighbour, the block\'s form, first word with length', () => {
    const texts = ['Comments', 'I moved here in 2019 and the buses have never been this reliable.', 'Reply'];
    const [first, mid, last] = featurize(texts) as [string[], string[], string[]];
    // "Comments": 1 word (b), no ending mark (lower); the comment: 13 words (g), a full stop.
    expect(slot(mid, 'prevpair')).toEqual(['prevpair:b|lower|g|stop']);
    expect(slot(mid, 'nextpair')).toEqual(['nextpair:g|stop|b|lower']);
    expect(slot(mid, 'form')).toEqual(['form:stop|upper|low']);
    expect(slot(mid, 'firstlen')).toEqual(['firstlen:i|g']);
    expect(slot(mid, 'prevlast')).toEqual(['prevlast:comments']);
    expect(slot(mid, 'nextlast')).toEqual(['nextlast:reply']);
    expect(slot(first, 'prevpair')).toEqual(['prevpair:none|b|lower']);
    expect(slot(first, 'prevlast')).toEqual(['prevlast:start']);
    expect(slot(last, 'nextpair')).toEqual(['nextpair:b|lower|none']);
    expect(slot(last, 'nextlast')).toEqual(['nextlast:end']);
    expect(slot(last, 'prevlast')).toEqual(['prevlast:reliable']);
    // A version 2 model (trained before these slots) gets exactly its old tokens.
    const conj = /^(prevpair|nextpair|form|firstlen|prevlast|nextlast|tailcredit|record):/;
    const v2 = featurizePage(normalizeBlocks(texts), { ...DEFAULT_FEATURIZER_OPTIONS, version: 2 });
    expect(v2).toEqual(featurize(texts).map((tokens) => tokens.filter((t) => !conj.test(t))));
  });

  test('tail credit: a credit or source note that ends the line; none for a version 3 model', () => {
    const credits = [
      'Bernard Peyrat dans son officine de Bourganeuf, le 12 mars. Photo : Laure Ménétrier',
      'Loretta Vance feeds leather through a stitching machine. Dana Whitcomb/The Ledger',
      'Share of homes sold above the asking price, by region. Source: brokers\' association',
      'Das Vyx 5 gibt es in drei Farben. Bild: technikfalter.de',
    ];
    for (const text of credits) expect(slot(one(text), 'tailcredit')).toEqual(['tailcredit:y']);
    // A breadcrumb has spaces around its slash; a sentence that merely mentions a photo is no credit,
    // nor is an Italian dateline.
    for (const text of ['Reviews / E-bikes', 'She kept the photo of her father on the wall for thirty years.', 'Data: 12 marzo 2024', 'Read more'])
      expect(slot(one(text), 'tailcredit')).toEqual(['tailcredit:n']);
    // A version 3 model (trained before the slot) gets exactly its old tokens.
    const texts = ['Comments', credits[1] as string, 'Reply'];
    const v3 = featurizePage(normalizeBlocks(texts), { ...DEFAULT_FEATURIZER_OPTIONS, version: 3 });
    expect(v3).toEqual(featurize(texts).map((tokens) => tokens.filter((t) => !/^(tailcredit|record):/.test(t))));
  });

  // An article, then a list of other stories laid out like it: title, byline, date, one lede each.
  const story = (title: string, by: string, day: string, lede: string) => [title, `By ${by}`, `${day} 11 March 2025`, lede];
  const article = [
    'Menu',
    'Harbour board votes to raise the quay wall before winter storms',
    'By Ada Lund',
    'Tuesday 11 March 2025',
    'The harbour board voted on Tuesday to raise the old quay wall by forty centimetres before winter.',
    'Engineers told the meeting that January\'s surge came within a hand\'s width of the top of the wall.',
    'Work is due to start in September and should take about ten weeks, the board said.',
    'More from the Herald',
  ];
  const stories = [
    ...story('Bridge to close overnight for bearing works', 'Cal Darrow', 'Tuesday', 'The bridge will shut to traffic between 8pm and 6am for nineteen nights from the end of March.'),
    ...story('Sawmill to shut with the loss of 48 jobs', 'Nia Brack', 'Monday', 'Workers at the timber yard were told at a meeting on Monday afternoon that the site would close.'),
    ...story('Market named best in the county again', 'Jen Ruddock', 'Sunday', 'The Saturday market beat forty other finalists to the title at an awards dinner in the city.'),
  ];
  const record = (texts: string[]) => featurize(texts).map((tokens) => slot(tokens, 'record')[0]);

  test('record slot: a chain of three stories of one paragraph each is marked, the article and its own header are not', () => {
    const tokens = record([...article, ...stories, 'Load more stories', 'About us']);
    expect(tokens.slice(0, article.length)).toEqual(article.map(() => 'record:none'));
    expect(tokens.slice(article.length, article.length + stories.length)).toEqual(stories.map(() => 'record:chain'));
    // The last story's record runs at most six blocks: the footer lines after its lede are in it.
    expect(tokens.slice(-2)).toEqual(['record:chain', 'record:chain']);
  });

  test('record slot: two stories are not yet a list, and a story with two paragraphs breaks the chain', () => {
    expect(record([...article, ...stories.slice(0, 8)]).every((t) => t === 'record:none')).toBe(true);
    const twoParagraphs = [...stories.slice(0, 4), 'A second paragraph of the first story runs on here, long enough to be prose as well.', ...stories.slice(4)];
    expect(record(twoParagraphs).every((t) => t === 'record:none')).toBe(true);
    // A version 4 model (trained before the slot) gets exactly its old tokens.
    const texts = [...article, ...stories];
    const v4 = featurizePage(normalizeBlocks(texts), { ...DEFAULT_FEATURIZER_OPTIONS, version: 4 });
    expect(v4).toEqual(featurize(texts).map((tokens) => tokens.filter((t) => !t.startsWith('record:'))));
  });

  test('record slot: an author line long enough to pass for a title does not start a record of its own (version 6)', () => {
    // "Sen. Ada Lund": three words, no "By", right above the date line, like a story title.
    const withNames = [
      ...article,
      ...['Bridge to close overnight for bearing works', 'Sen. Cal Darrow', 'Tuesday 11 March 2025', 'The bridge will shut to traffic between 8pm and 6am for nineteen nights from the end of March.'],
      ...['Sawmill to shut with the loss of 48 jobs', 'Dr. Nia Brack', 'Monday 10 March 2025', 'Workers at the timber yard were told at a meeting on Monday afternoon that the site would close.'],
      ...['Market named best in the county again', 'Mrs. Jen Ruddock', 'Sunday 9 March 2025', 'The Saturday market beat forty other finalists to the title at an awards dinner in the city.'],
    ];
    const tokens = record(withNames);
    expect(tokens.slice(article.length)).toEqual(withNames.slice(article.length).map(() => 'record:chain'));
    // Version 5 models featurize as trained: there the name lines broke the chain.
    const v5 = featurizePage(normalizeBlocks(withNames), { ...DEFAULT_FEATURIZER_OPTIONS, version: 5 });
    expect(v5.map((t) => slot(t, 'record')[0]).every((t) => t === 'record:none')).toBe(true);
  });

  test('record slot: a lede without its full stop, with the time under it, is a record\'s paragraph (version 7)', () => {
    // Title, lede (no full stop), relative time: a portal's list of other stories.
    const portal = [
      ...article,
      'Bridge to close overnight for bearing works', 'The bridge will shut to traffic between 8pm and 6am for nineteen nights from the end of March while crews work', '2H ago',
      'Sawmill to shut with the loss of 48 jobs', 'Workers at the timber yard were told at a meeting on Monday afternoon that the site would close by the summer', '5H ago',
      'Market named best in the county again', 'The Saturday market beat forty other finalists to the title at an awards dinner in the city on Friday night', '9H ago',
    ];
    const tokens = record(portal);
    expect(tokens.slice(0, article.length)).toEqual(article.map(() => 'record:none'));
    expect(tokens.slice(article.length)).toEqual(portal.slice(article.length).map(() => 'record:chain'));
    const v6 = featurizePage(normalizeBlocks(portal), { ...DEFAULT_FEATURIZER_OPTIONS, version: 6 });
    expect(v6.map((t) => slot(t, 'record')[0]).every((t) => t === 'record:none')).toBe(true);
  });

  test('words are capped and padded, so short and long blocks carry as many word slots', () => {
    const words = (t: string[]) => t.filter((x) => x.startsWith('w:') || x.startsWith('pad:')).length;
    expect(words(one('Close'))).toBe(DEFAULT_FEATURIZER_OPTIONS.wordCap);
    expect(words(one('one two three four five six seven eight nine ten eleven twelve thirteen fourteen'))).toBe(DEFAULT_FEATURIZER_OPTIONS.wordCap);
  });

  test.each([
    ['You have {{numberArticlesLeft}} free articles left', 'placeholder', 'placeholder:y'],
    ['Try 3 months for $9', 'money', 'money:y'],
    ['Abo für 2,99 € im Monat', 'money', 'money:y'],
    ['IconIcon FacebookIcon LinkedinIcon MailIcon', 'glue', 'glue:many'],
    ['  • Read all stories with unlimited access', 'start', 'start:indent'],
    ['• Read all stories', 'start', 'start:bullet'],
    ['© 2019 Nikkei Inc. All rights reserved.', 'copyright', 'copyright:y'],
    ['A container ship leaves port in Long Beach.   © Reuters', 'credit', 'credit:y'],
    ['© 2019 Nikkei Inc. All rights reserved.', 'credit', 'credit:n'],
    ['Foto: Hans Meier', 'credit', 'credit:y'],
    ['Was ist passiert?', 'end', 'end:question'],
    ['Lesen Sie auch:', 'end', 'end:colon'],
    ['Der Bundestag hat am Donnerstag über das Gesetz abgestimmt und es mit großer Mehrheit angenommen.', 'stop', 'stop:high'],
    ['Startseite Politik Wirtschaft Sport', 'stop', 'stop:0'],
  ])('%s -> %s', (text, prefix, expected) => {
    expect(slot(one(text), prefix)).toEqual([expected]);
  });

  test('cue words are found in every corpus language', () => {
    expect(one('Anzeige')).toContain('cue:sponsored:1');
    expect(one('Publicité')).toContain('cue:sponsored:1');
    expect(one('Déjà abonné ? Se connecter')).toContain('cue:paywall:1');
    expect(one('Já é assinante? Entre')).toContain('cue:paywall:1');
  });

  test('position and neighbours are part of a block\'s features', () => {
    const page = featurize(['Home News Sport', 'A headline', 'A long paragraph of the article that ends like a sentence does in prose here.']);
    expect(page[0]).toEqual(expect.arrayContaining(['pos:short', 'prevlen:none']));
    expect(page[2]).toEqual(expect.arrayContaining(['pos:short', 'nextlen:none']));
    expect(page[1]).toEqual(expect.arrayContaining(['prevend:lower', 'nextend:stop']));
  });

  test('a blank block gets no tokens and does not count as a neighbour', () => {
    const page = featurize(['First line here', '   ', 'Last line.']);
    expect(page[1]).toEqual([]);
    expect(page[2]).toEqual(expect.arrayContaining(['prevend:lower']));
  });

  test('the same page gives the same tokens', () => {
    const texts = ['Sponsored Content', 'Get Unlimited access', 'See all offers'];
    expect(featurize(texts)).toEqual(featurize(texts));
  });
});
